"""Tables of the transparency log, beside the events, with eventsourcing tracking.

One :class:`ledger.storage.recorder.MerkleRecorder` per database, each the
stock tracking recorder of that database plus the log's tables; the one for
PostgreSQL is in :mod:`ledger.tlog.postgres` (a SQLite ledger never imports
psycopg).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from ledger.storage import sqlite
from ledger.storage.recorder import CHECKPOINTS, NODES, MerkleRecorder, Node, StoredCheckpoint


class SQLiteMerkleRecorder(SQLiteTrackingRecorder, MerkleRecorder):
    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            f"CREATE TABLE IF NOT EXISTS {NODES} (level INTEGER NOT NULL, idx INTEGER NOT NULL, "
            "hash BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {CHECKPOINTS} (tree_size INTEGER PRIMARY KEY, "
            "root BLOB NOT NULL, note TEXT NOT NULL, issued_at TEXT NOT NULL)",
        ]

    def append(self, nodes: Sequence[Node], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.executemany(f"INSERT INTO {NODES} VALUES (?,?,?)", nodes)
            self._insert_tracking(c, tracking)

    def nodes(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        wanted = list(keys)
        found: dict[tuple[int, int], bytes] = {}
        with self.datastore.transaction(commit=False) as c:
            for i in range(0, len(wanted), 400):
                part = wanted[i : i + 400]
                where = " OR ".join(["(level=? AND idx=?)"] * len(part))
                c.execute(
                    f"SELECT level, idx, hash FROM {NODES} WHERE {where}",
                    [v for key in part for v in key],
                )
                found.update({(r[0], r[1]): bytes(r[2]) for r in c.fetchall()})
        return found

    def all_nodes(self) -> Iterator[Node]:
        """Every stored subtree hash, by (level, index), streamed."""
        query = f"SELECT level, idx, hash FROM {NODES} ORDER BY level, idx"
        for level, idx, h in sqlite.streamed(self.datastore, query):
            yield int(level), int(idx), bytes(h)

    def leaf_count(self) -> int:
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT MAX(idx) FROM {NODES} WHERE level=0")
            row = c.fetchone()[0]
            return 0 if row is None else int(row) + 1

    def progress(self, application_name: str) -> tuple[int, int]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT (SELECT MAX(notification_id) FROM tracking WHERE application_name=?), "
                f"(SELECT MAX(idx) FROM {NODES} WHERE level=0)",
                (application_name,),
            )
            position, last = c.fetchone()
            return position or 0, 0 if last is None else int(last) + 1

    def clear(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"DELETE FROM {NODES}")
            c.execute("DELETE FROM tracking WHERE application_name=?", (application_name,))

    def add_checkpoint(self, cp: StoredCheckpoint) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"INSERT INTO {CHECKPOINTS} VALUES (?,?,?,?)", cp)

    def replace_note(self, tree_size: int, note: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"UPDATE {CHECKPOINTS} SET note=? WHERE tree_size=?", (note, tree_size))

    def checkpoints(
        self, *, size: int | None = None, newest: int | None = None
    ) -> list[StoredCheckpoint]:
        """Stored checkpoints by tree size: all, the one of ``size``, or the ``newest`` few."""
        where, params = ("WHERE tree_size=?", (size,)) if size is not None else ("", ())
        order = "ORDER BY tree_size DESC LIMIT ?" if newest is not None else "ORDER BY tree_size"
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT tree_size, root, note, issued_at FROM {CHECKPOINTS} {where} {order}",
                params + ((newest,) if newest is not None else ()),
            )
            rows = [(int(r[0]), bytes(r[1]), str(r[2]), str(r[3])) for r in c.fetchall()]
        return rows[::-1] if newest is not None else rows
