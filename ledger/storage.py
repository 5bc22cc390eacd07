"""Where the ledger lives: one SQLite file, or a PostgreSQL database.

The event store is eventsourcing's stock SQLite or PostgreSQL application
recorder. The only extension is the personal-data vault: its sealed records
are written by the recorder's ``_insert_events`` hook, inside the same
transaction as the events that commit to them, so a statement and its
personal data are stored together or not at all. The same hook runs the
caller's ``before_commit`` check last, so that a check can still roll the
whole transaction back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
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
    InterfaceError,
    JSONTranscoder,
    Mapper,
    OperationalError,
    StoredEvent,
    Transcoder,
    UUIDAsHex,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import get_topic, retry
from psycopg.sql import SQL, Identifier

from ledger.dsse import Envelope
from ledger.errors import InvalidField

DEFAULT_DB = "./ansinh.db"
VAULT_TABLE = "ansinh_vault"
CACHE_SIZE = 50_000


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


def eventsourcing_env(db: str, name: str = "Ledger") -> dict[str, str]:
    """Settings for eventsourcing's stock recorders, from ``--db``."""
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
                "APPLICATION_RECORDER_TOPIC": get_topic(PostgresLedgerRecorder),
            }
        )
    else:
        path = db[len("sqlite:///") :] if db.startswith("sqlite:///") else db
        if path != ":memory:" and not path.startswith("file:"):
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


def _vault_rows(kwargs: dict[str, Any]) -> Sequence[SealedRecord]:
    rows: Sequence[SealedRecord] = kwargs.get("vault_records") or ()
    return rows


def _before_commit(kwargs: dict[str, Any]) -> None:
    """Run the caller's last check, once everything is written and not yet committed.

    ``before_commit``: a function that raises to roll the transaction back
    (acceptance settles a batch's signature checks there, so that the helper
    process checks them while the rows are being written).
    """
    check = kwargs.get("before_commit")
    if check is not None:
        check()


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    """The stock SQLite recorder, plus the vault table written in the same transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {VAULT_TABLE} ("
            "person_id TEXT NOT NULL, commitment TEXT NOT NULL, sealed BLOB, "
            "recorded_at TEXT NOT NULL, PRIMARY KEY (person_id, commitment))",
        ]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The stock method inserts the events one statement at a time to
        # return their notification ids, which nothing here reads (the log is
        # read by rowid, in insertion order): the same rows, in the same order,
        # in one executemany.
        rows = _vault_rows(kwargs)
        if rows:
            c.executemany(
                f"INSERT OR REPLACE INTO {VAULT_TABLE} VALUES (?,?,?,?)",
                [(r.person_id, r.commitment, r.sealed, r.recorded_at) for r in rows],
            )
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
        _before_commit(kwargs)
        return None

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


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    """The stock PostgreSQL recorder, plus the vault table written in the same transaction."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.vault_table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(VAULT_TABLE)
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (person_id text NOT NULL, "
                "commitment text NOT NULL, sealed bytea, recorded_at text NOT NULL, "
                "PRIMARY KEY (person_id, commitment))"
            ).format(self.vault_table)
        )

    def create_table(self) -> None:
        # Processes opening one ledger at the same moment would race on
        # CREATE TYPE / CREATE OR REPLACE FUNCTION ("tuple concurrently
        # updated"): create the tables under a lock held for this schema.
        key = f"{self.datastore.schema}.{self.events_table_name}"
        with self.datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            try:
                super().create_table()
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The stock method sends the statement through a psycopg pipeline; with
        # psycopg 3.3 a pipelined query of more than a few MB (a batch of a few
        # thousand statements) never completes, holding the table lock. The
        # same steps in the same transaction, without the pipeline.
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            self._insert_events(curs, stored_events, **kwargs)
            ids: Sequence[int] | None = []
            if stored_events:
                self._insert_stored_events(curs, stored_events, **kwargs)
                ids = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
            _before_commit(kwargs)
            return ids

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        for r in _vault_rows(kwargs):
            curs.execute(
                SQL(
                    "INSERT INTO {0} VALUES (%s,%s,%s,%s) ON CONFLICT (person_id, commitment) "
                    "DO UPDATE SET sealed=EXCLUDED.sealed, recorded_at=EXCLUDED.recorded_at"
                ).format(self.vault_table),
                (r.person_id, r.commitment, r.sealed, r.recorded_at),
            )
        super()._insert_events(curs, stored_events, **kwargs)

    def vault_select(self, person_id: str) -> list[SealedRecord]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL(
                    "SELECT person_id, commitment, sealed, recorded_at FROM {0} "
                    "WHERE person_id=%s AND sealed IS NOT NULL"
                ).format(self.vault_table),
                (person_id,),
            )
            return [
                SealedRecord(r["person_id"], r["commitment"], bytes(r["sealed"]), r["recorded_at"])
                for r in curs.fetchall()
            ]

    def vault_erase(self, person_id: str) -> int:
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute(
                SQL("DELETE FROM {0} WHERE person_id=%s").format(self.vault_table), (person_id,)
            )
            return int(curs.rowcount)

    def vault_all(self) -> list[SealedRecord]:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT person_id, commitment, sealed, recorded_at FROM {0}").format(
                    self.vault_table
                )
            )
            return [
                SealedRecord(r["person_id"], r["commitment"], bytes(r["sealed"]), r["recorded_at"])
                for r in curs.fetchall()
            ]


LedgerRecorder = SQLiteLedgerRecorder | PostgresLedgerRecorder
