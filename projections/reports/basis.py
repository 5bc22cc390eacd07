"""What every report states it was computed from, so that a reader can check it.

The ledger (its id and name), the entries read (``as_of``: how many, and
when the last was recorded) and, where the caller has it, the checkpoint of
the log at that size (tree size, Merkle root, whether it is signed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from projections.model import Snapshot


def basis(snap: Snapshot, checkpoint: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The ``ledger``, ``as_of`` and ``checkpoint`` of a report computed from ``snap``."""
    return {
        "ledger": {"id": snap.ledger_id, "name": snap.name},
        "as_of": {"entries": snap.as_of, "recorded_at": snap.last_recorded_at},
        "checkpoint": dict(checkpoint) if checkpoint is not None else None,
    }
