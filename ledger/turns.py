"""Writers of one SQLite ledger take turns, so that none of them starves.

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

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = "-lock"
_WRITE, _TURNSTILE = 0, 1  # the bytes of the lock file that are locked
_OFD = fcntl is not None and hasattr(fcntl, "F_OFD_SETLKW")


def lock_path(db_path: str) -> str:
    """The lock file of a SQLite database file."""
    return db_path + LOCK_SUFFIX


class WriterTurns:
    """The write turn of one SQLite file, as one ledger object takes it."""

    eager = True  # taken for every attempt: it costs a few system calls

    def __init__(self, db_path: str) -> None:
        self.path = lock_path(db_path)
        self._fd: int | None = None
        self._local = threading.Lock()  # one thread of this object at a time
        self._usable = fcntl is not None

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this writer's turn (first come, first served); hold it for the block."""
        with self._local:
            fd = self._open()
            if fd is None:
                yield
                return
            _lock(fd, _TURNSTILE)
            try:
                _lock(fd, _WRITE)
            finally:
                _unlock(fd, _TURNSTILE)
            try:
                yield
            finally:
                _unlock(fd, _WRITE)

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
