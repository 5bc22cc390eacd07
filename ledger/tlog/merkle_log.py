"""The transparency log: an RFC 9162 Merkle tree over the entries, checkpoints, proofs.

The tree is a projection of the event store: :meth:`MerkleLog.catch_up` reads
new log entries from the notification log, appends their leaf hashes, and
stores each newly completed subtree hash together with the eventsourcing
tracking position, in one transaction. Proofs and roots read only the
O(log n) subtree hashes they need, in one query.

The notary signs C2SP checkpoints (FORMATS §4), and never two that are not
consistent: before signing, the new root is proved consistent with the last
checkpoint issued.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import get_topic
from nacl.signing import SigningKey

from ledger.application import LedgerApplication
from ledger.domain.log import Entry, Log
from ledger.errors import (
    InvalidField,
    LogInconsistent,
    LogTampered,
    NoCheckpoint,
    WrongNotaryKey,
)
from ledger.formats.dsse import leaf_hash as entry_leaf_hash
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import (
    EMPTY_ROOT,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_hash,
    verify_consistency,
)
from ledger.formats.notes import cosign, parse_note, sign_checkpoint
from ledger.storage.mapper import entry_fields, reads_plain
from ledger.storage.recorder import NODES, MerkleRecorder
from ledger.tlog.notary import NotaryGuard
from ledger.tlog.store import SQLiteMerkleRecorder

T = TypeVar("T")
ENTRY_TOPIC = get_topic(Log.EntryAppended)
_PLAIN_TIME = frozenset("0123456789-:.TZ")


def _entry_hash(index: int, recorded_at: str, envelope: dict[str, Any]) -> bytes:
    """The leaf hash of a stored entry: ``leaf_hash(Entry(...).leaf)``, in a fifth of the time.

    orjson's sorted JSON of an envelope that is all ASCII (every accepted
    one is) is byte for byte what ``leaf_json`` writes; anything else takes
    the reference way.
    """
    canonical = orjson.dumps(envelope, option=orjson.OPT_SORT_KEYS)
    if type(index) is int and canonical.isascii() and _PLAIN_TIME.issuperset(recorded_at):
        return entry_leaf_hash(index, recorded_at, canonical)
    return leaf_hash(Entry(index, recorded_at, envelope).leaf)


PAGE = 2000
_ZERO = bytes(32)


@dataclass(frozen=True)
class IssuedCheckpoint:
    size: int
    root: bytes
    note: str
    issued_at: str


class StoredTree:
    """A Merkle tree whose perfect-subtree hashes live in a node store."""

    def __init__(self, store: MerkleRecorder) -> None:
        self.store = store

    def append_leaves(
        self, leaf_hashes: list[bytes], tracking: Tracking, size: int | None = None
    ) -> int:
        """Append leaf hashes (one transaction, with the tracking position).

        ``size``: the leaf count the caller read with its tracking position; the
        nodes are for the leaves from there (if another writer got there first, the
        transaction fails on their keys, never writes leaves one place too far).
        """
        size = self.store.leaf_count() if size is None else size
        frontier = self._frontier(size)
        nodes: list[tuple[int, int, bytes]] = []
        for h in leaf_hashes:
            size = _append(frontier, size, h, nodes)
        self.store.append(nodes, tracking)
        return size

    def _frontier(self, size: int) -> list[tuple[int, bytes]]:
        """The perfect subtrees covering [0, size), largest first, as (level, hash)."""
        keys = _frontier_keys(size)
        found = self.store.nodes(keys)
        if len(found) != len(keys):
            raise LogInconsistent(f"the node cache lacks subtrees of the tree of size {size}")
        return [(level, found[(level, idx)]) for level, idx in keys]

    # -- reading ----------------------------------------------------------------
    def size(self) -> int:
        return self.store.leaf_count()

    def _with_nodes(self, compute: Callable[[Callable[[int, int], bytes]], T]) -> T:
        wanted: list[tuple[int, int]] = []

        def record(level: int, index: int) -> bytes:
            wanted.append((level, index))
            return _ZERO

        compute(record)
        found = self.store.nodes(set(wanted))
        missing = [k for k in wanted if k not in found]
        if missing:
            raise LogInconsistent(f"the node cache lacks subtree {missing[0]}")
        return compute(lambda level, index: found[(level, index)])

    def _check_size(self, size: int, field: str) -> None:
        current = self.size()
        if not 0 <= size <= current:
            raise InvalidField(field, f"must be between 0 and the tree size {current}")

    def root(self, size: int | None = None) -> bytes:
        size = self.size() if size is None else size
        self._check_size(size, "tree_size")
        if size == 0:
            return EMPTY_ROOT
        return self._with_nodes(lambda perfect: range_hash(0, size, perfect))

    def leaf_hash(self, index: int) -> bytes:
        self._check_size(index + 1, "index")
        return self._with_nodes(lambda perfect: perfect(0, index))

    def inclusion_proof(self, index: int, tree_size: int) -> list[bytes]:
        self._check_size(tree_size, "tree_size")
        if not 0 <= index < tree_size:
            raise InvalidField("index", f"must be below tree_size {tree_size}")
        return self._with_nodes(
            lambda perfect: inclusion_proof(
                index, tree_size, lambda a, b: range_hash(a, b, perfect)
            )
        )

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        self._check_size(second, "second")
        if not 0 < first <= second:
            raise InvalidField("first", f"must be between 1 and second ({second})")
        return self._with_nodes(
            lambda perfect: consistency_proof(first, second, lambda a, b: range_hash(a, b, perfect))
        )


class MerkleLog(StoredTree):
    """The Merkle tree and checkpoints of one ledger, projected from its events."""

    def __init__(self, ledger: LedgerApplication) -> None:
        self.ledger = ledger
        cls: type[MerkleRecorder] = SQLiteMerkleRecorder
        if not isinstance(getattr(ledger.factory, "datastore", None), SQLiteDatastore):
            from ledger.tlog.postgres import PostgresMerkleRecorder  # psycopg

            cls = PostgresMerkleRecorder
        super().__init__(ledger.factory.tracking_recorder(cls))  # type: ignore[arg-type]

    # -- the projection --------------------------------------------------------
    def catch_up(self, limit: int | None = None) -> int:
        """Append entries recorded since the last run; returns the tree size."""
        position, size = self.store.progress(self.ledger.name)
        done = 0
        while limit is None or done < limit:
            page_start = position
            notifications = self.ledger.recorder.select_notifications(
                start=position, limit=PAGE, topics=[ENTRY_TOPIC], inclusive_of_start=False
            )
            if not notifications:
                break
            hashes: list[bytes] = []
            plain = reads_plain(self.ledger.mapper)
            for n in notifications:
                if plain:
                    index, recorded_at, envelope = entry_fields(n.state)
                else:
                    event = self.ledger.mapper.to_domain_event(n)
                    index, recorded_at, envelope = event.index, event.recorded_at, event.envelope  # type: ignore[attr-defined]
                if index != size + len(hashes):
                    raise LogInconsistent(
                        f"entry {index} arrived where entry {size + len(hashes)} was expected"
                    )
                hashes.append(_entry_hash(index, recorded_at, envelope))
                position = n.id
            try:
                size = self.append_leaves(hashes, Tracking(self.ledger.name, position), size)
            except IntegrityError:
                # Another process (the server, a command on the same database) appended
                # these entries first: the nodes are a function of the entries, so what it
                # wrote is what this would have; go on from where it got to.
                position, size = self.store.progress(self.ledger.name)
                if position <= page_start:
                    raise  # nobody moved the cache forward: not a race, a real conflict
                continue
            done += len(notifications)
        return size

    def rebuild(self) -> int:
        """Drop the node cache and replay the whole log into it."""
        self.store.clear(self.ledger.name)
        return self.catch_up()

    # -- checkpoints --------------------------------------------------------------
    def checkpoints(self, newest: int | None = None) -> list[IssuedCheckpoint]:
        """Every checkpoint issued (or the ``newest`` few), by tree size."""
        return [IssuedCheckpoint(*row) for row in self.store.checkpoints(newest=newest)]

    def latest(self) -> IssuedCheckpoint:
        checkpoints = self.store.checkpoints(newest=1)
        if not checkpoints:
            raise NoCheckpoint("no checkpoint has been issued yet: run `ansinh checkpoint`")
        return IssuedCheckpoint(*checkpoints[-1])

    def checkpoint_at(self, size: int) -> IssuedCheckpoint | None:
        found = self.store.checkpoints(size=size)
        return IssuedCheckpoint(*found[0]) if found else None

    def issue(
        self, notary: KeyPair, size: int | None = None, guard: NotaryGuard | None = None
    ) -> IssuedCheckpoint:
        """Sign a checkpoint at ``size`` (default: the whole log), after checking it.

        The entries are verified first, as ``ansinh verify`` would, by ``guard``
        (a new one replays the whole log; a server keeps one and replays only
        what is new): the root signed is computed from them and must equal the
        node cache's, and the checkpoint must be consistent with every one
        issued before it. Anything else raises :class:`~ledger.errors.LogTampered`
        or :class:`~ledger.errors.LogInconsistent`, and nothing is signed.
        """
        current = self.catch_up()
        size = current if size is None else size
        self._check_size(size, "tree_size")
        charter = self.ledger.charter()
        if notary.public_key_b64 != charter.notary_public_key:
            raise WrongNotaryKey(
                "notary_key: not the notary key this ledger was opened with", field="notary_key"
            )
        if size == 0:
            raise InvalidField("tree_size", "an empty log has nothing to checkpoint")
        existing = self.checkpoint_at(size)
        if existing is not None:
            return existing
        earlier = self.checkpoints(newest=1)
        guard = guard or NotaryGuard(self.ledger)
        root = guard.root(size, keep={cp.size for cp in earlier})
        cached = self.root(size)
        if cached != root:
            raise LogTampered(
                f"refusing to sign: the Merkle node cache ({NODES}) gives root "
                f"{base64.b64encode(cached).decode()} at size {size}, the entries give "
                f"{base64.b64encode(root).decode()}: run `ansinh verify --db` to find the rows"
            )
        # Each checkpoint was proved consistent with the largest one before it
        # when it was issued, so proving this one against the largest issued so
        # far covers them all (`ansinh verify` checks every stored pair anyway).
        for cp in earlier:
            if cp.size <= size:
                guard.check_signed(cp.size, cp.root)
            self._prove_consistent(cp, size, root)
        note = sign_checkpoint(
            charter.ledger_id, size, root, charter.ledger_id, SigningKey(notary.seed)
        )
        issued = IssuedCheckpoint(
            size, root, note, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        try:
            self.store.add_checkpoint((issued.size, issued.root, issued.note, issued.issued_at))
        except IntegrityError:  # another process issued this size first
            other = self.checkpoint_at(size)
            assert other is not None
            return other
        return issued

    def _prove_consistent(self, earlier: IssuedCheckpoint, size: int, root: bytes) -> None:
        try:
            if earlier.size <= size:
                proof = self.consistency_proof(earlier.size, size)
                verify_consistency(earlier.size, size, earlier.root, root, proof)
            else:
                proof = self.consistency_proof(size, earlier.size)
                verify_consistency(size, earlier.size, root, earlier.root, proof)
        except ProofError as exc:
            raise LogInconsistent(
                f"refusing to sign: tree size {size} is not consistent with the checkpoint "
                f"issued at size {earlier.size} ({exc})"
            ) from None

    def add_cosignature(self, size: int, line: str) -> str:
        """Append a witness's cosignature line to the stored checkpoint note."""
        cp = self.checkpoint_at(size)
        if cp is None:
            raise NoCheckpoint(f"no checkpoint of size {size}")
        if line in cp.note:
            return cp.note
        note = cp.note + line
        parse_note(note)
        self.store.replace_note(size, note)
        return note


def _frontier_keys(size: int) -> list[tuple[int, int]]:
    keys = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            keys.append((level, start >> level))
            start += 1 << level
    return keys


def _append(
    frontier: list[tuple[int, bytes]], size: int, h: bytes, nodes: list[tuple[int, int, bytes]]
) -> int:
    """Add leaf number ``size``; record every subtree it completes; returns the new size."""
    nodes.append((0, size, h))
    level = 0
    while frontier and frontier[-1][0] == level:
        _, left = frontier.pop()
        h = node_hash(left, h)
        level += 1
        nodes.append((level, ((size + 1) >> level) - 1, h))
    frontier.append((level, h))
    return size + 1


__all__ = ["IssuedCheckpoint", "MerkleLog", "cosign"]
