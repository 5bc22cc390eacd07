"""Officer sign-in without passwords: the officer signs a challenge with their own key.

The server keeps no passwords. An officer (or inspector) proves they hold a
key registered in this ledger:

1. ``POST /v1/auth/challenge`` ``{"key_id"}`` gives a fresh challenge (32
   random bytes, base64) and the exact ``message`` to sign;
2. the officer signs ``message`` with that Ed25519 key (``ansinh`` keys, or
   any Ed25519 signer: the bytes are the message's UTF-8);
3. ``POST /v1/auth/token`` ``{"key_id", "challenge", "signature"}`` gives a
   bearer token, sent as ``Authorization: Bearer <token>`` on reads that
   include personal data.

The signed message is ``"ansinh signin v1\n" + ledger_id + "\n" + challenge
+ "\n"`` (:func:`api.http.signin.signin_message`). Its first line has a space,
which no ledger id may hold (they are ``[a-z0-9.-/]``), so it is never the
text of a checkpoint note (whose first line is the ledger id); it does not
start ``DSSEv1`` (a statement's PAE) nor ``cosignature/v1`` (a witness
cosignature). A signature over it cannot be replayed as any of those, nor
they as a sign-in. It names the ledger, so a sign-in to one commune's server
is no sign-in to another's. A client must build this message itself from the
ledger id and the challenge, and sign nothing else: the ``message`` field is
a convenience, and a hostile server could put a statement there.

Lifetimes and bounds: a challenge lives 2 minutes, is bound to the key it
was issued for and is used up by the first token request that names it,
whatever the outcome. A token lives 15 minutes, with no renewal: sign in
again. Both are random and kept, by their SHA-256 only, in the ledger's own
database (:mod:`api.http.signin_store`): a restart signs no one out, and a
challenge issued before it can still be answered. Anyone may ask for a
challenge for any registered key, so the pending ones are bounded per key
*and client address* (8; 64 per key, 10,000 in all, the client holding the
most losing its oldest first): a flood from one address never evicts the
challenge the key's holder is answering from another. Sessions are bounded
too (16 per key, 10,000 in all, the oldest first). Each address may make 30
sign-in requests a minute after a burst of 60 (``ansinh serve`` flags,
:mod:`api.http.limits`), then gets ``429 RATE_LIMITED`` with ``Retry-After``.
Every use of a token reads the keyring again: a key revoked in the ledger
loses its tokens at once, and the roles are those registered now.

Who sees what (the roles of the signed-in key, as registered in the ledger):

- a person's attributes (sex, birth year, date of death in the registry;
  the same, and the grounds of benefits and ratings, in histories; dates of
  death in reconciliation): every role (:data:`DETAIL_ROLES`);
- names (``full_name``) in the registry: registrar, approver, cashier,
  inspector, admin (:data:`NAME_ROLES`);
- national ids, the vault (``/v1/vault``), and duplicate national ids in
  reconciliation: registrar, approver, inspector, admin
  (:data:`IDENTITY_ROLES`);
- the unmasked payroll (names, person ids, recipients): cashier, approver,
  inspector, admin (:data:`PAYROLL_ROLES`).

Everything else is public: the log, the approved lists with names as the
law allows, the masked payroll, reconciliation, histories by id, without
what the above leaves out (the rule: :mod:`api.reading`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from api.http import wire
from api.http.deps import ServiceDep
from api.http.limits import RateLimiter, rate_limited
from api.http.signin import Officer, SignIn, iso, unauthenticated
from api.http.signin_store import open_store
from ledger.errors import RoleNotAllowed

DETAIL_ROLES = frozenset({"registrar", "approver", "cashier", "inspector", "admin"})
NAME_ROLES = frozenset({"registrar", "approver", "cashier", "inspector", "admin"})
IDENTITY_ROLES = frozenset({"registrar", "approver", "inspector", "admin"})
PAYROLL_ROLES = frozenset({"cashier", "approver", "inspector", "admin"})
KEY_ID_PATTERN = r"^[0-9a-f]{64}$"


# -- dependencies for the routers --------------------------------------------------
_bearer = HTTPBearer(
    auto_error=False,
    description="A token from `POST /v1/auth/token` (15 minutes).",
)


_lock = threading.Lock()


def signin_state(app: FastAPI) -> SignIn:
    """The app's sign-in state, over its ledger's tables (made on first use; tests may
    set ``app.state.signin``)."""
    with _lock:
        found = getattr(app.state, "signin", None)
        if found is None:
            found = app.state.signin = SignIn(open_store(app.state.service.ledger))
    assert isinstance(found, SignIn)
    return found


def signin_of(request: Request) -> SignIn:
    return signin_state(request.app)


SignInDep = Annotated[SignIn, Depends(signin_of)]


def client_of(request: Request) -> str:
    """The address the request came from (uvicorn takes a trusted proxy's word for it)."""
    return request.client.host if request.client is not None else "unknown"


def signin_allowed(request: Request) -> str:
    """The client's address, if its sign-in requests are within the rate; else 429."""
    client = client_of(request)
    limiter: RateLimiter = request.app.state.signin_rate
    wait_s = limiter.take(client)
    if wait_s > 0:
        per_minute = f"{limiter.rate_per_s * 60:g}"
        raise rate_limited(
            f"client {client}: more than {per_minute} sign-in requests a minute "
            f"(after a burst of {limiter.burst})",
            wait_s,
        )
    return client


SignInClient = Annotated[str, Depends(signin_allowed)]


def current_officer(
    request: Request,
    service: ServiceDep,
    signin: SignInDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Officer | None:
    """The signed-in officer, or None without an ``Authorization`` header.

    A header that is there but wrong (not ``Bearer``, unknown or expired
    token) is refused rather than read as anonymous, so an officer never
    mistakes a masked answer for the whole one.
    """
    header = request.headers.get("authorization")
    if header is None:
        return None
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise unauthenticated("INVALID_TOKEN", "Authorization: must be `Bearer <token>`")
    return signin.officer(service.ledger, credentials.credentials)


OfficerDep = Annotated[Officer | None, Depends(current_officer)]


def signed_in(officer: OfficerDep) -> Officer:
    """The signed-in officer; 401 without a token."""
    if officer is None:
        raise unauthenticated(
            "UNAUTHENTICATED", "Authorization: sign in first (/v1/auth/challenge, /v1/auth/token)"
        )
    return officer


SignedInDep = Annotated[Officer, Depends(signed_in)]


def require_roles(*roles: str) -> Callable[..., Officer]:
    """A dependency factory: the signed-in officer, who must hold one of ``roles``.

    Use as ``Annotated[Officer, Depends(require_roles("inspector", "admin"))]``:
    401 without a valid token, 403 ``ROLE_NOT_ALLOWED`` without the role.
    """
    allowed = frozenset(roles)
    assert allowed, "name at least one role"

    def officer_with_role(officer: SignedInDep) -> Officer:
        if not officer.may(allowed):
            raise RoleNotAllowed(
                f"roles: {officer.holder_id} holds {sorted(officer.roles)}; "
                f"this needs one of {sorted(allowed)}",
                field="roles",
            )
        return officer

    return officer_with_role


# -- the routes -----------------------------------------------------------------------
router = APIRouter(prefix="/v1/auth", tags=["sign-in"])


class ChallengeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_id: str = Field(pattern=KEY_ID_PATTERN, description="hex SHA-256 of the public key")


class ChallengeOut(BaseModel):
    challenge: str = Field(description="base64 of 32 random bytes")
    expires_at: str = Field(description="UTC; a challenge lives 2 minutes and is used once")
    message: str = Field(description="the exact text to sign (UTF-8), domain-separated")

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "challenge": "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=",
                "expires_at": "2022-01-10T02:02:00Z",
                "message": "ansinh signin v1\nansinh.vn/son-la/song-ma/chieng-en\n"
                "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=\n",
            }
        }
    )


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key_id: str = Field(pattern=KEY_ID_PATTERN)
    challenge: str = Field(min_length=1, max_length=100)
    signature: str = Field(
        min_length=1, max_length=200, description="base64 Ed25519 signature of `message`"
    )


