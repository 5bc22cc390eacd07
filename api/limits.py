"""What one server accepts from its clients: sign-in rates.

Settings of ``ansinh serve`` (:class:`Limits`, documented in the README):

- **Sign-in.** Each client address may make ``signin_per_minute`` requests
  to ``/v1/auth/challenge`` and ``/v1/auth/token`` a minute, after a burst
  of ``signin_burst`` (a token bucket per address, :class:`RateLimiter`);
  beyond it the answer is ``429 RATE_LIMITED`` with ``Retry-After``. The
  per-key bounds on pending challenges and sessions are the store's
  (:class:`api.signin_store.Bounds`).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import HTTPException

MAX_CLIENTS = 10_000  # rate-limit buckets kept at once (the least recently used go first)


@dataclass(frozen=True)
class Limits:
    """What the server accepts (``ansinh serve`` flags; see the module's docstring)."""

    signin_per_minute: float = 30.0
    signin_burst: int = 60

    def __post_init__(self) -> None:
        assert self.signin_per_minute > 0 and self.signin_burst >= 1


def rate_limited(message: str, retry_after_s: float) -> HTTPException:
    """429 ``RATE_LIMITED`` with ``Retry-After`` (whole seconds, at least 1)."""
    seconds = max(1, math.ceil(retry_after_s))
    return HTTPException(
        429,
        detail={"code": "RATE_LIMITED", "message": f"{message}; retry in {seconds} s"},
        headers={"Retry-After": str(seconds)},
    )


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
