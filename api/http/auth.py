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

Who sees what once signed in: :mod:`api.http.roles`.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.http import wire
from api.http.deps import Credentials, ServiceDep, SignedInDep, SignInClient, SignInDep
from api.http.models import (
    ChallengeOut,
    ChallengeRequest,
    Holder,
    SessionOut,
    TokenOut,
    TokenRequest,
)
from api.http.signin import Officer, iso

router = APIRouter(prefix="/v1/auth", tags=["sign-in"])


def _session(officer: Officer) -> SessionOut:
    return SessionOut(
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
    return TokenOut(token=token, **_session(officer).model_dump())


@router.get("/me", response_model=SessionOut, responses=wire.error_responses(401, 403))
def whoami(officer: SignedInDep) -> SessionOut:
    """Who the bearer token stands for, and the roles their key holds now."""
    return _session(officer)


@router.delete("/token", status_code=204, responses=wire.error_responses(401, 403))
def sign_out(signin: SignInDep, _: SignedInDep, credentials: Credentials) -> None:
    """Sign out: the bearer token stops working now."""
    assert credentials is not None
    signin.sign_out(credentials.credentials)
