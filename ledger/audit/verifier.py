"""``ansinh verify``: replay a log and check everything, trusting nothing.

Entries stream through worker processes (:mod:`ledger.audit.entry`: shape,
canonical bytes, signatures, leaf hashes) and then through :class:`Replay`
in log order: entry 0 opens the ledger under the expected authority; each
statement's author holds a key registered by an earlier entry, not revoked,
with the statement's role; nonces are never reused; approvals come from
another holder than the proposal's; the Merkle root over all leaves equals
the checkpoint's, which the notary signed. What is kept: the keys, the open
proposals, and each author's nonces as numbers (about 60 bytes an entry in a
Python set; the entries themselves stream through).

Entry 0 says which version of FORMATS the ledger follows (docs/formats.md):
in a ledger that declares 1.1, an entry that breaks a 1.1 rule fails; in a
v1 ledger it is a warning, counted, and listed up to ``LISTED_WARNINGS``.
"""

from __future__ import annotations

import base64
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain

from ledger.audit.adoption import Versions
from ledger.audit.entry import (
    Block,
    Body,
    Checked,
    Failure,
    block_size,
    check_chunk,
    learn_keys,
    opens,
)
from ledger.domain.catalog import CATALOG
from ledger.errors import BadSignature, KeyRevoked, ReplayedNonce, RoleNotAllowed, SelfApproval
from ledger.formats.merkle import RootAccumulator
from ledger.formats.notes import NoteError, open_checkpoint, parse_note, verify_cosignature
from ledger.formats.versions import V1, declared

CHUNK = 1024  # entries per block handed to a worker (when given leaves one by one)
IN_PROCESS_BELOW = 1024  # entries checked in this process before workers start
LISTED_WARNINGS = 100  # warnings kept with their entry and reason (all are counted)
Result = tuple[list[Checked], Failure | None]


