"""What the ledger asks of its store beyond eventsourcing's stock recorders.

The event store is eventsourcing's stock SQLite or PostgreSQL application
recorder, extended (:class:`LedgerRecorder`) by two tables written inside
the same transaction as the events: the personal-data vault, whose sealed
records are stored together with the statements that commit to them or not
at all, and the nonce claims (:mod:`ledger.domain.log`). The transparency
log keeps its own tables beside a stock tracking recorder
(:class:`MerkleRecorder`). Each has one implementation per database:
:mod:`ledger.storage.sqlite`, :mod:`ledger.storage.postgres`.

The application calls these methods through ``self.recorder``, as
eventsourcing's ``searchablecontent`` example calls its recorders'.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import ApplicationRecorder, Tracking, TrackingRecorder

from ledger.domain.log import Claim, ClaimRow, NonceClaim, claim_row
from ledger.formats.vault import SealedRecord

VAULT_TABLE = "ansinh_vault"
NONCE_TABLE = "ansinh_nonces"
NODES = "ansinh_merkle_nodes"
CHECKPOINTS = "ansinh_checkpoints"
AUDIT_PAGE = 5000  # rows read at a time when a whole table is checked
# notification id, originator (hex), version, topic, state
EventRow = tuple[int, str, int, str, bytes]
Node = tuple[int, int, bytes]  # level, index, hash of a complete aligned subtree
StoredCheckpoint = tuple[int, bytes, str, str]  # size, root, note, issued_at
# The topic the claims of older ledgers were stored under, as events.
LEGACY_NONCE_TOPIC = f"{NonceClaim.__module__}:{NonceClaim.Claimed.__qualname__}"


class LedgerRecorder(ApplicationRecorder, ABC):
    """The stock application recorder, plus the vault and nonce tables.

    ``insert_events`` takes, besides the stored events, ``vault_records``
    (sealed records to store), ``nonce_claims`` (claims to record: one
    already made fails the transaction), ``before_commit`` (a check run once
    everything is written, which may raise to roll it all back) and
    ``in_turn`` (the writer holds the ledger's write turn).
    """

    @abstractmethod
    def nonce_claim(self, key: bytes) -> Claim | None:
        """The claim recorded under ``key`` (:func:`ledger.domain.log.claim_key`), if any."""

    @abstractmethod
    def nonce_rows(self) -> Iterator[ClaimRow]:
        """Every nonce claim, by entry (streamed)."""

    @abstractmethod
    def event_rows(self, after: int, limit: int) -> list[EventRow]:
        """Stored events after notification ``after``, in order, as plain tuples.

        What a whole-table check reads: no Notification, no UUID built per row.
        """

    @abstractmethod
    def vault_select(self, person_id: str) -> list[SealedRecord]:
        """A person's sealed records still held."""

    @abstractmethod
    def vault_erase(self, person_id: str) -> int:
        """Erase every stored record of a person; how many there were."""

    @abstractmethod
    def vault_all(self) -> list[SealedRecord]:
        """Every row of the vault, erased ones included."""


class MerkleRecorder(TrackingRecorder, ABC):
    """The transparency log's tables, beside a stock tracking recorder.

    ``ansinh_merkle_nodes`` holds the hash of every complete, aligned subtree
    (level, index): a proof at any size reads a few dozen of them.
    ``ansinh_checkpoints`` keeps every checkpoint the notary signed, and the
    witnesses' cosignatures appended to it. Node rows and the tracking
    position are written in one transaction, so the node cache is exactly the
    projection of the events up to the tracked notification.
    """

    @abstractmethod
    def append(self, nodes: Sequence[Node], tracking: Tracking) -> None:
        """Store subtree hashes and the tracking position, in one transaction."""

    @abstractmethod
    def nodes(self, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        """The stored hashes of the subtrees ``(level, index)`` asked for."""

    @abstractmethod
    def all_nodes(self) -> Iterator[Node]:
        """Every stored subtree hash, by (level, index), streamed."""

    @abstractmethod
    def leaf_count(self) -> int:
        """How many leaves the stored nodes hold."""

    @abstractmethod
    def progress(self, application_name: str) -> tuple[int, int]:
        """The tracked notification (0 if none) and the leaf count, read in one statement.

        Read apart, another writer's append could land between the two reads
        and the pair would belong to no state the cache was ever in.
        """

    @abstractmethod
    def clear(self, application_name: str) -> None:
        """Forget every node and the tracking position (to rebuild them)."""

    @abstractmethod
    def add_checkpoint(self, cp: StoredCheckpoint) -> None:
        """Keep a checkpoint the notary signed."""

    @abstractmethod
    def replace_note(self, tree_size: int, note: str) -> None:
        """A checkpoint's note, with cosignatures appended."""

    @abstractmethod
    def checkpoints(
        self, *, size: int | None = None, newest: int | None = None
    ) -> list[StoredCheckpoint]:
        """Stored checkpoints by tree size: all, the one of ``size``, or the ``newest`` few."""


def vault_rows(kwargs: dict[str, Any]) -> Sequence[SealedRecord]:
    rows: Sequence[SealedRecord] = kwargs.get("vault_records") or ()
    return rows


def nonce_rows(kwargs: dict[str, Any]) -> Sequence[ClaimRow]:
    rows: Sequence[ClaimRow] = kwargs.get("nonce_claims") or ()
    return rows


def run_before_commit(kwargs: dict[str, Any]) -> None:
    """Run the caller's last check, once everything is written and not yet committed.

    ``before_commit``: a function that raises to roll the transaction back
    (acceptance settles a batch's signature checks there, so that the helper
    process checks them while the rows are being written).
    """
    check: Callable[[], None] | None = kwargs.get("before_commit")
    if check is not None:
        check()


def claim_of(found: tuple[int, bytes] | None) -> Claim | None:
    """A claim from its row (entry, digest), if found."""
    if found is None:
        return None
    return Claim(entry=int(found[0]), digest=bytes(found[1]).hex())


def claims_from_events(events: Iterable[tuple[UUID | str, bytes]]) -> list[ClaimRow]:
    """The rows of claims an older ledger stored as events: (stream id, stored JSON state) each.

    Ledgers written before the nonce table existed kept each claim as an
    event of its own; the first time such a ledger is opened, its claims are
    copied into the table, in the same transaction that creates it.
    """
    rows = []
    for stream, state in events:
        fields = orjson.loads(state)
        key = stream.bytes if isinstance(stream, UUID) else UUID(stream).bytes
        rows.append(claim_row(key, fields["index"], fields["digest"]))
    return rows
