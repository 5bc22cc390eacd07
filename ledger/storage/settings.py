"""Where the ledger lives: how ``--db`` becomes eventsourcing's settings, or a refusal.

``--db`` names one SQLite file (a path, ``sqlite:///path``, ``:memory:`` or a
``file:`` URI) or a PostgreSQL database (``postgresql://...``). What it names
may be unusable: a path that does not exist (only a command that makes a
ledger may make the file), a file that holds no ledger or is no database at
all, a PostgreSQL server that is not there. Each is a refusal with a stable
code (exit 1 in the CLI), never a traceback, a half-minute wait, or a file
left behind.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import PersistenceError
from eventsourcing.utils import get_topic

from ledger.errors import InvalidField, NotOpened
from ledger.storage.sqlite import SQLiteLedgerRecorder, SQLiteTurns
from ledger.storage.turns import Turns

DEFAULT_DB = "./ansinh.db"
CACHE_SIZE = 50_000


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
        from ledger.storage import pool  # psycopg: only for PostgreSQL
        from ledger.storage.postgres import PostgresLedgerRecorder

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
        key = pool.pool_key(env)
        if pool.shared_pool(key) is not None:  # this process serves many ledgers of the database
            env["PERSISTENCE_MODULE"] = get_topic(pool.PooledPostgresFactory)
            env[pool.SHARED_POOL] = key
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


def settings(db: str, *, create: bool) -> dict[str, str]:
    """eventsourcing's settings for ``db``, once it is known it can be opened.

    ``create``: a SQLite file may be new. Otherwise it must exist and hold a
    ledger; it is looked at, read only, first. A PostgreSQL server is
    connected to once, briefly (see :func:`ledger.storage.postgres.check_reachable`).
    """
    path = sqlite_file(db)
    if path is not None and not create:
        check_ledger_file(path)
    env = eventsourcing_env(db, create=create)
    if is_postgres(db):
        from ledger.storage.pool import SHARED_POOL
        from ledger.storage.postgres import check_reachable

        if SHARED_POOL not in env:  # (borrowing: checked once for all, as the pool was opened)
            check_reachable(env)
    return env


def check_ledger_file(path: str) -> None:
    """Refuse, writing nothing, a path that is not a SQLite file holding a ledger's tables.

    (Opening it as a ledger would make the file, or the tables in it.)
    """
    hint = "make a ledger with `ansinh init` or `ansinh demo`"
    if Path(path).is_dir():
        raise InvalidField("db", f"{path} is a directory, not a ledger's database file")
    if not Path(path).is_file():
        raise InvalidField("db", f"{path}: no such file ({hint})")
    try:
        with closing(sqlite3.connect(path)) as conn:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='stored_events'"
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise InvalidField("db", f"{path} is not a SQLite database ({exc})") from None
    if found is None:
        raise NotOpened(f"no ledger here yet: {path} holds none ({hint})", field="db")


def describe_db(db: str) -> str:
    """The database ``--db`` names, for a message: never its password."""
    if not is_postgres(db):
        return sqlite_path(db)
    url = urlsplit(db)
    return f"PostgreSQL at {url.hostname or '127.0.0.1'}:{url.port or 5432}{url.path}"


@contextmanager
def opening(db: str) -> Iterator[None]:
    """Turn a failure to open the database into a refusal naming ``db``, on one line."""
    try:
        yield
    except sqlite3.DatabaseError as exc:  # raised as it is by the stock recorder
        raise InvalidField("db", f"{describe_db(db)} is not a SQLite database ({exc})") from None
    except PersistenceError as exc:
        reason = " ".join(str(exc).split())
        raise InvalidField("db", f"cannot open {describe_db(db)}: {reason}") from None


def writer_turns(db: str, env: dict[str, str]) -> Turns | None:
    """The write turn of the ledger in ``db`` (its eventsourcing settings ``env``); None
    for a database in memory, which has one writer."""
    if is_postgres(db):
        from ledger.storage.postgres import PostgresTurns

        return PostgresTurns(env)
    path = sqlite_file(db)
    return None if path is None else SQLiteTurns(path)
