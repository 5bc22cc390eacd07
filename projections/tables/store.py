"""The read models' tables, beside the events, written with eventsourcing tracking.

Each read model (``MODELS``) owns a few ``proj_`` tables and one tracking
position (application name ``<ledger>/proj/<model>``): its rows and its
position are written in one transaction per page of entries, so a model's
tables are exactly the projection of the log up to its tracked notification,
and a model can be rebuilt on its own. ``proj_position`` keeps how many
entries each model has seen; it is compared and set in the same transaction
(a compare-and-set), so two processes catching up at once cannot both write
a page, and neither can write into a model another one is rebuilding.

Every row carries ``idx``, the index of the entry that created it, and one
``*_idx`` column for each later change, so :meth:`ProjectionTables.load_snapshot`
answers for any past log size N: rows created at N or later are left out,
changes made at N or later are undone. What changes more than once (a
person's household, their personal-data commitment) has a history table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from projections.model import Snapshot
from projections.tables.as_of import snapshot_as_of
from projections.tables.schema import (
    COLUMNS,
    HISTORY,
    LATE_KEYS,
    MODELS,
    TABLES,
    UPDATES,
    Page,
    tracking_name,
)

ROWS_PAGE = 5000  # rows read at a time when a whole table is checked


class StaleProjection(Exception):
    """Another process moved a read model while this page was being built."""


class ProjectionTables:
    """The SQL of the read models, shared by the SQLite and PostgreSQL recorders."""

    prefix = ""  # what qualifies a table name (the PostgreSQL schema)
    # Write a page in a thread while the next is built? Worth it when the
    # database works in another process; with sqlite3 both contend for the GIL.
    pipelined = False
    integer = "INTEGER"
    placeholder = "?"
    # What the database driver raises when a row's key is taken already.
    duplicate: tuple[type[Exception], ...] = (sqlite3.IntegrityError,)

    def _tx(self, commit: bool) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _track(self, c: Any, tracking: Tracking) -> None:
        raise NotImplementedError

    def _rowcount(self, c: Any) -> int:
        return int(c.rowcount)

    def _read_snapshot(self, c: Any) -> None:
        """Make the rest of a reading transaction see one state of the tables."""

    def _clear_statements(self, table: str) -> list[str]:
        return [self._sql(f"DELETE FROM {{p}}{table}")]

    def _sql(self, text: str) -> str:
        """``{p}`` table prefix; ``?`` and ``:n`` placeholders, in this backend's style."""
        text = text.format(p=self.prefix)
        if self.placeholder == "?":
            return text
        return text.replace("?", self.placeholder).replace(":n", "%(n)s")

    def table_statements(self) -> list[str]:
        out = [
            f"CREATE TABLE IF NOT EXISTS {self.prefix}proj_position "
            f"(model TEXT PRIMARY KEY, entries {self.integer} NOT NULL)"
        ]
        for table, (decl, _) in TABLES.items():
            cols = decl.replace("INT", self.integer)
            primary = "" if table == HISTORY else ", PRIMARY KEY (idx)"
            out.append(f"CREATE TABLE IF NOT EXISTS {self.prefix}{table} ({cols}{primary})")
        return out + self._key_statements(list(TABLES))

    def _key_statements(self, tables: list[str]) -> list[str]:
        return [
            f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_key ON {self.prefix}{table} ({key})"
            for table, (_, key) in TABLES.items()
            if table in tables and key != "idx"
        ]

    # -- writing -------------------------------------------------------------
    def write_page(self, page: Page, application: str) -> None:
        """The page's rows and each model's new position, in one transaction."""
        with self._tx(commit=True) as c:
            for model, (before, after, _) in page.advanced.items():
                if before == 0:
                    try:
                        c.execute(
                            self._sql("INSERT INTO {p}proj_position VALUES (?, ?)"), (model, after)
                        )
                    except self.duplicate as exc:
                        raise StaleProjection(model) from exc
                else:
                    c.execute(
                        self._sql(
                            "UPDATE {p}proj_position SET entries=? WHERE model=? AND entries=?"
                        ),
                        (after, model, before),
                    )
                    if self._rowcount(c) != 1:
                        raise StaleProjection(model)
            for table, rows in page.inserts.items():
                if rows:
                    self._insert_rows(c, table, rows)
            for kind, params in page.updates.items():
                if params:
                    changed = self._update_rows(c, kind, params)
                    if changed != len(params):
                        raise IntegrityError(
                            f"{kind}: {len(params)} rows to change, {changed} found"
                        )
            for model, (_, _, notification_id) in page.advanced.items():
                self._track(c, Tracking(tracking_name(application, model), notification_id))

    def _insert_rows(self, c: Any, table: str, rows: list[Sequence[Any]]) -> None:
        columns = COLUMNS[table]
        marks = ", ".join("?" * len(columns))
        statement = f"INSERT INTO {{p}}{table} ({', '.join(columns)}) VALUES ({marks})"
        c.executemany(self._sql(statement), rows)

    def _update_rows(self, c: Any, kind: str, params: list[tuple[Any, ...]]) -> int:
        """Apply changes (values..., key) of one kind; returns the rows changed."""
        table, columns, key = UPDATES[kind]
        sets = ", ".join(f"{col}=?" for col in columns)
        c.executemany(self._sql(f"UPDATE {{p}}{table} SET {sets} WHERE {key}=?"), params)
        return self._rowcount(c)

    def clear(self, models: Sequence[str], application: str, *, bulk: bool = False) -> None:
        """Empty these models' tables and forget their positions, in one transaction.

        ``bulk``: also drop the unique indexes a rebuild builds at the end
        (:meth:`build_keys`); they come back at the latest when the recorder
        is next created.
        """
        with self._tx(commit=True) as c:
            for model in models:
                for table in MODELS[model]:
                    for statement in self._clear_statements(table):
                        c.execute(statement)
                    if bulk and table in LATE_KEYS:
                        c.execute(f"DROP INDEX IF EXISTS {self.prefix}{table}_key")
                c.execute(self._sql("DELETE FROM {p}proj_position WHERE model=?"), (model,))
                self._delete_tracking(c, tracking_name(application, model))

    def build_keys(self, models: Sequence[str]) -> None:
        """Build the unique indexes of these models' tables, where missing."""
        tables = [t for m in models for t in MODELS[m]]
        with self._tx(commit=True) as c:
            for statement in self._key_statements(tables):
                c.execute(statement)

    def _delete_tracking(self, c: Any, name: str) -> None:
        raise NotImplementedError

    # -- reading -------------------------------------------------------------
    def positions(self) -> dict[str, int]:
        """Entries each read model has projected (0 for one never run)."""
        found = dict(self._select("SELECT model, entries FROM {p}proj_position"))
        return {model: found.get(model, 0) for model in MODELS}

    def _positions(self, c: Any) -> dict[str, int]:
        c.execute(self._sql("SELECT model, entries FROM {p}proj_position"))
        found = {str(r[0]): int(r[1]) for r in c.fetchall()}
        return {model: found.get(model, 0) for model in MODELS}

    def state(self, application: str) -> dict[str, tuple[int, int]]:
        """Each model's (entries projected, tracked notification id), read together."""
        names = {tracking_name(application, model): model for model in MODELS}
        with self._tx(commit=False) as c:
            self._read_snapshot(c)
            entries = self._positions(c)
            marks = ", ".join("?" * len(names))
            c.execute(
                self._sql(
                    f"SELECT application_name, notification_id FROM {self._tracking_table()} "
                    f"WHERE application_name IN ({marks})"
                ),
                list(names),
            )
            tracked = {names[str(r[0])]: int(r[1]) for r in c.fetchall()}
        return {model: (entries[model], tracked.get(model, 0)) for model in MODELS}

    def _tracking_table(self) -> str:
        return "tracking"

    def _select(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._tx(commit=False) as c:
            c.execute(self._sql(query), params)
            return [tuple(row) for row in c.fetchall()]

    def key_holders(self) -> dict[str, str]:
        return dict(self._select("SELECT key_id, holder_id FROM {p}proj_holders"))

    def count_recorded_until(self, timestamp: str) -> int:
        query = "SELECT COUNT(*) FROM {p}proj_entry_meta WHERE recorded_at <= ?"
        return int(self._select(query, (timestamp,))[0][0])

    def history_rows(self, entity_id: str) -> list[tuple[int, str, str, str]]:
        """(index, recorded_at, type, holder) of every entry naming ``entity_id``."""
        query = (
            "SELECT m.idx, m.recorded_at, m.type, m.holder FROM {p}proj_entity_history h "
            "JOIN {p}proj_entry_meta m ON m.idx = h.idx WHERE h.entity_id=? ORDER BY h.idx"
        )
        return self._select(query, (entity_id,))

    def type_rows(self, types: Sequence[str], end: int) -> list[tuple[int, str, str, str]]:
        """(index, recorded_at, type, holder) of every entry before ``end`` of one of ``types``."""
        marks = ", ".join("?" for _ in types)
        query = (
            "SELECT idx, recorded_at, type, holder FROM {p}proj_entry_meta "
            f"WHERE type IN ({marks}) AND idx < ? ORDER BY idx"
        )
        return self._select(query, (*types, end))

    def pages(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        """Every row of a table, in key order, a page at a time (for checking a whole table)."""
        order = TABLES[table][1] if table == HISTORY else "idx"
        with self._stream(self._sql(f"SELECT * FROM {{p}}{table} ORDER BY {order}")) as c:
            while page := c.fetchmany(ROWS_PAGE):
                yield [tuple(row) for row in page]

    def _stream(self, query: str) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def dump(self, table: str) -> list[tuple[Any, ...]]:
        """Every row of a table, in key order (for comparing two builds)."""
        order = TABLES[table][1] if table == HISTORY else "idx"
        return self._select(f"SELECT * FROM {{p}}{table} ORDER BY {order}")

    def load_snapshot(self, as_of: int | None = None) -> Snapshot:
        """The snapshot after ``as_of`` entries (default: all projected), from the tables.

        Answers up to the entries every model has projected; callers check
        :meth:`positions` first when they need more.
        """
        with self._tx(commit=False) as c:
            self._read_snapshot(c)
            projected = min(self._positions(c).values())
            n = projected if as_of is None else min(as_of, projected)
            return snapshot_as_of(c, self._sql, n)


class SQLiteProjectionRecorder(SQLiteTrackingRecorder, ProjectionTables):
    """The read models in the ledger's SQLite file."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *self.table_statements(),
        ]

    @contextmanager
    def _tx(self, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as c:
            yield c.sqlite_cursor

    def _track(self, c: Any, tracking: Tracking) -> None:
        self._insert_tracking(SQLiteCursor(c), tracking)

    @contextmanager
    def _stream(self, query: str) -> Iterator[Any]:
        with self._tx(commit=False) as c:
            c.execute(query)
            yield c

    def _delete_tracking(self, c: Any, name: str) -> None:
        c.execute("DELETE FROM tracking WHERE application_name=?", (name,))
