"""What one server accepts from its clients: body sizes and sign-in rates.

Settings of ``ansinh serve`` (:class:`Limits`, documented in the README):

- **Bodies.** ``POST /v1/statements`` takes at most ``statements_body_bytes``
  (16 MiB by default: a batch of 1,000 statements, each with its
  personal-data record, is about 1.2 MB); every other request at most
  ``body_bytes`` (64 KiB; a sign-in or a cosignature is under 1 KB); a
  spreadsheet to import (``POST /v1/imports/...``) as much as a batch. A
  declared ``Content-Length`` over the limit is answered ``413 TOO_LARGE``
  at once, before a byte of the body is read; a body sent without one
  (chunked) is counted as it arrives and refused as soon as it passes the
  limit (:class:`BodyLimit`). So no request holds more than its limit in
  memory, however large it claims or turns out to be. Statement bodies over
  16 KB (batches) are read and recorded ``batches_at_once`` at a time (2;
  one is recorded while the next is read: the writer records one batch at a
  time anyway); the others wait their turn unread, so the bodies held in
  memory stay a few, however many clients send at once.
- **Sign-in.** Each client address may make ``signin_per_minute`` requests
  to ``/v1/auth/challenge`` and ``/v1/auth/token`` a minute, after a burst
  of ``signin_burst`` (a token bucket per address, :class:`RateLimiter`);
  beyond it the answer is ``429 RATE_LIMITED`` with ``Retry-After``. The
  per-key bounds on pending challenges and sessions are the store's
  (:class:`api.http.signin_store.Bounds`).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MIB = 1024 * 1024
STATEMENTS_PATH = "/v1/statements"
IMPORTS_PATH = "/v1/imports/"  # a spreadsheet to preview: as large as a batch
MAX_CLIENTS = 10_000  # rate-limit buckets kept at once (the least recently used go first)


@dataclass(frozen=True)
class Limits:
    """What the server accepts (``ansinh serve`` flags; see the module's docstring)."""

    statements_body_bytes: int = 16 * MIB
    body_bytes: int = 64 * 1024
    signin_per_minute: float = 30.0
    signin_burst: int = 60
    batches_at_once: int = 2

    def __post_init__(self) -> None:
        assert self.statements_body_bytes > 0 and self.body_bytes > 0 and self.batches_at_once > 0
        assert self.signin_per_minute > 0 and self.signin_burst >= 1

    def body_limit(self, method: str, path: str) -> int:
        """The most bytes a request's body may hold."""
        if method == "POST" and (
            path.rstrip("/") == STATEMENTS_PATH or path.startswith(IMPORTS_PATH)
        ):
            return self.statements_body_bytes
        return self.body_bytes


def too_large(limit: int, declared: int | None = None) -> HTTPException:
    """413 ``TOO_LARGE``, naming the limit."""
    what = f"{declared} bytes" if declared is not None else f"more than {limit} bytes"
    return TooLarge(
        413,
        detail={"code": "TOO_LARGE", "message": f"body: {what}; at most {limit} are accepted"},
        headers={"Connection": "close"},
    )


class TooLarge(HTTPException):
    """A body over the limit (raised while it is being read: the app answers 413)."""


def rate_limited(message: str, retry_after_s: float) -> HTTPException:
    """429 ``RATE_LIMITED`` with ``Retry-After`` (whole seconds, at least 1)."""
    seconds = max(1, math.ceil(retry_after_s))
    return HTTPException(
        429,
        detail={"code": "RATE_LIMITED", "message": f"{message}; retry in {seconds} s"},
        headers={"Retry-After": str(seconds)},
    )


# -- bodies --------------------------------------------------------------------------------
class BodyLimit:
    """Refuse bodies over the limit before reading them whole (an ASGI middleware).

    A declared ``Content-Length`` over the limit is answered at once, and
    the connection closed, without calling the app: the body is never read.
    Otherwise the body's messages are counted as the app reads them, and the
    read that passes the limit raises :class:`TooLarge`, which the app
    answers (413) like any refusal.
    """

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.body_limit(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _answer(send, too_large(limit, declared))
            return
        size = 0

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise too_large(limit)
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


async def _answer(send: Send, exc: HTTPException) -> None:
    """Send an error answer in the API's shape, from outside the app."""
    detail: dict[str, Any] = exc.detail if isinstance(exc.detail, dict) else {}
    body = json.dumps({"error": detail}, ensure_ascii=False, separators=(",", ":")).encode()
    extra = exc.headers or {}
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in extra.items()),
    ]
    await send({"type": "http.response.start", "status": exc.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -- rates ---------------------------------------------------------------------------------
class RateLimiter:
    """A token bucket per client: ``burst`` requests at once, then ``per_minute``.

    Thread-safe. At most ``max_clients`` buckets are kept; the least recently
    used goes first (it comes back full, as for a client not seen for a while).
    ``clock`` (seconds, monotonic) is injectable so that tests refill buckets
    by moving it, never by waiting.
    """

    def __init__(
        self,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        assert per_minute > 0 and burst >= 1 and max_clients >= 1
        self.rate_per_s = per_minute / 60
        self.burst = burst
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one request from ``client``'s bucket: 0 if allowed, else seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate_per_s)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate_per_s
            self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait

    def clients(self) -> int:
        """Buckets held."""
        with self._lock:
            return len(self._buckets)
