"""Where the ledger lives: one SQLite file, or a PostgreSQL database.

The event store is eventsourcing's stock SQLite or PostgreSQL application
recorder (the latter in :mod:`ledger.storage.postgres`). It is extended by
two tables written by the recorder's ``_insert_events`` hook, inside the same
transaction as the events: the personal-data vault, whose sealed records
are stored together with the statements that commit to them or not at all,
and the nonce claims (:mod:`ledger.domain.nonces`). The same hook runs the
caller's ``before_commit`` check last, so that a check can still roll the
whole transaction back.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoder,
    UUIDAsHex,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor, SQLiteDatastore
from eventsourcing.utils import get_topic

from ledger.domain import nonces as nonce_store
from ledger.domain.nonces import NONCE_TABLE, Claim, ClaimRow
from ledger.errors import InvalidField
from ledger.formats.dsse import Envelope

DEFAULT_DB = "./ansinh.db"
VAULT_TABLE = "ansinh_vault"
CACHE_SIZE = 50_000
# notification id, originator (hex), version, topic, state
EventRow = tuple[int, str, int, str, bytes]
AUDIT_PAGE = 5000  # rows read at a time when a whole table is checked


@dataclass(frozen=True)
class SealedRecord:
    """A vault record as stored: encrypted, bound to its person and commitment."""

    person_id: str
    commitment: str
    sealed: bytes
    recorded_at: str


def resolve_db(db: str | None) -> str:
    """The database to use: the argument, else ``ANSINH_DB``, else ``./ansinh.db``."""
    return db or os.environ.get("ANSINH_DB") or DEFAULT_DB


def is_postgres(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def sqlite_path(db: str) -> str:
    """What SQLite is given for ``--db``: a file path, ``:memory:`` or a ``file:`` URI."""
    return db[len("sqlite:///") :] if db.startswith("sqlite:///") else db


def sqlite_file(db: str) -> str | None:
    """The SQLite database file ``--db`` names; None for PostgreSQL, memory or a URI."""
    if is_postgres(db):
        return None
    path = sqlite_path(db)
    return None if path == ":memory:" or path.startswith("file:") else path


def _postgres_recorder() -> type:
    from ledger.storage.postgres import PostgresLedgerRecorder  # it builds on this module

    return PostgresLedgerRecorder


def eventsourcing_env(db: str, name: str = "Ledger", *, create: bool = True) -> dict[str, str]:
    """Settings for eventsourcing's stock recorders, from ``--db``.

    ``create``: a SQLite file may be new: its directory is made.
    """
    env = {
        "AGGREGATE_CACHE_MAXSIZE": str(CACHE_SIZE),
        "AGGREGATE_CACHE_FASTFORWARD": "n",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",
    }
    if is_postgres(db):
        url = urlsplit(db)
        query = parse_qs(url.query)
        dbname = unquote(url.path.lstrip("/"))
        if not dbname:
            raise InvalidField("db", "a PostgreSQL URL must name the database")
        env.update(
            {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": dbname,
                "POSTGRES_HOST": url.hostname or "127.0.0.1",
                "POSTGRES_PORT": str(url.port or 5432),
                "POSTGRES_USER": unquote(url.username or "postgres"),
                "POSTGRES_PASSWORD": unquote(url.password or ""),
                "POSTGRES_SCHEMA": query.get("schema", ["public"])[0],
                "POSTGRES_POOL_SIZE": "4",
                "POSTGRES_MAX_OVERFLOW": "4",
                "POSTGRES_LOCK_TIMEOUT": "10",
                "APPLICATION_RECORDER_TOPIC": get_topic(_postgres_recorder()),
            }
        )
    else:
        path = sqlite_path(db)
        if create and sqlite_file(db) is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        env.update(
            {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": path,
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": get_topic(SQLiteLedgerRecorder),
            }
        )
    return env


class LedgerMapper(Mapper[UUID]):
    """The stock mapper, with a shortcut for the ledger's own events.

    The events an acceptance writes hold only strings, integers, UUIDs, a
    timestamp and an accepted envelope, whose canonical JSON is already known.
    Their state is written here as exactly the bytes the stock JSON transcoder
    writes (keys in the event's order, ``ensure_ascii=False``, compact, UUIDs
    and datetimes in its ``_type_``/``_data_`` form; an accepted envelope's
    keys are in canonical order, so its canonical bytes are its stock
    encoding). Anything else, and every read, takes the stock path.
    """

    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self._plain = (
            cipher is None
            and compressor is None
            and isinstance(transcoder, JSONTranscoder)
            and isinstance(transcoder.types.get(UUID), UUIDAsHex)
            and isinstance(transcoder.types.get(datetime), DatetimeAsISO)
        )

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        cls = type(domain_event)
        topic = _topics.get(cls)
        if topic is None:
            topic = _topics[cls] = get_topic(cls) if getattr(cls, "class_version", 1) == 1 else ""
        if self._plain and topic:
            fields = vars(domain_event)
            state = _encode_state(fields)
            if state is not None:
                # StoredEvent(...), less its frozen dataclass's __init__
                stored = object.__new__(StoredEvent)
                object.__setattr__(
                    stored,
                    "__dict__",
                    {
                        "originator_id": fields["originator_id"],
                        "originator_version": fields["originator_version"],
                        "topic": topic,
                        "state": state,
                    },
                )
                return stored
        return super().to_stored_event(domain_event)


_topics: dict[type, str] = {}  # an event class's topic; "" if it has upcasting to do


def reads_plain(mapper: Mapper[UUID]) -> bool:
    """Whether stored states are plain JSON (nothing encrypted or compressed).

    Then a log entry's fields can be read from its stored state directly,
    without building the event (:func:`entry_fields`).
    """
    return (
        mapper.cipher is None
        and mapper.compressor is None
        and isinstance(mapper.transcoder, JSONTranscoder)
    )


def entry_fields(state: bytes) -> tuple[int, str, dict[str, Any]]:
    """A stored log entry's index, ``recorded_at`` and envelope (see :func:`reads_plain`)."""
    fields = orjson.loads(state)
    return fields["index"], fields["recorded_at"], fields["envelope"]


