"""Writers of one ledger take turns, so that none of them starves.

A writer prepares its statements against the log's head before it writes,
and must start over whenever another wrote first: a large batch, slow to
prepare, beside a server writing all the time, would start over for ever.
So writers take turns (:class:`Turns`), one implementation per database:
:class:`ledger.storage.sqlite.SQLiteTurns` (a lock file beside the
database, taken for every attempt) and
:class:`ledger.storage.postgres.PostgresTurns` (an advisory lock, taken
after a conflict). A submission holds either through a :class:`Turn`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager


class Turns(ABC):
    """A ledger's write turn, as one ledger object takes it."""

    eager: bool  # taken for every attempt, or only after a conflict

    @abstractmethod
    def acquire(self) -> None:
        """Wait for this writer's turn."""

    @abstractmethod
    def release(self) -> None:
        """Let the next writer have the turn."""

    @abstractmethod
    def close(self) -> None:
        """Let go of what taking turns holds (a file, a connection)."""

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold this writer's turn for the block."""
        self.acquire()
        try:
            yield
        finally:
            self.release()


class Turn:
    """One submission's hold on the turn: from the first attempt where taking it is cheap
    (SQLite), else from the attempt after the first conflict (PostgreSQL)."""

    __slots__ = ("_turns", "held")

    def __init__(self, turns: Turns | None) -> None:
        self._turns = turns
        self.held = False

    def __enter__(self) -> Turn:
        if self._turns is not None and self._turns.eager:
            self._turns.acquire()
            self.held = True
        return self

    def take(self) -> bool:
        """After a conflict: take the turn, unless it is held (or there is none); taken now?"""
        if self.held or self._turns is None:
            return False
        self._turns.acquire()
        self.held = True
        return True

    def __exit__(self, *_: object) -> None:
        if self.held and self._turns is not None:
            self.held = False
            self._turns.release()
