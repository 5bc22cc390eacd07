"""The ledger's store in one SQLite file: the recorder, and the writers' turn.

The recorder is eventsourcing's stock SQLite application recorder plus the
ledger's tables (:class:`ledger.storage.recorder.LedgerRecorder`), written
by its ``_insert_events`` hook inside the same transaction as the events;
the same hook runs the caller's ``before_commit`` check last, so that a
check can still roll the whole transaction back.

The writers' turn (:class:`SQLiteTurns`): SQLite lets one writer in at a
time, and a writer that finds the file locked polls for it, sleeping longer
each time: a process that writes again and again (``ansinh serve`` under
load) keeps finding it free first. Worse, a writer prepares its statements
against the log's head before it writes, and must start over whenever
another wrote first; a large batch, slow to prepare, would start over for
ever.

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
from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore

from ledger.domain.log import Claim, ClaimRow
from ledger.formats.vault import SealedRecord
from ledger.storage import recorder
from ledger.storage.turns import Turns

try:
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = "-lock"
_WRITE, _TURNSTILE = 0, 1  # the bytes of the lock file that are locked
_OFD = fcntl is not None and hasattr(fcntl, "F_OFD_SETLKW")


def streamed(datastore: SQLiteDatastore, query: str) -> Iterator[tuple[Any, ...]]:
    """Every row a query gives, read a page at a time (for checking a whole table)."""
    with datastore.transaction(commit=False) as c:
        c.execute(query)
        while rows := c.sqlite_cursor.fetchmany(recorder.AUDIT_PAGE):
            yield from rows


class SQLiteLedgerRecorder(SQLiteApplicationRecorder, recorder.LedgerRecorder):
    """The stock SQLite recorder, plus the vault and nonce tables written in the same
    transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {recorder.VAULT_TABLE} ("
            "person_id TEXT NOT NULL, commitment TEXT NOT NULL, sealed BLOB, "
            "recorded_at TEXT NOT NULL, PRIMARY KEY (person_id, commitment))",
            f"CREATE TABLE IF NOT EXISTS {recorder.NONCE_TABLE} "
            "(claim BLOB PRIMARY KEY, entry INTEGER NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID",
        ]

    def create_table(self) -> None:
        # In one transaction: the tables, and the claims of an older ledger
        # copied into the nonce table when it is created.
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (recorder.NONCE_TABLE,)
            )
            new = c.fetchone() is None
            for statement in self.create_table_statements:
                c.execute(statement)
            if new:
                c.execute(
                    f"SELECT originator_id, state FROM {self.events_table_name} WHERE topic=?",
                    (recorder.LEGACY_NONCE_TOPIC,),
                )
                rows = recorder.claims_from_events(c.fetchall())
                c.executemany(f"INSERT OR IGNORE INTO {recorder.NONCE_TABLE} VALUES (?,?,?)", rows)

    def nonce_claim(self, key: bytes) -> Claim | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT entry, digest FROM {recorder.NONCE_TABLE} WHERE claim=?", (key,))
            found = c.fetchone()
        return recorder.claim_of(found)

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The stock method inserts the events one statement at a time to
        # return their notification ids, which nothing here reads (the log is
        # read by rowid, in insertion order): the same rows, in the same order,
        # in one executemany.
        rows = recorder.vault_rows(kwargs)
        if rows:
            c.executemany(
                f"INSERT OR REPLACE INTO {recorder.VAULT_TABLE} VALUES (?,?,?,?)",
                [(r.person_id, r.commitment, r.sealed, r.recorded_at) for r in rows],
            )
        claims = recorder.nonce_rows(kwargs)
        if claims:  # a claim already made fails the transaction (IntegrityError)
            c.executemany(f"INSERT INTO {recorder.NONCE_TABLE} VALUES (?,?,?)", claims)
        c.executemany(
            self.insert_events_statement,
            [
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ],
        )
        recorder.run_before_commit(kwargs)
        return None

    def event_rows(self, after: int, limit: int) -> list[recorder.EventRow]:
        """Stored events after notification ``after``, in order, as plain tuples.

        What a whole-table check reads: no Notification, no UUID built per row.
        """
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE rowid>? ORDER BY rowid LIMIT ?",
                (after, limit),
            )
            rows: list[recorder.EventRow] = c.sqlite_cursor.fetchall()
            return rows

    def nonce_rows(self) -> Iterator[ClaimRow]:
        """Every nonce claim, by entry (streamed: one sort, in the database)."""
        query = f"SELECT claim, entry, digest FROM {recorder.NONCE_TABLE} ORDER BY entry"
        for claim, entry, digest in streamed(self.datastore, query):
            yield bytes(claim), int(entry), bytes(digest)

    def vault_select(self, person_id: str) -> list[SealedRecord]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT person_id, commitment, sealed, recorded_at FROM {recorder.VAULT_TABLE} "
                "WHERE person_id=? AND sealed IS NOT NULL",
                (person_id,),
            )
            return [SealedRecord(*row) for row in c.fetchall()]

    def vault_erase(self, person_id: str) -> int:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {recorder.VAULT_TABLE} WHERE person_id=?", (person_id,))
            c.execute("SELECT changes()")
            return int(c.fetchone()[0])

    def vault_all(self) -> list[SealedRecord]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT person_id, commitment, sealed, recorded_at FROM {recorder.VAULT_TABLE}"
            )
            return [SealedRecord(*row) for row in c.fetchall()]


def lock_path(db_path: str) -> str:
    """The lock file of a SQLite database file."""
    return db_path + LOCK_SUFFIX


class SQLiteTurns(Turns):
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
