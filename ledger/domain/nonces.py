"""Nonce claims: which key used which nonce, for which entry, with which envelope.

A statement's nonce may be used once per key (FORMATS §2). Each accepted
statement claims ``(author, nonce)`` in a lean table of its own, keyed by the
claim, written in the same transaction as the statement's events: two
transactions claiming the same nonce cannot both commit, and the loser
retries and finds the claim (a replayed nonce is refused; a byte-identical
resubmission gets the entry already recorded, by its digest). A row is the
claim's 16 bytes, the entry's index and the envelope's SHA-256.

Ledgers written before this table existed kept each claim as an event of
its own in the event store; the first time such a ledger is opened, its
claims are copied into the table (:func:`claims_from_events`), in the same
transaction that creates it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import NamedTuple
from uuid import UUID

import orjson

from ledger.domain.log import NONCE_NAMESPACE, NonceClaim

NONCE_TABLE = "ansinh_nonces"
SQLITE_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {NONCE_TABLE} "
    "(claim BLOB PRIMARY KEY, entry INTEGER NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID"
)
PG_CREATE = (
    "CREATE TABLE IF NOT EXISTS {0} "
    "(claim bytea PRIMARY KEY, entry bigint NOT NULL, digest bytea NOT NULL)"
)
# The topic the claims of older ledgers were stored under, as events.
EVENT_TOPIC = f"{NonceClaim.__module__}:{NonceClaim.Claimed.__qualname__}"

ClaimRow = tuple[bytes, int, bytes]  # claim, entry index, envelope digest
_NAMESPACE = NONCE_NAMESPACE.bytes


class Claim(NamedTuple):
    """A recorded claim: the entry that used the nonce, and its envelope's digest (hex)."""

    entry: int
    digest: str


def claim_key(by: str, nonce: str) -> bytes:
    """The claim of ``(by, nonce)``: the bytes of ``uuid5(namespace, f"{by}/{nonce}")``.

    The same bytes the claims of older ledgers were stored under (as the
    UUID of an event stream), computed as uuid5 does.
    """
    key = bytearray(hashlib.sha1(_NAMESPACE + f"{by}/{nonce}".encode()).digest()[:16])
    key[6] = (key[6] & 0x0F) | 0x50  # version 5
    key[8] = (key[8] & 0x3F) | 0x80  # RFC 4122 variant
    return bytes(key)


def row(key: bytes, index: int, digest: str) -> ClaimRow:
    return key, index, bytes.fromhex(digest)


def claim_of(found: tuple[int, bytes] | None) -> Claim | None:
    """A claim from its row (entry, digest), if found."""
    if found is None:
        return None
    return Claim(entry=int(found[0]), digest=bytes(found[1]).hex())


def claims_from_events(events: Iterable[tuple[UUID | str, bytes]]) -> list[ClaimRow]:
    """The rows of claims stored as events: (stream id, stored JSON state) each."""
    rows = []
    for stream, state in events:
        fields = orjson.loads(state)
        key = stream.bytes if isinstance(stream, UUID) else UUID(stream).bytes
        rows.append(row(key, fields["index"], fields["digest"]))
    return rows
