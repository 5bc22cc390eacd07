"""The log: its entries, in order, and the nonce each entry claims.

Entry ``i`` is event version ``i + 1`` of the one Log stream. The unique
(stream, version) key of the event store is what makes indexes dense and
unique under concurrent writers: two transactions that claim the same index
cannot both commit, and the loser retries. Log entries are never loaded as
an aggregate; they are read as a stream (:class:`Entry`).

A statement's nonce may be used once per key (FORMATS §2). Each accepted
statement claims ``(author, nonce)`` (:func:`claim_key`) in a lean table of
its own, written in the same transaction as the statement's events: two
transactions claiming the same nonce cannot both commit, and the loser
retries and finds the claim (a replayed nonce is refused; a byte-identical
resubmission gets the entry already recorded, by its digest). A row is the
claim's 16 bytes, the entry's index and the envelope's SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain.base import new_event
from ledger.domain.charter import NAMESPACE
from ledger.formats.dsse import Envelope, leaf_bytes, leaf_json

LOG_ID = uuid5(NAMESPACE, "log")
NONCE_NAMESPACE = uuid5(NAMESPACE, "nonce")  # claims are uuid5(this, f"{by}/{nonce}")
_ATTESTATION_NAMESPACE = uuid5(NAMESPACE, "attestation")
_NONCE_NAMESPACE = NONCE_NAMESPACE.bytes
ClaimRow = tuple[bytes, int, bytes]  # claim, entry index, envelope digest


@dataclass(frozen=True)
class Entry:
    """A log entry; its leaf bytes are what the Merkle tree commits to."""

    index: int
    recorded_at: str
    envelope: dict[str, Any]

    @property
    def leaf(self) -> bytes:
        if isinstance(self.envelope, Envelope):
            return leaf_bytes(self.index, self.recorded_at, self.envelope.canonical)
        return leaf_json(
            {"envelope": self.envelope, "index": self.index, "recorded_at": self.recorded_at}
        )

    @property
    def leaf_hash(self) -> bytes:
        return hashlib.sha256(b"\x00" + self.leaf).digest()


class Claim(NamedTuple):
    """A recorded claim: the entry that used the nonce, and its envelope's digest (hex)."""

    entry: int
    digest: str


def claim_key(by: str, nonce: str) -> bytes:
    """The claim of ``(by, nonce)``: the bytes of ``uuid5(namespace, f"{by}/{nonce}")``.

    The same bytes the claims of older ledgers were stored under (as the
    UUID of an event stream), computed as uuid5 does.
    """
    key = bytearray(hashlib.sha1(_NONCE_NAMESPACE + f"{by}/{nonce}".encode()).digest()[:16])
    key[6] = (key[6] & 0x0F) | 0x50  # version 5
    key[8] = (key[8] & 0x3F) | 0x80  # RFC 4122 variant
    return bytes(key)


def claim_row(key: bytes, index: int, digest: str) -> ClaimRow:
    """The row that records a claim: its key, the entry's index, the envelope's digest."""
    return key, index, bytes.fromhex(digest)


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

    How ledgers written before the nonce table kept their claims: read only
    to copy them into it (:func:`ledger.storage.recorder.claims_from_events`).
    """

    class Claimed(Aggregate.Event):
        index: int
        digest: str

    @staticmethod
    def claim(claim_id: UUID, index: int, digest: str, at: datetime) -> NonceClaim.Claimed:
        """The only event of a claim: version 1, so a second claim cannot be stored."""
        return new_event(NonceClaim.Claimed, claim_id, 1, at, index=index, digest=digest)