class Holder(BaseModel):
    id: str
    name: str


class TokenOut(BaseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    expires_at: str = Field(description="UTC; a token lives 15 minutes, then sign in again")
    key_id: str
    holder: Holder
    roles: list[str]


def _token_out(token: str, officer: Officer) -> TokenOut:
    return TokenOut(
        token=token,
        expires_at=iso(officer.expires_at),
        key_id=officer.key_id,
        holder=Holder(id=officer.holder_id, name=officer.holder_name),
        roles=sorted(officer.roles),
    )


@router.post(
    "/challenge",
    response_model=ChallengeOut,
    responses=wire.error_responses(400, 401, 403, 404, 429),
)
def new_challenge(
    client: SignInClient, body: ChallengeRequest, service: ServiceDep, signin: SignInDep
) -> ChallengeOut:
    """A challenge for a registered, unrevoked key: sign its `message` to get a token."""
    challenge, expires_at, message = signin.challenge(service.ledger, body.key_id, client)
    return ChallengeOut(challenge=challenge, expires_at=iso(expires_at), message=message)


@router.post(
    "/token", response_model=TokenOut, responses=wire.error_responses(400, 401, 403, 404, 429)
)
def new_token(
    _: SignInClient, body: TokenRequest, service: ServiceDep, signin: SignInDep
) -> TokenOut:
    """A bearer token (15 minutes) for the holder of the key that signed the challenge."""
    token, officer = signin.token(service.ledger, body.key_id, body.challenge, body.signature)
    return _token_out(token, officer)


class SessionOut(BaseModel):
    expires_at: str
    key_id: str
    holder: Holder
    roles: list[str]


@router.get("/me", response_model=SessionOut, responses=wire.error_responses(401, 403))
def whoami(officer: SignedInDep) -> SessionOut:
    """Who the bearer token stands for, and the roles their key holds now."""
    out = _token_out("", officer)
    return SessionOut(**out.model_dump(exclude={"token"}))


@router.delete("/token", status_code=204, responses=wire.error_responses(401, 403))
def sign_out(
    signin: SignInDep,
    _: SignedInDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> None:
    """Sign out: the bearer token stops working now."""
    assert credentials is not None
    signin.sign_out(credentials.credentials)
