"""Opening a ledger's database, or refusing to: one line naming ``db``, nothing made.

What ``--db`` names may be unusable: a path that does not exist (only a
command that makes a ledger may make the file), a file that holds no
ledger or is no database at all, a PostgreSQL server that is not there.
Each is a refusal with a stable code (exit 1 in the CLI), never a
traceback, a half-minute wait, or a file left behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from eventsourcing.persistence import PersistenceError

from ledger.errors import InvalidField, NotOpened
from ledger.storage.sqlite import eventsourcing_env, is_postgres, sqlite_file, sqlite_path


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
        from ledger.storage.postgres import check_reachable  # it builds on ledger.storage.sqlite

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
