"""Build a :class:`~projections.model.Snapshot` by replaying log entries in order.

This is the reference reading of the read models: each statement changes
the snapshot as :data:`~projections.tables.meanings.MEANINGS` says, and the
projection tables must agree with it (a test compares them). It reads only
signed payloads, so it works on any past prefix of the log (``as_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.domain.base import read_statement
from ledger.domain.log import Entry
from projections.model import Snapshot
from projections.tables.meanings import MEANINGS


def replay(entries: Iterable[Entry], as_of: int | None = None) -> Snapshot:
    """The snapshot after the first ``as_of`` entries (default: all given)."""
    snap = Snapshot()
    for entry in entries:
        if as_of is not None and entry.index >= as_of:
            break
        apply(snap, entry.index, entry.recorded_at, read_statement(entry.envelope))
    return snap


def apply(snap: Snapshot, index: int, recorded_at: str, statement: dict[str, Any]) -> None:
    """Apply one accepted statement (entries must come in index order)."""
    holder = snap.holders.get(statement["by"], f"key:{statement['by'][:16]}")
    snap.as_of = index + 1
    snap.last_recorded_at = recorded_at
    meaning = MEANINGS.get(statement["type"])
    if meaning is not None and meaning.snapshot is not None:
        meaning.snapshot(snap, index, holder, statement, statement["body"])
