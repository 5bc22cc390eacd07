"""The log order: entry ``i`` is event version ``i + 1`` of the one Log stream.

The unique (stream, version) key of the event store is what makes indexes
dense and unique under concurrent writers: two transactions that claim the
same index cannot both commit, and the loser retries. Log entries are never
loaded as an aggregate; they are read as a stream.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain.base import new_event
from ledger.domain.charter import NAMESPACE

LOG_ID = uuid5(NAMESPACE, "log")
NONCE_NAMESPACE = uuid5(NAMESPACE, "nonce")  # claims are uuid5(this, f"{by}/{nonce}")
_ATTESTATION_NAMESPACE = uuid5(NAMESPACE, "attestation")


def attestation_id(by: str, nonce: str) -> UUID:
    return uuid5(_ATTESTATION_NAMESPACE, f"{by}/{nonce}")


class Log(Aggregate):
    class EntryAppended(Aggregate.Event):
        """One log entry: leaf bytes = JCS({index, recorded_at, envelope})."""

        index: int
        recorded_at: str
        envelope: dict[str, Any]

    @staticmethod
    def entry(
        index: int, recorded_at: str, envelope: dict[str, Any], at: datetime
    ) -> Log.EntryAppended:
        """The event that records entry ``index``: version ``index + 1`` of the Log stream."""
        return new_event(
            Log.EntryAppended,
            LOG_ID,
            index + 1,
            at,
            index=index,
            recorded_at=recorded_at,
            envelope=envelope,
        )


class NonceClaim(Aggregate):
    """Claims (author, nonce) once; remembers which entry used it, and its digest.

    How ledgers written before ``ledger.domain.nonces`` kept their claims: read
    only to copy them into its table.
    """

    class Claimed(Aggregate.Event):
        index: int
        digest: str

    @staticmethod
    def claim(claim_id: UUID, index: int, digest: str, at: datetime) -> NonceClaim.Claimed:
        """The only event of a claim: version 1, so a second claim cannot be stored."""
        return new_event(NonceClaim.Claimed, claim_id, 1, at, index=index, digest=digest)
