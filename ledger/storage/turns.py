"""Writers of one ledger take turns, so that none of them starves: here, SQLite's turn.

(PostgreSQL's is :class:`ledger.storage.postgres.PostgresTurns`; a
submission holds either through a :class:`Turn`.)

SQLite lets one writer in at a time, and a writer that finds the file
locked polls for it, sleeping longer each time: a process that writes again
and again (``ansinh serve`` under load) keeps finding it free first. Worse,
a writer prepares its statements against the log's head before it writes,
and must start over whenever another wrote first; a large batch, slow to
prepare, would start over for ever.

So each attempt to record (reading the head, applying the rules, writing)
is made holding the ledger's write turn: a lock on a file beside the
database (``ansinh.db-lock``), taken blocking (the kernel wakes the waiter;
nothing polls). The turn is taken through a turnstile, a second lock held
only until the write lock is had: a writer that finishes and comes straight
back finds the turnstile held by whoever was already waiting, and waits
behind them. Writers therefore alternate; none can take every turn.

The locks are Linux's open-file-description locks, owned by the file the
lock is taken through rather than by the process: two ledgers open on one
file in one process take turns too. Elsewhere, POSIX record locks stand in
(owned by the process: its threads then take turns only through the
in-process lock of each ledger object). Without ``fcntl`` (Windows), there
are no turns: writers retry as before.
"""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from ledger.storage.sqlite import is_postgres, sqlite_file

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = "-lock"
_WRITE, _TURNSTILE = 0, 1  # the bytes of the lock file that are locked
_OFD = fcntl is not None and hasattr(fcntl, "F_OFD_SETLKW")


def writer_turns(db: str, env: dict[str, str]) -> Turns | None:
    """The write turn of the ledger in ``db`` (its eventsourcing settings ``env``); None
    for a database in memory, which has one writer."""
    if is_postgres(db):
        from ledger.storage.postgres import PostgresTurns

        return PostgresTurns(env)
    path = sqlite_file(db)
    return None if path is None else WriterTurns(path)


def lock_path(db_path: str) -> str:
    """The lock file of a SQLite database file."""
    return db_path + LOCK_SUFFIX


class Turns(Protocol):
    """A ledger's write turn, as one ledger object takes it (SQLite here; PostgreSQL in
    :mod:`ledger.storage.postgres`)."""

    eager: bool  # taken for every attempt, or only after a conflict

    def acquire(self) -> None: ...
    def release(self) -> None: ...
    def close(self) -> None: ...


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


class WriterTurns:
    """The write turn of one SQLite file, as one ledger object takes it."""

    eager = True  # taken for every attempt: it costs a few system calls

    def __init__(self, db_path: str) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None
        self._local = threading.Lock()  # one thread of this object at a time
        self._usable = fcntl is not None

    def acquire(self) -> None:
        """Wait for this writer's turn (first come, first served)."""
        self._local.acquire()
        try:
            fd = self._open()
            if fd is not None:
                _lock(fd, _TURNSTILE)
                try:
                    _lock(fd, _WRITE)
                finally:
                    _unlock(fd, _TURNSTILE)
        except BaseException:
            self._local.release()
            raise

    def release(self) -> None:
        try:
            if self._fd is not None:
                _unlock(self._fd, _WRITE)
        finally:
            self._local.release()

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold this writer's turn for the block."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def close(self) -> None:
        with self._local:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def __del__(self) -> None:
        if self._fd is not None:  # a ledger object dropped without being closed
            os.close(self._fd)

    def _open(self) -> int | None:
        """The lock file, created when first needed; None when turns cannot be taken here.

        (A writer may write the database's directory: SQLite keeps its
        journal there. When the lock file still cannot be made, the writer
        goes without turns, retrying as writers did before them.)
        """
        if self._fd is None and self._usable:
            try:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError:
                self._usable = False
        return self._fd


def _lock(fd: int, byte: int) -> None:
    if _OFD:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLKW, _flock(fcntl.F_WRLCK, byte))
    else:
        fcntl.lockf(fd, fcntl.LOCK_EX, 1, byte, os.SEEK_SET)


def _unlock(fd: int, byte: int) -> None:
    if _OFD:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock(fcntl.F_UNLCK, byte))
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, byte, os.SEEK_SET)


def _flock(kind: int, byte: int) -> bytes:
    """Linux's ``struct flock`` (32 bytes) for one byte; ``l_pid`` 0, as such locks require."""
    return struct.pack("hhqqi4x", kind, os.SEEK_SET, byte, 1, 0)
