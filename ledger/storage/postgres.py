"""The ledger's store in a PostgreSQL database: the recorder, and the writers' turn.

The recorder is eventsourcing's stock PostgreSQL application recorder plus
the ledger's tables (:class:`ledger.storage.recorder.LedgerRecorder`),
written in the same transaction as the events, as with SQLite
(:mod:`ledger.storage.sqlite`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.adapt import PyFormat
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier, Literal
from psycopg.types.composite import register_composite

from ledger.domain.log import Claim, ClaimRow
from ledger.errors import DatabaseUnreachable
from ledger.formats.vault import SealedRecord
from ledger.storage import recorder
from ledger.storage.turns import Turns

CONNECT_TIMEOUT_S = 3  # a server that does not answer the first connection by then is down


def check_reachable(env: dict[str, str]) -> None:
    """Connect once, briefly, before the connection pool is made.

    A server that is down, or refuses the user or the database, is then a
    one-line refusal within seconds, saying why (the pool would retry for
    half a minute and say only that it had waited).
    """
    host, port, dbname = env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]
    try:
        psycopg.connect(
            host=host,
            port=port,
            dbname=dbname,
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            connect_timeout=CONNECT_TIMEOUT_S,
        ).close()
    except psycopg.Error as exc:
        reason = " ".join(str(exc).split())
        raise DatabaseUnreachable(
            f"cannot connect to PostgreSQL at {host}:{port}/{dbname}: {reason}"
        ) from None


def turn_key(schema: str) -> int:
    """The advisory lock of a ledger's write turn (a signed 64-bit key, from its schema)."""
    digest = hashlib.sha256(f"ansinh.writers:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresTurns(Turns):
    """The write turn of one PostgreSQL ledger: its writers take turns, none starves.

    As with SQLite (:class:`ledger.storage.sqlite.SQLiteTurns`): a writer prepares its statements
    against the log's head and starts over when another wrote first, so a
    large batch beside a server recording all the time would start over for
    ever. A writer that had to start over makes its next attempts holding
    the ledger's turn: an advisory lock (:func:`turn_key`), exclusive, held
    by a session of its own. Every other write waits for it as its
    transaction begins (:meth:`PostgresLedgerRecorder.insert_events` takes
    the same lock shared), and the server's lock manager queues whoever
    waits in order: once a writer asks for the turn, writes that come after
    it wait behind it. Writers that meet no one pay nothing for this: the
    shared lock is taken in the round trip that sets the lock timeout.
    """

    eager = False  # the turn is taken after a conflict, not for every attempt

    def __init__(self, env: dict[str, str]) -> None:
        self._connect_args: dict[str, Any] = {
            "host": env["POSTGRES_HOST"],
            "port": env["POSTGRES_PORT"],
            "dbname": env["POSTGRES_DBNAME"],
            "user": env["POSTGRES_USER"],
            "password": env["POSTGRES_PASSWORD"],
            "connect_timeout": CONNECT_TIMEOUT_S,
            "autocommit": True,
        }
        self.key = turn_key(env["POSTGRES_SCHEMA"])
        self._conn: psycopg.Connection[Any] | None = None
        self._local = threading.Lock()  # one thread of this object at a time

    def acquire(self) -> None:
        """Wait for this writer's turn (the lock manager queues those who wait)."""
        self._local.acquire()
        try:
            self._take()
        except BaseException:
            self._local.release()
            raise

    def release(self) -> None:
        try:
            if self._conn is not None:
                self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
        except psycopg.Error:  # the session is gone, and its lock with it
            self._drop()
        finally:
            self._local.release()

    def _take(self) -> None:
        for attempt in (1, 2):
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(**self._connect_args)
                self._conn.execute("SELECT pg_advisory_lock(%s)", (self.key,))
                return
            except psycopg.OperationalError:
                self._drop()  # a connection lost since the last turn: once more, anew
                if attempt == 2:
                    raise

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._local:
            self._drop()


def streamed(datastore: PostgresDatastore, query: Composed) -> Iterator[tuple[Any, ...]]:
    """Every row a query gives, through a server-side cursor, a page at a time."""
    with (
        datastore.get_connection() as conn,
        conn.transaction(),
        conn.cursor(name="ansinh_streamed", row_factory=tuple_row) as curs,
    ):
        curs.execute(query)
        while rows := curs.fetchmany(recorder.AUDIT_PAGE):
            yield from rows


class PostgresLedgerRecorder(PostgresApplicationRecorder, recorder.LedgerRecorder):
    """The stock PostgreSQL recorder, plus the vault and nonce tables written in the same
    transaction."""

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.vault_table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(recorder.VAULT_TABLE)
        )
        self.sql_create_statements.append(
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (person_id text NOT NULL, "
                "commitment text NOT NULL, sealed bytea, recorded_at text NOT NULL, "
                "PRIMARY KEY (person_id, commitment))"
            ).format(self.vault_table)
        )
        self.nonce_table = SQL("{0}.{1}").format(
            Identifier(self.datastore.schema), Identifier(recorder.NONCE_TABLE)
        )
        # As a write begins: wait while another writer holds the ledger's turn
        # (PostgresTurns), with no timeout, then set the stock lock timeout; in
        # one prepared statement, in the round trip the stock recorder made to
        # set the timeout. (The subquery is evaluated first.) The writer that
        # holds the turn only sets the timeout.
        self._begin_in_turn = self.lock_table_statements[0]  # SET LOCAL lock_timeout
        self._begin = SQL(
            "SELECT set_config('lock_timeout', {0}, true) "
            "FROM (SELECT pg_advisory_xact_lock_shared({1})) AS turn"
        ).format(
            Literal(f"{self.datastore.lock_timeout}s"), Literal(turn_key(self.datastore.schema))
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
                self._create_nonce_table()
            finally:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))

    def _create_nonce_table(self) -> None:
        """The nonce table; when it is new, with the claims an older ledger kept as events."""
        qualified = f"{self.datastore.schema}.{recorder.NONCE_TABLE}"
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            curs.execute("SELECT to_regclass(%s) IS NULL AS new", (qualified,))
            row = curs.fetchone()
            if not (row and row["new"]):
                return
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0} "
                    "(claim bytea PRIMARY KEY, entry bigint NOT NULL, digest bytea NOT NULL)"
                ).format(self.nonce_table)
            )
            curs.execute(
                SQL("SELECT originator_id, state FROM {0} WHERE topic=%s").format(
                    Identifier(self.datastore.schema, self.events_table_name)
                ),
                (recorder.LEGACY_NONCE_TOPIC,),
            )
            events = [(r["originator_id"], bytes(r["state"])) for r in curs.fetchall()]
            rows = recorder.claims_from_events(events)
            if rows:
                curs.executemany(
                    SQL("INSERT INTO {0} VALUES (%s,%s,%s) ON CONFLICT DO NOTHING").format(
                        self.nonce_table
                    ),
                    rows,
                )

    def nonce_claim(self, key: bytes) -> Claim | None:
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(
                SQL("SELECT entry, digest FROM {0} WHERE claim=%s").format(self.nonce_table),
                (key,),
            )
            found = curs.fetchone()
        return recorder.claim_of(None if found is None else (found["entry"], found["digest"]))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        # The stock method sends the statement through a psycopg pipeline; with
        # psycopg 3.3 a pipelined query of more than a few MB (a batch of a few
        # thousand statements) never completes, holding the table lock. The
        # same steps in the same transaction, without the pipeline.
        with self.datastore.get_connection() as conn, conn.transaction():
            self._own_composite(conn)  # (before the cursor: it copies the connection's adapters)
            with conn.cursor() as curs:
                # (before anything is written: a writer waiting for the turn holds nothing)
                begin = self._begin_in_turn if kwargs.get("in_turn") else self._begin
                curs.execute(begin, prepare=True)
                self._insert_events(curs, stored_events, **kwargs)
                ids: Sequence[int] | None = []
                if stored_events:
                    self._insert_stored_events(curs, stored_events, **kwargs)
                    ids = self._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
                recorder.run_before_commit(kwargs)
                return ids

    def _own_composite(self, conn: Any) -> None:
        """Make the connection dump events as this schema's composite type.

        The stock recorder sends events as an array of a composite type
        (``{schema}.stored_event_uuid``). psycopg makes one Python class per
        type name, whatever the schema, and a connection keeps one dumper per
        class: a connection shared with another commune's ledger
        (:mod:`ledger.storage.pool`) may be dumping for that one's schema,
        and the insert would fail to cast. Checked on each write (a lookup);
        registered again only when it is another schema's.
        """
        info = self.datastore.psycopg_type_adapters.get(self.stored_event_type_name)
        if info is None:
            return
        try:
            oid = conn.adapters.get_dumper(info.python_type, PyFormat.BINARY).oid
        except psycopg.ProgrammingError:
            oid = None
        if oid != info.oid:
            register_composite(info, conn)

    def _lock_table(self, curs: Any) -> None:
        # (its lock timeout was set as the transaction began)
        curs.execute(self.lock_table_statements[-1], prepare=True)

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        for r in recorder.vault_rows(kwargs):
            curs.execute(
                SQL(
                    "INSERT INTO {0} VALUES (%s,%s,%s,%s) ON CONFLICT (person_id, commitment) "
                    "DO UPDATE SET sealed=EXCLUDED.sealed, recorded_at=EXCLUDED.recorded_at"
                ).format(self.vault_table),
                (r.person_id, r.commitment, r.sealed, r.recorded_at),
            )
        claims = recorder.nonce_rows(kwargs)
        if claims:  # a claim already made fails the transaction (IntegrityError)
            curs.executemany(
                SQL("INSERT INTO {0} VALUES (%s,%s,%s)").format(self.nonce_table), claims
            )
        super()._insert_events(curs, stored_events, **kwargs)

    def event_rows(self, after: int, limit: int) -> list[recorder.EventRow]:
        """Stored events after notification ``after``, in order, as plain tuples."""
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(
                SQL(
                    "SELECT notification_id, replace(originator_id::text, '-', ''), "
                    "originator_version, topic, state FROM {0}.{1} "
                    "WHERE notification_id>%s ORDER BY notification_id LIMIT %s"
                ).format(Identifier(self.datastore.schema), Identifier(self.events_table_name)),
                (after, limit),
            )
            return [(r[0], r[1], r[2], r[3], bytes(r[4])) for r in curs.fetchall()]

    def nonce_rows(self) -> Iterator[ClaimRow]:
        """Every nonce claim, by entry (streamed through a server-side cursor)."""
        query = SQL("SELECT claim, entry, digest FROM {0} ORDER BY entry").format(self.nonce_table)
        for claim, entry, digest in streamed(self.datastore, query):
            yield bytes(claim), int(entry), bytes(digest)

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