def _encode_state(state: dict[str, Any]) -> bytes | None:
    """What ``JSONTranscoder.encode`` gives for an event's state, or None to let it decide."""
    global _last_stamp
    parts = []
    for key, value in state.items():
        kind = type(value)
        if kind is str:
            if key == "originator_id":
                continue
            text = encode_basestring(value)
        elif kind is int:
            if key == "originator_version":
                continue
            text = int.__repr__(value)
        elif kind is Envelope:
            text = value.canonical.decode()
        elif kind is datetime:
            # The events of one submission share one timestamp: format it once.
            stamp = _last_stamp
            if stamp[0] is not value:
                stamp = _last_stamp = (value, _DATETIME % encode_basestring(value.isoformat()))
            text = stamp[1]
        elif kind is UUID:
            if key == "originator_id":
                continue
            text = _UUID % value.hex
        else:
            return None
        prefix = _prefixes.get(key)
        if prefix is None:
            prefix = _prefixes[key] = f"{encode_basestring(key)}:"
        parts.append(prefix + text)
    return ("{" + ",".join(parts) + "}").encode()


_DATETIME = '{"_type_":"datetime_iso","_data_":%s}'
_UUID = '{"_type_":"uuid_hex","_data_":"%s"}'
_prefixes: dict[str, str] = {}
_last_stamp: tuple[datetime | None, str] = (None, "")


def streamed(datastore: SQLiteDatastore, query: str) -> Iterator[tuple[Any, ...]]:
    """Every row a query gives, read a page at a time (for checking a whole table)."""
    with datastore.transaction(commit=False) as c:
        c.execute(query)
        while rows := c.sqlite_cursor.fetchmany(AUDIT_PAGE):
            yield from rows


def vault_rows(kwargs: dict[str, Any]) -> Sequence[SealedRecord]:
    rows: Sequence[SealedRecord] = kwargs.get("vault_records") or ()
    return rows


