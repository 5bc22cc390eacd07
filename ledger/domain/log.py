"""The log order: entry ``i`` is event version ``i + 1`` of the one Log stream.

The unique (stream, version) key of the event store is what makes indexes
dense and unique under concurrent writers: two transactions that claim the
same index cannot both commit, and the loser retries. Log entries are never
loaded as an aggregate; they are read as a stream.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain.charter import NAMESPACE

LOG_ID = uuid5(NAMESPACE, "log")
_NONCE_NAMESPACE = uuid5(NAMESPACE, "nonce")
_ATTESTATION_NAMESPACE = uuid5(NAMESPACE, "attestation")


def nonce_claim_id(by: str, nonce: str) -> UUID:
    return uuid5(_NONCE_NAMESPACE, f"{by}/{nonce}")


def attestation_id(by: str, nonce: str) -> UUID:
    return uuid5(_ATTESTATION_NAMESPACE, f"{by}/{nonce}")


class Log(Aggregate):
    class EntryAppended(Aggregate.Event):
        """One log entry: leaf bytes = JCS({index, recorded_at, envelope})."""

        index: int
        recorded_at: str
        envelope: dict[str, Any]


class NonceClaim(Aggregate):
    """Claims (author, nonce) once; remembers which entry used it, and its digest."""

    class Claimed(Aggregate.Event):
        index: int
        digest: str
