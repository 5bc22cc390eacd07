"""Tables of the transparency log, beside the events, with eventsourcing tracking.

One :class:`ledger.storage.recorder.MerkleRecorder` per database, each the
stock tracking recorder of that database plus the log's tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.sql import SQL, Identifier

from ledger.storage import postgres, sqlite
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


class PostgresMerkleRecorder(PostgresTrackingRecorder, MerkleRecorder):
    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = Identifier(self.datastore.schema)
        self.nodes_table = SQL("{0}.{1}").format(schema, Identifier(NODES))
        self.checkpoints_table = SQL("{0}.{1}").format(schema, Identifier(CHECKPOINTS))
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (level integer NOT NULL, idx bigint NOT NULL, "
                "hash bytea NOT NULL, PRIMARY KEY (level, idx))"
            ).format(self.nodes_table),
            SQL(
                "CREATE TABLE IF NOT EXISTS {0} (tree_size bigint PRIMARY KEY, "
                "root bytea NOT NULL, note text NOT NULL, issued_at text NOT NULL)"
            ).format(self.checkpoints_table),
        ]

    def append(self, nodes: Sequence[Node], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.executemany(
                SQL("INSERT INTO {0} VALUES (%s,%s,%s)").format(self.nodes_table), nodes
            )
            self._insert_tracking(curs, tracking)

    def nodes(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        wanted = list(keys)
        if not wanted:
            return {}
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL(
                    "SELECT level, idx, hash FROM {0} WHERE (level, idx) IN "
                    "(SELECT * FROM unnest(%s::integer[], %s::bigint[]))"
                ).format(self.nodes_table),
                ([k[0] for k in wanted], [k[1] for k in wanted]),
            )
            return {(r["level"], r["idx"]): bytes(r["hash"]) for r in curs.fetchall()}

    def all_nodes(self) -> Iterator[Node]:
        """Every stored subtree hash, by (level, index), through a server-side cursor."""
        query = SQL("SELECT level, idx, hash FROM {0} ORDER BY level, idx").format(self.nodes_table)
        for level, idx, h in postgres.streamed(self.datastore, query):
            yield int(level), int(idx), bytes(h)

    def leaf_count(self) -> int:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT MAX(idx) AS m FROM {0} WHERE level=0").format(self.nodes_table)
            )
            row = curs.fetchone()
            return 0 if row is None or row["m"] is None else int(row["m"]) + 1

    def clear(self, application_name: str) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("DELETE FROM {0}").format(self.nodes_table))
            curs.execute(
                SQL("DELETE FROM {0}.{1} WHERE application_name=%s").format(
                    Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
                ),
                (application_name,),
            )

    def add_checkpoint(self, cp: StoredCheckpoint) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                SQL("INSERT INTO {0} VALUES (%s,%s,%s,%s)").format(self.checkpoints_table), cp
            )

    def replace_note(self, tree_size: int, note: str) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                SQL("UPDATE {0} SET note=%s WHERE tree_size=%s").format(self.checkpoints_table),
                (note, tree_size),
            )

    def checkpoints(
        self, *, size: int | None = None, newest: int | None = None
    ) -> list[StoredCheckpoint]:
        """Stored checkpoints by tree size: all, the one of ``size``, or the ``newest`` few."""
        where = SQL("WHERE tree_size=%s") if size is not None else SQL("")
        order = (
            SQL("ORDER BY tree_size DESC LIMIT %s")
            if newest is not None
            else SQL("ORDER BY tree_size")
        )
        params = ((size,) if size is not None else ()) + ((newest,) if newest is not None else ())
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT tree_size, root, note, issued_at FROM {0} {1} {2}").format(
                    self.checkpoints_table, where, order
                ),
                params,
            )
            rows = [
                (int(r["tree_size"]), bytes(r["root"]), r["note"], r["issued_at"])
                for r in curs.fetchall()
            ]
        return rows[::-1] if newest is not None else rows
