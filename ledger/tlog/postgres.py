"""The transparency log's tables in a PostgreSQL database (:mod:`ledger.tlog.store`).

A module of its own so that a ledger in SQLite never imports psycopg.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL, Identifier

from ledger.storage import postgres
from ledger.storage.recorder import CHECKPOINTS, NODES, MerkleRecorder, Node, StoredCheckpoint


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

    def progress(self, application_name: str) -> tuple[int, int]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL(
                    "SELECT (SELECT MAX(notification_id) FROM {0}.{1} WHERE application_name=%s) "
                    "AS p, (SELECT MAX(idx) FROM {2} WHERE level=0) AS m"
                ).format(
                    Identifier(self.datastore.schema),
                    Identifier(self.tracking_table_name),
                    self.nodes_table,
                ),
                (application_name,),
            )
            row = curs.fetchone()
            assert row is not None
            return int(row["p"] or 0), 0 if row["m"] is None else int(row["m"]) + 1

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
