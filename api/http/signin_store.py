"""Sign-in state in the ledger's own database: pending challenges, live sessions.

Two tables beside the ledger's, on SQLite and PostgreSQL alike, so that a
restarted server keeps everyone signed in and a pending sign-in survives:

- ``ansinh_signin_challenges`` (digest, key_id, client, expires_at): a
  challenge waiting to be signed, bound to its key and to the address that
  asked for it;
- ``ansinh_signin_sessions`` (digest, key_id, issued_at, expires_at): a
  bearer token that was given out.

Neither is ledger data: nothing in the log refers to them, no bundle
carries them, and emptying them only signs everyone out. Each row holds
only what a check needs: the SHA-256 of the challenge or token (never the
token itself: a copy of the database signs no one in), the key it stands
for, and times in microseconds since 1970-01-01 UTC.

Both tables are bounded whatever a flood sends (:class:`Bounds`): expired
rows go first, then, for challenges, the oldest of whichever client holds
the most (so a flood from one address evicts its own challenges, never the
one a key's holder is answering from elsewhere); for sessions, the oldest
of the key, then the oldest of all. Every bound is checked and the row
written in one transaction (on PostgreSQL under a transaction lock), so
concurrent requests cannot overshoot them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from ledger.application import LedgerApplication

CHALLENGES = "ansinh_signin_challenges"
SESSIONS = "ansinh_signin_sessions"

_CREATE = (
    "CREATE TABLE IF NOT EXISTS {c} (digest {blob} PRIMARY KEY, key_id TEXT NOT NULL, "
    "client TEXT NOT NULL, expires_at BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {c_name}_key ON {c} (key_id, client)",
    "CREATE INDEX IF NOT EXISTS {c_name}_expiry ON {c} (expires_at)",
    "CREATE TABLE IF NOT EXISTS {s} (digest {blob} PRIMARY KEY, key_id TEXT NOT NULL, "
    "issued_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS {s_name}_key ON {s} (key_id, issued_at)",
    "CREATE INDEX IF NOT EXISTS {s_name}_expiry ON {s} (expires_at)",
)
# Drop the oldest challenge of the client holding the most (of one key, or of all).
_EVICT = (
    "DELETE FROM {c} WHERE digest = (SELECT digest FROM {c} WHERE client = ("
    "SELECT client FROM {c} WHERE {where} GROUP BY client "
    "ORDER BY count(*) DESC, min(expires_at) LIMIT 1) AND {where} "
    "ORDER BY expires_at, digest LIMIT 1)"
)


@dataclass(frozen=True)
class Bounds:
    """How many rows the sign-in tables hold at most.

    A commune office signs in a few officers a few times a day, each
    answering one challenge within seconds; these leave room for many
    offices behind one address and for officers with several windows open.
    """

    challenges_per_client: int = 8  # pending for one key from one client address
    challenges_per_key: int = 64  # pending for one key, all clients together
    challenges: int = 10_000
    sessions_per_key: int = 16
    sessions: int = 10_000

    def __post_init__(self) -> None:
        assert min(vars(self).values()) > 0, "every bound must allow at least one row"


class SignInStore:
    """Challenges and sessions in the ledger's database (see the module's docstring).

    The SQL is written once, with ``?`` placeholders and ``{c}``/``{s}`` for
    the tables; each backend says how to run it.
    """

    def __init__(self, bounds: Bounds | None = None) -> None:
        self.bounds = bounds or Bounds()

    # -- what each backend provides -----------------------------------------------------
    def _transaction(self, write: bool) -> Any:
        """A context manager giving a cursor, committed at the end when ``write``."""
        raise NotImplementedError

    def _sql(self, text: str) -> str:
        raise NotImplementedError

    def _lock(self, cursor: Any) -> None:
        """Serialise writers of these tables until the transaction ends."""

    # -- challenges -----------------------------------------------------------------------
    def add_challenge(
        self, digest: bytes, key_id: str, client: str, expires_at: int, now: int
    ) -> None:
        """Keep a new challenge, within the bounds; older ones may make room."""
        b = self.bounds
        with self._write() as tx:
            tx.do("DELETE FROM {c} WHERE expires_at <= ?", now)
            mine = tx.count("{c} WHERE key_id=? AND client=?", key_id, client)
            if mine >= b.challenges_per_client:
                tx.do(
                    "DELETE FROM {c} WHERE digest IN (SELECT digest FROM {c} WHERE key_id=? "
                    "AND client=? ORDER BY expires_at, digest LIMIT ?)",
                    key_id,
                    client,
                    mine - b.challenges_per_client + 1,
                )
            if tx.count("{c} WHERE key_id=?", key_id) >= b.challenges_per_key:
                tx.do(_EVICT.replace("{where}", "key_id=?"), key_id, key_id)
            if tx.count("{c}") >= b.challenges:
                tx.do(_EVICT.replace("{where}", "1=1"))
            tx.do("INSERT INTO {c} VALUES (?,?,?,?)", digest, key_id, client, expires_at)

    def take_challenge(self, digest: bytes) -> tuple[str, int] | None:
        """Use a challenge up: its key and expiry, or None if it is not (or no longer) held."""
        with self._write() as tx:
            rows = tx.rows("DELETE FROM {c} WHERE digest=? RETURNING key_id, expires_at", digest)
        return (str(rows[0]["key_id"]), int(rows[0]["expires_at"])) if rows else None

    # -- sessions -------------------------------------------------------------------------
    def add_session(self, digest: bytes, key_id: str, issued_at: int, expires_at: int) -> None:
        """Keep a new session, within the bounds: the oldest of the key, then of all, go first."""
        b = self.bounds
        with self._write() as tx:
            tx.do("DELETE FROM {s} WHERE expires_at <= ?", issued_at)
            held = tx.count("{s} WHERE key_id=?", key_id)
            if held >= b.sessions_per_key:
                tx.do(
                    "DELETE FROM {s} WHERE digest IN (SELECT digest FROM {s} WHERE key_id=? "
                    "ORDER BY issued_at, digest LIMIT ?)",
                    key_id,
                    held - b.sessions_per_key + 1,
                )
            held = tx.count("{s}")
            if held >= b.sessions:
                tx.do(
                    "DELETE FROM {s} WHERE digest IN (SELECT digest FROM {s} "
                    "ORDER BY issued_at, digest LIMIT ?)",
                    held - b.sessions + 1,
                )
            tx.do("INSERT INTO {s} VALUES (?,?,?,?)", digest, key_id, issued_at, expires_at)

    def session(self, digest: bytes) -> tuple[str, int] | None:
        """A session's key and expiry, or None."""
        with self._transaction(write=False) as cursor:
            tx = _Tx(cursor, self._sql)
            rows = tx.rows("SELECT key_id, expires_at FROM {s} WHERE digest=?", digest)
        return (str(rows[0]["key_id"]), int(rows[0]["expires_at"])) if rows else None

    def drop_session(self, digest: bytes) -> bool:
        """End a session; whether it was there."""
        with self._write() as tx:
            return bool(tx.rows("DELETE FROM {s} WHERE digest=? RETURNING key_id", digest))

    def sizes(self) -> tuple[int, int]:
        """Rows held: (challenges, sessions), expired ones included until the next write."""
        with self._transaction(write=False) as cursor:
            tx = _Tx(cursor, self._sql)
            return tx.count("{c}"), tx.count("{s}")

    @contextmanager
    def _write(self) -> Iterator[_Tx]:
        with self._transaction(write=True) as cursor:
            self._lock(cursor)
            yield _Tx(cursor, self._sql)


