"""Where a province log lives: three append-only tables in a SQLite file or PostgreSQL.

``province_meta`` (one row: the province's origin and public key),
``province_leaves`` (each entry's exact bytes, by index) and
``province_checkpoints`` (each signed checkpoint, by tree size). Rows are
only ever inserted; a primary key refuses a second row at the same place.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ledger.errors import DatabaseUnreachable, InvalidField, NotOpened
from ledger.storage.settings import is_postgres, sqlite_path

_TABLES = (
    "CREATE TABLE IF NOT EXISTS province_meta (origin TEXT PRIMARY KEY, public_key TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS province_leaves (idx INTEGER PRIMARY KEY, leaf {blob} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS province_checkpoints (tree_size INTEGER PRIMARY KEY, "
    "root {blob} NOT NULL, note TEXT NOT NULL)",
)


class ProvinceStore:
    """One connection to the province's database."""

    def __init__(self, db: str, *, create: bool = False) -> None:
        self.postgres = is_postgres(db)
        if self.postgres:
            import psycopg  # only for PostgreSQL

            url = urlsplit(db)
            schema = parse_qs(url.query).get("schema", ["public"])[0]
            plain = urlunsplit((url.scheme, url.netloc, url.path, "", ""))
            try:
                self.conn: Any = psycopg.connect(
                    plain, options=f"-c search_path={schema}", connect_timeout=5
                )
            except psycopg.OperationalError as exc:
                raise DatabaseUnreachable(f"cannot reach the province database: {exc}") from None
            self.mark = "%s"
        else:
            path = sqlite_path(db)
            if not create and not Path(path).exists():
                raise NotOpened(f"{path}: no province log here (run `ansinh province init`)")
            try:
                self.conn = sqlite3.connect(path, isolation_level=None)
            except sqlite3.Error as exc:
                raise InvalidField("db", f"{path}: {exc}") from None
            self.mark = "?"
        if create:
            blob = "BYTEA" if self.postgres else "BLOB"
            for statement in _TABLES:
                self._run(statement.format(blob=blob))
            self._commit()

    def close(self) -> None:
        self.conn.close()

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        try:
            cur.execute(sql.replace("?", self.mark), params)
            return list(cur.fetchall()) if cur.description else []
        finally:
            cur.close()

    def _commit(self) -> None:
        if self.postgres:
            self.conn.commit()

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            rows = self._run(sql, params)
        except Exception as exc:  # no such table: not a province log
            self._rollback()
            raise NotOpened(f"no province log in this database ({exc})") from None
        self._commit()
        return rows

    def _rollback(self) -> None:
        if self.postgres:
            self.conn.rollback()

    # -- the province --------------------------------------------------------------
    def set_meta(self, origin: str, public_key: str) -> None:
        if self._rows("SELECT origin FROM province_meta"):
            raise InvalidField("db", "this database already holds a province log")
        self._rows("INSERT INTO province_meta VALUES (?, ?)", (origin, public_key))

    def meta(self) -> tuple[str, str]:
        rows = self._rows("SELECT origin, public_key FROM province_meta")
        if not rows:
            raise NotOpened("no province log in this database (run `ansinh province init`)")
        return str(rows[0][0]), str(rows[0][1])

    # -- entries and checkpoints ------------------------------------------------------
    def leaves(self) -> list[bytes]:
        rows = self._rows("SELECT idx, leaf FROM province_leaves ORDER BY idx")
        return [bytes(r[1]) for r in rows]

    def append(self, first: int, leaves: list[bytes], checkpoint: tuple[int, bytes, str]) -> None:
        """Entries from index ``first`` and the checkpoint signed over them, in one transaction."""
        try:
            if self.postgres:
                self._run("LOCK TABLE province_leaves IN EXCLUSIVE MODE")
            else:
                self._run("BEGIN IMMEDIATE")
            count = self._run("SELECT COUNT(*) FROM province_leaves")[0][0]
            if count != first:
                raise InvalidField("db", f"the log has {count} entries, not {first}: try again")
            for i, leaf in enumerate(leaves):
                self._run("INSERT INTO province_leaves VALUES (?, ?)", (first + i, leaf))
            self._run("INSERT INTO province_checkpoints VALUES (?, ?, ?)", checkpoint)
            self._end("COMMIT")
        except BaseException:
            self._end("ROLLBACK")
            raise

    def _end(self, how: str) -> None:
        if self.postgres:
            self.conn.commit() if how == "COMMIT" else self.conn.rollback()
        else:
            self._run(how)

    def checkpoints(self) -> list[tuple[int, bytes, str]]:
        rows = self._rows("SELECT tree_size, root, note FROM province_checkpoints ORDER BY 1")
        return [(int(r[0]), bytes(r[1]), str(r[2])) for r in rows]
