"""One pool of PostgreSQL connections for every ledger a process opens in one database.

A province serves its communes from one database, one schema each
(``postgresql://.../db?schema=chieng_en``). Each ledger opened the plain way
gets eventsourcing's own pool, four to eight connections: a hundred communes
would ask for up to 800, and PostgreSQL's ``max_connections`` is 100. Once a
process calls :func:`share_connections` for a database, every ledger it opens
there borrows from one pool instead (:class:`PooledPostgresFactory`, named in
the ledger's settings by :func:`ledger.storage.settings.eventsourcing_env`):
its size is the most connections the process holds, however many ledgers it
serves. Every statement the recorders run names its schema, so a connection
serves any commune; a transaction holds its connection only while it runs.

The pool is eventsourcing's own (a psycopg ``ConnectionPool`` configured by
its ``PostgresDatastore``); a ledger that closes gives its connections back
and leaves the pool open for the others (:class:`Borrowed`).
"""

from __future__ import annotations

import threading
from typing import Any

from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment

SHARED_POOL = "ANSINH_SHARED_POOL"  # the setting naming the pool a ledger borrows from
WAIT_S = 30  # how long a transaction waits for a free connection at a peak


class Borrowed:
    """The shared pool, as one ledger's datastore sees it: closing it gives nothing back early.

    (eventsourcing closes a datastore's pool when its application closes;
    the shared pool outlives every ledger and is closed by :func:`close_shared`.)
    """

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)

    def close(self, *_: Any, **__: Any) -> None:
        """The ledger is done; the pool stays open for the others."""

    def __enter__(self) -> Borrowed:
        return self

    def __exit__(self, *_: object) -> None:
        return None


_lock = threading.Lock()
_pools: dict[str, PostgresDatastore] = {}


def pool_key(env: dict[str, str]) -> str:
    """Which pool a ledger borrows from: its server, database and user (not its schema).

    ``env``: the ledger's eventsourcing settings
    (:func:`ledger.storage.settings.eventsourcing_env`).
    """
    return (
        f"{env['POSTGRES_USER']}@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/"
        f"{env['POSTGRES_DBNAME']}"
    )


def share_connections(env: dict[str, str], key: str, size: int) -> None:
    """Open the pool every ledger of ``key``'s database will borrow from (at most ``size``).

    ``env``: eventsourcing's settings of any ledger of that database (its
    server, user, password and time-outs). Calling it again changes nothing.
    """
    if size < 1:
        raise ValueError("a shared pool holds at least one connection")
    from ledger.storage.postgres import check_reachable

    check_reachable(env)  # once, for every ledger that will borrow (a clear refusal if down)
    with _lock:
        if key in _pools:
            return
        settings = {
            **env,
            "POSTGRES_POOL_SIZE": str(min(2, size)),
            "POSTGRES_MAX_OVERFLOW": str(size - min(2, size)),
            "POSTGRES_CONNECT_TIMEOUT": str(WAIT_S),
        }
        settings.pop(SHARED_POOL, None)
        _pools[key] = PostgresFactory(Environment(env=settings)).datastore


def shared_pool(key: str) -> Any | None:
    """The psycopg pool shared under ``key``, if :func:`share_connections` opened one."""
    with _lock:
        datastore = _pools.get(key)
    return None if datastore is None else datastore.pool


def close_shared(key: str) -> None:
    """Close the shared pool (every ledger borrowing from it is closed already)."""
    with _lock:
        datastore = _pools.pop(key, None)
    if datastore is not None:
        datastore.close()


class PooledPostgresFactory(PostgresFactory):
    """eventsourcing's PostgreSQL factory, whose datastore borrows the shared pool.

    The datastore's own pool is made unopened by eventsourcing (no connection
    was taken) and is simply replaced.
    """

    def __init__(self, env: Environment) -> None:
        super().__init__(env)
        key = self.env.get(SHARED_POOL) or ""
        pool = shared_pool(key)
        if pool is None:
            raise ValueError(f"no shared pool is open for {key}")
        self.datastore.pool = Borrowed(pool)  # type: ignore[assignment]