class _Tx:
    """Statements run in one transaction, in the shared SQL (see :class:`SignInStore`)."""

    def __init__(self, cursor: Any, sql: Callable[[str], str]) -> None:
        self.cursor, self.sql = cursor, sql

    def do(self, text: str, *params: Any) -> None:
        self.cursor.execute(self.sql(text), params)

    def rows(self, text: str, *params: Any) -> list[Any]:
        self.cursor.execute(self.sql(text), params)
        return list(self.cursor.fetchall())

    def count(self, where: str, *params: Any) -> int:
        """``SELECT count(*) FROM`` ``where``."""
        return int(self.rows(f"SELECT count(*) AS n FROM {where}", *params)[0]["n"])


class SQLiteSignInStore(SignInStore):
    def __init__(self, datastore: SQLiteDatastore, bounds: Bounds | None = None) -> None:
        super().__init__(bounds)
        self.datastore = datastore
        with self.datastore.transaction(commit=True) as cursor:
            for statement in _CREATE:
                cursor.execute(
                    statement.format(
                        c=CHALLENGES, s=SESSIONS, c_name=CHALLENGES, s_name=SESSIONS, blob="BLOB"
                    )
                )

    def _transaction(self, write: bool) -> Any:
        return self.datastore.transaction(commit=write)

    def _sql(self, text: str) -> str:
        return text.replace("{c}", CHALLENGES).replace("{s}", SESSIONS)


class PostgresSignInStore(SignInStore):
    def __init__(self, datastore: PostgresDatastore, bounds: Bounds | None = None) -> None:
        super().__init__(bounds)
        self.datastore = datastore
        schema = '"' + datastore.schema.replace('"', '""') + '"'
        self._tables = {"{c}": f"{schema}.{CHALLENGES}", "{s}": f"{schema}.{SESSIONS}"}
        self._lock_key = f"{datastore.schema}.ansinh_signin"
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._lock_key,))
            for statement in _CREATE:
                cursor.execute(
                    statement.format(
                        c=self._tables["{c}"],
                        s=self._tables["{s}"],
                        c_name=CHALLENGES,
                        s_name=SESSIONS,
                        blob="bytea",
                    )
                )

    def _transaction(self, write: bool) -> Any:
        return self.datastore.transaction(commit=write)

    def _sql(self, text: str) -> str:
        for name, table in self._tables.items():
            text = text.replace(name, table)
        return text.replace("?", "%s")

    def _lock(self, cursor: Any) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (self._lock_key,))


def open_store(ledger: LedgerApplication, bounds: Bounds | None = None) -> SignInStore:
    """The sign-in tables in ``ledger``'s database (made if missing)."""
    datastore = getattr(ledger.factory, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        return SQLiteSignInStore(datastore, bounds)
    assert isinstance(datastore, PostgresDatastore), f"no sign-in store for {datastore!r}"
    return PostgresSignInStore(datastore, bounds)
