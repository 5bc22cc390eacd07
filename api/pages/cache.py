"""Rendered public pages and their documents, kept while the log does not grow.

Keys start with the log's size, so a new entry makes every kept page stale.
A page is kept for :data:`SETTLED_S` seconds (so that erasing a person's
vault record, which does not grow the log, shows within that time), or only
:data:`UNSETTLED_S` when it may change at the same size: its checkpoint not
signed yet, or the read models behind the log. Many requests for one page
that is not kept wait for one of them to draw it, instead of all drawing it.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar
from weakref import WeakKeyDictionary

from api.service import LedgerService

T = TypeVar("T")
SETTLED_S = 60.0
UNSETTLED_S = 1.0
KEPT = 256


@dataclass(frozen=True)
class Rendered:
    """A page's bytes, gzipped once, with its status, type and entity tag."""

    status: int
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str

    @classmethod
    def of(cls, status: int, body: bytes, media_type: str) -> Rendered:
        tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return cls(status, body, gzip.compress(body, 6, mtime=0), media_type, tag)


class Kept(Generic[T]):
    """A bounded map of values that expire, with one maker per missing key."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._values: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def _fresh(self, key: Hashable) -> T | None:
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._values[key]
                return None
            self._values.move_to_end(key)
            return found[1]

    def get(self, key: Hashable, make: Callable[[], tuple[T, bool]]) -> T:
        """The kept value of ``key``, or ``make()``'s (value, settled) kept from now."""
        found = self._fresh(key)
        if found is not None:
            return found
        with self._lock:
            maker = self._making.setdefault(key, threading.Lock())
        with maker:
            found = self._fresh(key)
            if found is not None:
                return found
            try:
                value, settled = make()
            except BaseException:
                with self._lock:
                    self._making.pop(key, None)
                raise
            expires = time.monotonic() + (SETTLED_S if settled else UNSETTLED_S)
            with self._lock:
                self._values[key] = (expires, value)
                self._values.move_to_end(key)
                while len(self._values) > self.kept:
                    self._values.popitem(last=False)
                self._making.pop(key, None)
            return value


class PageCache:
    """One service's kept documents (language-neutral) and rendered pages."""

    def __init__(self) -> None:
        self.documents: Kept[object] = Kept()
        self.pages: Kept[Rendered] = Kept()


_CACHES: WeakKeyDictionary[LedgerService, PageCache] = WeakKeyDictionary()
_CACHES_LOCK = threading.Lock()


def drop_cache(service: LedgerService) -> None:
    """Forget the pages kept for ``service`` (drawn again when next asked for)."""
    with _CACHES_LOCK:
        _CACHES.pop(service, None)


def cache_of(service: LedgerService) -> PageCache:
    with _CACHES_LOCK:
        found = _CACHES.get(service)
        if found is None:
            found = _CACHES[service] = PageCache()
        return found
