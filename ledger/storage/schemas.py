"""Many communes in one PostgreSQL database: one schema each.

A province keeps its communes' ledgers in one database, each in a schema of
its own (eventsourcing's ``POSTGRES_SCHEMA``, given as ``?schema=`` in
``--db``): its tables, its write lock and its write turn are its own, so one
commune's writes never wait for another's. The schema's name is also the
ledger's address on a server that serves them all (``/c/{schema}/``), so it
is kept to what is safe in both: lowercase letters, digits and ``_``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from ledger.errors import InvalidField
from ledger.storage.recorder import NONCE_TABLE, VAULT_TABLE
from ledger.storage.settings import is_postgres

_NAME = re.compile(r"[a-z][a-z0-9_]{0,47}")
_RESERVED = ("pg_", "information_schema", "public")


def check_schema(name: str, field: str = "schema") -> str:
    """``name`` as a commune's schema, or refused naming ``field``."""
    if not _NAME.fullmatch(name):
        raise InvalidField(
            field,
            f"{name!r} is not a schema name: a lowercase letter, then up to 47 lowercase "
            "letters, digits or _ (e.g. chieng_en)",
        )
    if name.startswith(_RESERVED):
        raise InvalidField(field, f"{name!r} is PostgreSQL's own or the default schema")
    return name


def schema_of(db: str) -> str:
    """The schema a PostgreSQL URL names (``public`` when it names none)."""
    return parse_qs(urlsplit(db).query).get("schema", ["public"])[0]


def with_schema(db: str, schema: str) -> str:
    """``db`` naming ``schema``; refused if it names another already, or is not PostgreSQL."""
    if not is_postgres(db):
        raise InvalidField("schema", "a schema is only for a PostgreSQL --db (postgresql://...)")
    check_schema(schema)
    parts = urlsplit(db)
    query = parse_qs(parts.query)
    named = query.get("schema", [schema])[0]
    if named != schema:
        raise InvalidField("schema", f"--db names schema {named!r} already, not {schema!r}")
    query["schema"] = [schema]
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def database_of(db: str) -> str:
    """``db`` without a schema: the database the schemas are in."""
    parts = urlsplit(db)
    query = {k: v for k, v in parse_qs(parts.query).items() if k != "schema"}
    return urlunsplit(parts._replace(query=urlencode(query, doseq=True)))


def create_schema(db: str, schema: str) -> None:
    """Make ``schema`` in the database of ``db`` (nothing if it is there)."""
    import psycopg
    from psycopg import sql

    check_schema(schema)
    with psycopg.connect(database_of(db), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(sql.Identifier(schema)))


def ledger_schemas(db: str) -> list[str]:
    """The schemas of ``db``'s database that hold a ledger's tables, by name."""
    import psycopg

    with psycopg.connect(database_of(db), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT n.table_schema FROM information_schema.tables n "
            "JOIN information_schema.tables v ON v.table_schema = n.table_schema "
            "WHERE n.table_name = %s AND v.table_name = %s "
            "ORDER BY n.table_schema",
            (NONCE_TABLE, VAULT_TABLE),
        ).fetchall()
    return [r[0] for r in rows if _NAME.fullmatch(r[0]) and not r[0].startswith(_RESERVED)]