class VerificationFailed(Exception):
    """The first thing that does not hold; ``index`` is None for whole-log checks."""

    def __init__(self, reason: str, index: int | None = None, more: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason
        self.more = more  # further problems found beside the first, one line each

    def __str__(self) -> str:
        return f"entry {self.index}: {self.reason}" if self.index is not None else self.reason


@dataclass
class KeyState:
    public_key: bytes
    holder: str
    roles: frozenset[str]
    registered: int
    revoked: int | None = None


MIN_AUTHORITY_HEX = 16  # the shortest prefix of the authority's key id that pins it


def _is_authority(key_id: str, expected: str) -> bool:
    """Whether ``key_id`` is the expected authority: its whole id, or a prefix of at
    least :data:`MIN_AUTHORITY_HEX` hex digits (what ``ansinh`` prints of a key id)."""
    return len(expected) >= MIN_AUTHORITY_HEX and key_id.startswith(expected)


@dataclass
class Replay:
    """The ordered checks; feed entries with :meth:`apply`, in index order."""

    authority: str | None = None
    ledger_id: str = ""
    notary_key: bytes = b""
    keys: dict[str, KeyState] = field(default_factory=dict)
    nonces: dict[str, set[int]] = field(default_factory=dict)  # by author
    proposers: dict[str, str] = field(default_factory=dict)
    watch_people: set[str] = field(default_factory=set)
    commitments: dict[str, str] = field(default_factory=dict)
    tree: RootAccumulator = field(default_factory=RootAccumulator)
    roots_at: dict[int, bytes] = field(default_factory=dict)
    want_roots: set[int] = field(default_factory=set)
    last_recorded_at: str = ""
    leaves: bytearray | None = None  # every leaf hash, in order, when a caller needs them
    formats: str = V1  # what entry 0 declares
    versions: Versions = field(default_factory=lambda: Versions(V1))  # what it adopts since
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (index, why), the first ones
    warning_count: int = 0

    @property
    def size(self) -> int:
        return self.tree.size

    def public_keys(self) -> dict[str, bytes]:
        return {k: v.public_key for k, v in self.keys.items()}

    def apply(self, i: int, entry: Checked) -> None:
        """Entry ``i``, checked on its own (see :data:`ledger.audit.entry.Checked`)."""
        recorded_at, kind, by, nonce, ledger, body, leaf_hash, ok, pending, amended = entry
        if i != self.tree.size:
            raise VerificationFailed(f"expected entry {self.tree.size} here", i)
        if i == 0:
            self._open(by, ledger, kind, body)
        elif kind == "ledger.opened":
            raise VerificationFailed("ledger.opened may only be entry 0", i)
        if amended is not None:
            self._breaks_amendment(i, amended)
        if ledger != self.ledger_id:
            raise VerificationFailed(f"statement is for ledger {ledger!r}", i)
        key = self.keys.get(by)
        if key is None:
            raise VerificationFailed(f"signed by key {by[:16]}, not registered before it", i)
        if ok is None:
            assert pending is not None
            ok = opens(key.public_key, pending)
        if not ok:
            raise VerificationFailed(f"{BadSignature.code}: signature does not verify", i)
        if key.revoked is not None and i > key.revoked:
            raise VerificationFailed(
                f"{KeyRevoked.code}: key {by[:16]} was revoked at entry {key.revoked}", i
            )
        if (problem := self.versions.problem(kind, body, key.holder)) is not None:
            raise VerificationFailed(problem, i)
        row = CATALOG.get(kind)
        allowed = None if row is None else row.roles
        if i > 0 and (allowed is None or allowed.isdisjoint(key.roles)):
            raise VerificationFailed(f"{RoleNotAllowed.code}: {key.holder} may not sign {kind}", i)
        used = self.nonces.get(by)
        if used is None:
            used = self.nonces[by] = set()
        elif nonce in used:
            raise VerificationFailed(
                f"{ReplayedNonce.code}: nonce {nonce:032x} used before by this key", i
            )
        used.add(nonce)
        if recorded_at < self.last_recorded_at:
            raise VerificationFailed(f"recorded_at {recorded_at} goes back in time", i)
        self.last_recorded_at = recorded_at
        if body is not None:
            self._effects(i, kind, key, body)
        tree = self.tree
        tree.append(leaf_hash)
        if self.leaves is not None:
            self.leaves += leaf_hash
        if tree.size in self.want_roots:
            self.roots_at[tree.size] = tree.root()

    def _open(self, by: str, ledger: str, kind: str, body: Body | None) -> None:
        if kind != "ledger.opened" or body is None:
            raise VerificationFailed("entry 0 must be ledger.opened", 0)
        if self.authority is not None and not _is_authority(by, self.authority):
            raise VerificationFailed(
                f"opened by key {by[:16]}, not the authority {self.authority[:16]}", 0
            )
        self.authority = by
        self.ledger_id = ledger
        self.formats = declared(body)
        self.versions = Versions(self.formats)
        self.notary_key = base64.b64decode(body["notary_key"]["public_key"])
        self.keys[by] = KeyState(
            base64.b64decode(body["authority_key"]["public_key"]),
            f"authority:{by[:16]}",
            frozenset({"admin", "approver"}),
            0,
        )

    def amendments(self) -> Amendments:
        follows = self.versions.formats
        return Amendments(self.formats, tuple(self.warnings), self.warning_count, follows)

    def _breaks_amendment(self, i: int, why: str) -> None:
        """An entry breaks a FORMATS 1.1 rule: a failure if the ledger declares 1.1."""
        if self.formats != V1:
            raise VerificationFailed(f"{why}; the ledger declares FORMATS {self.formats}", i)
        self.warning_count += 1
        if len(self.warnings) < LISTED_WARNINGS:
            self.warnings.append((i, f"{why}; allowed in this FORMATS v1 ledger"))

    def _effects(self, i: int, kind: str, key: KeyState, body: Body) -> None:
        if kind == "key.registered":
            kid = body["key"]["id"]
            if kid in self.keys:
                raise VerificationFailed(f"key {kid[:16]} registered twice", i)
            self.keys[kid] = KeyState(
                base64.b64decode(body["key"]["public_key"]),
                body["holder"]["id"],
                frozenset(body["roles"]),
                i,
            )
        elif kind == "key.revoked":
            target = self.keys.get(body["key_id"])
            if target is None or target.revoked is not None:
                raise VerificationFailed("revokes a key that is not registered and active", i)
            target.revoked = i
        elif kind in ("benefit.proposed", "household.status.proposed"):
            self.proposers[body.get("benefit_id") or body["proposal_id"]] = key.holder
        elif kind in (
            "benefit.approved",
            "household.status.approved",
            "benefit.rejected",
            "household.status.rejected",
        ):
            target_id = body.get("benefit_id") or body["proposal_id"]
            proposer = self.proposers.pop(target_id, None)
            if proposer is None:
                raise VerificationFailed(f"decides {target_id}, which is not an open proposal", i)
            if kind.endswith("approved") and proposer == key.holder:
                raise VerificationFailed(
                    f"{SelfApproval.code}: {key.holder} approves their own proposal {target_id}", i
                )
        elif kind in ("person.registered", "person.pii.updated") and (
            body["person_id"] in self.watch_people
        ):
            self.commitments[body["person_id"]] = body["pii"]


@dataclass(frozen=True)
class Amendments:
    """What a verified log declared, and its entries that break a FORMATS 1.1 rule: only a v1
    ledger can have any; ``warnings`` lists the first :data:`LISTED_WARNINGS`, ``count`` all."""

    formats: str
    warnings: tuple[tuple[int, str], ...] = ()
    count: int = 0
    follows: str | None = None  # what the ledger follows at its end, after any adoption


@dataclass(frozen=True)
class Outcome:
    entries: int
    root: bytes
    authority: str
    ledger_id: str
    checkpoint_size: int | None = None
    witnesses: tuple[str, ...] = ()
    vault_records: int = 0
    covered: tuple[str, ...] = ()  # what else was checked, one line each
    uncovered: tuple[str, ...] = ()  # what was not, and why, one line each
    amendments: Amendments = field(default_factory=lambda: Amendments(V1))


def _blocks(lines: Iterable[bytes]) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def replay_lines(
    lines: Iterable[bytes],
    replay: Replay,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Replay:
    """Check every leaf, in order, on ``processes`` workers (default: all cores)."""
    return replay_blocks(_blocks(lines), replay, processes, progress)


def replay_blocks(
    blocks: Iterable[Block],
    replay: Replay,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Replay:
    """Check every entry of ``blocks``, in order, on ``processes`` workers.

    Workers check blocks on their own (:func:`ledger.audit.entry.check_chunk`)
    while this process replays the results in log order; at most
    ``3 * processes`` blocks are in flight, so memory stays flat.
    """
    processes = processes or os.cpu_count() or 1
    chunks = iter(blocks)
    start = replay.size  # a replay may go on from where it stopped
    # The log's first entries are checked here: the workers then know the keys
    # they register, and a small log is done before workers would have started.
    for block in chunks:
        if processes > 1 and start >= IN_PROCESS_BELOW:
            break
        keys = replay.public_keys()
        start = _apply_chunk(replay, start, check_chunk(start, block, keys), progress)
    else:
        if start == 0:
            raise VerificationFailed("the log is empty")
        return replay
    later = chain([block], chunks)
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    # Not multiprocessing.Pool: its worker-handler thread also watches the
    # results pipe, and spins while a result waits there (about 1.5 us of
    # this process's CPU per entry).
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        window: deque[tuple[int, Future[Result]]] = deque()
        sent = start
        try:
            for block in later:
                window.append((sent, pool.submit(check_chunk, sent, block, replay.public_keys())))
                sent += block_size(block)
                if len(window) >= 3 * processes:
                    at, result = window.popleft()
                    start = _apply_chunk(replay, at, result.result(), progress)
            while window:
                at, result = window.popleft()
                start = _apply_chunk(replay, at, result.result(), progress)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return replay


def _apply_chunk(
    replay: Replay,
    start: int,
    result: Result,
    progress: Callable[[int], None] | None,
) -> int:
    """Replay a checked chunk; returns the index after it."""
    checked, failure = result
    apply = replay.apply
    for index, entry in enumerate(checked, start):
        apply(index, entry)
    if failure is not None:
        raise VerificationFailed(failure[1], failure[0])
    learn_keys(replay.public_keys())
    if progress is not None:
        progress(len(checked))
    return start + len(checked)


def check_checkpoint(replay: Replay, note: str, *, expect_size: int | None = None) -> int:
    """The checkpoint's origin, notary signature and root; returns its size."""
    try:
        cp = open_checkpoint(note, replay.ledger_id, replay.notary_key, origin=replay.ledger_id)
    except NoteError as exc:
        raise VerificationFailed(f"checkpoint: {exc}") from None
    if expect_size is not None and cp.size != expect_size:
        raise VerificationFailed(f"checkpoint is for {cp.size} entries, the log has {expect_size}")
    if cp.size > replay.size:
        raise VerificationFailed(
            f"checkpoint of size {cp.size} but the log has only {replay.size} entries "
            "(truncated or rewritten history)"
        )
    root = replay.roots_at.get(cp.size) or (replay.tree.root() if cp.size == replay.size else None)
    if root != cp.root:
        raise VerificationFailed(
            f"checkpoint of size {cp.size}: Merkle root {base64.b64encode(cp.root).decode()} "
            f"does not match the entries ({base64.b64encode(root or b'').decode()})"
        )
    return cp.size


def check_witnesses(note: str, witnesses: list[str]) -> tuple[str, ...]:
    """Require a valid v1 cosignature from each witness verifier key."""
    names = []
    for vkey in witnesses:
        name, public_key = parse_vkey(vkey)
        try:
            verify_cosignature(note, name, public_key)
        except NoteError as exc:
            raise VerificationFailed(f"witness {name}: {exc}") from None
        names.append(name)
    return tuple(names)


def parse_vkey(vkey: str) -> tuple[str, bytes]:
    """A verifier key ``name+hex(key id4)+base64(type || public key)`` (note format)."""
    try:
        name, _, blob = vkey.split("+", 2)  # names hold no "+"; base64 may
        raw = base64.b64decode(blob, validate=True)
    except ValueError:
        raise VerificationFailed(f"witness key {vkey!r}: expected name+keyid+base64") from None
    if len(raw) != 33 or raw[0] not in (0x01, 0x04):
        raise VerificationFailed(f"witness key {vkey!r}: not an Ed25519 verifier key")
    return name, raw[1:]


def checkpoint_size(note: str) -> int:
    try:
        return parse_note(note).size
    except NoteError as exc:
        raise VerificationFailed(f"checkpoint: {exc}") from None