def nonce_rows(kwargs: dict[str, Any]) -> Sequence[ClaimRow]:
    rows: Sequence[ClaimRow] = kwargs.get("nonce_claims") or ()
    return rows


def run_before_commit(kwargs: dict[str, Any]) -> None:
    """Run the caller's last check, once everything is written and not yet committed.

    ``before_commit``: a function that raises to roll the transaction back
    (acceptance settles a batch's signature checks there, so that the helper
    process checks them while the rows are being written).
    """
    check = kwargs.get("before_commit")
    if check is not None:
        check()


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    """The stock SQLite recorder, plus the vault and nonce tables written in the same
    transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {VAULT_TABLE} ("
            "person_id TEXT NOT NULL, commitment TEXT NOT NULL, sealed BLOB, "
            "recorded_at TEXT NOT NULL, PRIMARY KEY (person_id, commitment))",
            nonce_store.SQLITE_CREATE,
        ]

    def create_table(self) -> None:
        # In one transaction: the tables, and the claims of an older ledger
        # copied into the nonce table when it is created.
        with self.datastore.transaction(commit=True) as c:
            c.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (NONCE_TABLE,))
            new = c.fetchone() is None
            for statement in self.create_table_statements:
                c.execute(statement)
            if new:
                c.execute(
                    f"SELECT originator_id, state FROM {self.events_table_name} WHERE topic=?",
                    (nonce_store.EVENT_TOPIC,),
                )
                rows = nonce_store.claims_from_events(c.fetchall())
                c.executemany(f"INSERT OR IGNORE INTO {NONCE_TABLE} VALUES (?,?,?)", rows)

    def nonce_claim(self, key: bytes) -> Claim | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT entry, digest FROM {NONCE_TABLE} WHERE claim=?", (key,))
            found = c.fetchone()
        return nonce_store.claim_of(found)

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The stock method inserts the events one statement at a time to
        # return their notification ids, which nothing here reads (the log is
        # read by rowid, in insertion order): the same rows, in the same order,
        # in one executemany.
        rows = vault_rows(kwargs)
        if rows:
            c.executemany(
                f"INSERT OR REPLACE INTO {VAULT_TABLE} VALUES (?,?,?,?)",
                [(r.person_id, r.commitment, r.sealed, r.recorded_at) for r in rows],
            )
        claims = nonce_rows(kwargs)
        if claims:  # a claim already made fails the transaction (IntegrityError)
            c.executemany(f"INSERT INTO {NONCE_TABLE} VALUES (?,?,?)", claims)
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
        run_before_commit(kwargs)
        return None

    def event_rows(self, after: int, limit: int) -> list[EventRow]:
        """Stored events after notification ``after``, in order, as plain tuples.

        What a whole-table check reads: no Notification, no UUID built per row.
        """
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT rowid, originator_id, originator_version, topic, state "
                f"FROM {self.events_table_name} WHERE rowid>? ORDER BY rowid LIMIT ?",
                (after, limit),
            )
            rows: list[EventRow] = c.sqlite_cursor.fetchall()
            return rows

    def nonce_rows(self) -> Iterator[ClaimRow]:
        """Every nonce claim, by entry (streamed: one sort, in the database)."""
        query = f"SELECT claim, entry, digest FROM {NONCE_TABLE} ORDER BY entry"
        for claim, entry, digest in streamed(self.datastore, query):
            yield bytes(claim), int(entry), bytes(digest)

    def vault_select(self, person_id: str) -> list[SealedRecord]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT person_id, commitment, sealed, recorded_at FROM {VAULT_TABLE} "
                "WHERE person_id=? AND sealed IS NOT NULL",
                (person_id,),
            )
            return [SealedRecord(*row) for row in c.fetchall()]

    def vault_erase(self, person_id: str) -> int:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {VAULT_TABLE} WHERE person_id=?", (person_id,))
            c.execute("SELECT changes()")
            return int(c.fetchone()[0])

    def vault_all(self) -> list[SealedRecord]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT person_id, commitment, sealed, recorded_at FROM {VAULT_TABLE}")
            return [SealedRecord(*row) for row in c.fetchall()]
