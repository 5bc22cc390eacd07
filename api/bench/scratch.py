"""Scratch databases for the benches: a temporary SQLite file or a PostgreSQL schema."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from ledger.storage.settings import is_postgres


@contextmanager
def scratch_db(kind: str, name: str) -> Iterator[str]:
    """A new empty database of the kind given (a SQLite file or a PostgreSQL schema)."""
    if is_postgres(kind):
        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        base = kind.split("?")[0]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{base}?schema={schema}"
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    else:
        directory = tempfile.mkdtemp(prefix=f"ansinh-bench-{name}-")
        try:
            yield str(Path(directory) / "ledger.db")
        finally:
            shutil.rmtree(directory, ignore_errors=True)
