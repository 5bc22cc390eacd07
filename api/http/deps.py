"""FastAPI dependencies, named as ``Annotated`` aliases for the routers.

The ledger service behind the app; the sign-in state and the client's
sign-in rate; the signed-in officer (optional, required, or required with a
role); and the query parameters every read takes (``on``, ``as_of``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.http.limits import RateLimiter, rate_limited
from api.http.signin import Officer, SignIn, unauthenticated
from api.http.signin_store import open_store
from api.service import LedgerService
from ledger.errors import RoleNotAllowed


async def service_of(request: Request) -> LedgerService:
    """The ledger service behind this app (async: no thread hop to look it up)."""
    service: LedgerService = request.app.state.service
    return service


ServiceDep = Annotated[LedgerService, Depends(service_of)]

# -- the query parameters of reads ------------------------------------------------------
OnQ = Annotated[
    str | None,
    Query(description="Business date YYYY-MM-DD (default: end of the last month paid)"),
]
AsOfQ = Annotated[
    str | None,
    Query(
        max_length=40,
        description="What the ledger knew: its first N entries, or an ISO 8601 time (UTC if "
        "no zone). Default: everything.",
        examples=["120", "2022-01-31T00:00:00Z"],
    ),
]

# -- signing in -------------------------------------------------------------------------
_bearer = HTTPBearer(
    auto_error=False,
    description="A token from `POST /v1/auth/token` (15 minutes).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
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


# -- the signed-in officer ----------------------------------------------------------------
def current_officer(
    request: Request, service: ServiceDep, signin: SignInDep, credentials: Credentials
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
