"""The FastAPI application: routers, one place that turns errors into answers, request logs.

Every error leaves as ``{"error": {"code", "message"}}`` with the status
DESIGN.md gives its kind: a refusal by the ledger carries its own code and
status (:mod:`ledger.errors`); a request the routers cannot parse is
``400 INVALID_FIELD`` naming the field; an unknown path ``404 NOT_FOUND``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http import (
    agents,
    apidocs,
    auth,
    console,
    drafts,
    duplicates,
    entities,
    households,
    imports,
    inspect,
    inspect_proofs,
    keys,
    lists,
    log,
    payroll,
    policy,
    receipts,
    reconciliation,
    reviews,
    statements,
    vault,
    witnesses,
)
from api.http.forwarded import ForwardedHeaders, PublicAddress
from api.http.limits import BodyLimit, Limits, RateLimiter
from api.officer import STATIC as OFFICER_STATIC
from api.officer import routes as officer
from api.pages import complaints, confirm
from api.pages import routes as pages
from api.service import LedgerService
from ledger.errors import LedgerError
from ledger.formats.keys import KeyPair

access_log = logging.getLogger("ansinh.access")
# Each resource's routes, in the order the OpenAPI document lists them.
ROUTES = (
    statements,
    drafts,
    log,
    policy,
    witnesses,
    keys,
    auth,
    households,
    lists,
    payroll,
    receipts,
    reconciliation,
    agents,
    vault,
    entities,
    console,
    reviews,  # the review rounds, for the console's pickers (docs/formats.md 11.4)
    inspect,
    inspect_proofs,
    duplicates,
    officer,
    imports,
    pages,
    confirm,  # a beneficiary's confirmation from the lookup page (FORMATS 1.3)
    complaints,  # grievances in numbers (FORMATS 1.3)
)

DESCRIPTION = """\
A tamper-evident ledger of a commune's social-welfare money.

Officers submit signed statements (DSSE envelopes, FORMATS §2-§3); anyone
can read the log, its signed checkpoints and proofs; reads that include
personal data need an officer's or inspector's key (`/v1/auth/challenge`,
then `/v1/auth/token`). Errors are always `{"error": {"code", "message"}}`.
"""


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers or None)


def _field_of(location: Sequence[Any]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _ledger_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LedgerError)
    return error_response(exc.status, exc.code, exc.message)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    field = _field_of(first.get("loc", ()))
    return error_response(400, "INVALID_FIELD", f"{field}: {first.get('msg', 'invalid')}")


_HTTP_CODES = {
    400: "MALFORMED",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.detail, dict) and "code" in exc.detail:
        code, message = str(exc.detail["code"]), str(exc.detail.get("message", ""))
    else:
        code = _HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        message = str(exc.detail)
    return error_response(exc.status_code, code, message, **(exc.headers or {}))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    access_log.exception("unexpected error", exc_info=exc)
    return error_response(500, "INTERNAL", "the server failed; see its log for the request id")


def answer_errors(app: FastAPI) -> None:
    """Every error ``app`` raises leaves as ``{"error": {"code", "message"}}``."""
    app.add_exception_handler(LedgerError, _ledger_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)


def create_app(
    service: LedgerService,
    limits: Limits | None = None,
    public: PublicAddress | None = None,
    intake: KeyPair | None = None,
) -> FastAPI:
    """The whole HTTP surface over one ledger, accepting what ``limits`` allow.

    ``public``: the address printed notices carry and the proxies whose
    ``X-Forwarded-*`` headers are believed (default: none given, loopback).
    ``intake``: the key the lookup page signs beneficiaries' confirmations with
    (:mod:`api.pages.confirm`; without it, the page takes none).
    """
    limits = limits or Limits()
    public = public or PublicAddress()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="ansinh",
        description=DESCRIPTION,
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served by api.http.apidocs, with assets vendored here
        redoc_url=None,
    )
    app.state.service = service
    app.state.limits = limits
    app.state.public = public
    app.state.intake_key = intake
    app.state.signin_rate = RateLimiter(limits.signin_per_minute, limits.signin_burst)
    app.state.batch_turns = asyncio.Semaphore(limits.batches_at_once)
    answer_errors(app)
    app.add_middleware(BodyLimit, limits=limits)
    app.add_middleware(RequestLog)  # it logs refusals of bodies too
    app.add_middleware(ForwardedHeaders, public=public)  # the outermost: the client is known

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, Any]:
        """Alive, with the log's size and how far the read models are behind it."""
        position, size = service.lag()
        failure = service.guard.failure
        return {
            "status": "ok" if failure is None else "log_tampered",
            **({"problem": failure} if failure is not None else {}),
            "log_size": size,
            "projections": {"position": position, "behind": size - position},
        }

    for routes in ROUTES:
        app.include_router(routes.router)
    # the console's scripts and styles, all served from here (the page works offline)
    app.mount("/officer/static", StaticFiles(directory=OFFICER_STATIC), name="officer-static")
    app.include_router(apidocs.router)
    # Swagger UI's and ReDoc's scripts and styles (vendored: /docs and /redoc work offline)
    app.mount(apidocs.VENDOR, StaticFiles(directory=apidocs.STATIC / "vendor"), name="vendor")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, saying what the server really answers to a bad request.

    FastAPI documents ``422 HTTPValidationError`` on every route with
    parameters; this server answers such requests ``400 INVALID_FIELD`` in the
    one error shape (see ``_validation_error``), so the document says that.
    """
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    components.setdefault("ErrorBody", _ERROR_SCHEMA)
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            if "HTTPValidationError" not in json.dumps(responses.get("422", {})):
                continue  # a real 422 (a rule violation), documented by its route
            del responses["422"]
            if "400" not in responses:
                responses["400"] = {
                    "description": "A parameter or the body is malformed (names the field)",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}
                    },
                }
    app.openapi_schema = schema
    return schema


_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


class RequestLog:
    """One JSON line per request: id, method, path, status, milliseconds.

    A plain ASGI middleware: Starlette's ``@app.middleware("http")`` runs each
    request through a task group and memory streams, which cost about a
    quarter of the server's CPU per small request.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex[:16]
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                client = scope.get("client")
                access_log.info(
                    json.dumps(
                        {
                            "request_id": request_id,
                            "method": scope["method"],
                            "path": scope["path"],
                            "status": status,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                            "client": client[0] if client else None,
                        }
                    )
                )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            text: str = value.decode("latin-1")[:64]
            return text
    return None
