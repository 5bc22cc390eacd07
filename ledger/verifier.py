"""``ansinh verify``: replay a log and check everything, trusting nothing.

Entries stream through worker processes (:mod:`ledger.verify_entry`: shape,
canonical bytes, signatures, leaf hashes) and then through :class:`Replay`
in log order: entry 0 opens the ledger under the expected authority; each
statement's author holds a key registered by an earlier entry, not revoked,
with the statement's role; nonces are never reused; approvals come from
another holder than the proposal's; the Merkle root over all leaves equals
the checkpoint's, which the notary signed. Memory stays flat: only keys,
open proposals and 8 bytes per nonce are kept.
"""

from __future__ import annotations

import base64
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ledger.merkle import RootAccumulator
from ledger.notes import NoteError, open_checkpoint, parse_note, verify_cosignature
from ledger.schemas import STATEMENT_TYPES
from ledger.verify_entry import CheckedEntry, EntryInvalid, check_chunk, learn_keys, verifies

CHUNK = 512
IN_PROCESS_BELOW = 4096


class VerificationFailed(Exception):
    """The first thing that does not hold; ``index`` is None for whole-log checks."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason

    def __str__(self) -> str:
        return f"entry {self.index}: {self.reason}" if self.index is not None else self.reason


@dataclass
class KeyState:
    public_key: bytes
    holder: str
    roles: frozenset[str]
    registered: int
    revoked: int | None = None


@dataclass
class Replay:
    """The ordered checks; feed entries with :meth:`apply`, in index order."""

    authority: str | None = None
    ledger_id: str = ""
    notary_key: bytes = b""
    keys: dict[str, KeyState] = field(default_factory=dict)
    nonces: set[int] = field(default_factory=set)
    proposers: dict[str, str] = field(default_factory=dict)
    watch_people: set[str] = field(default_factory=set)
    commitments: dict[str, str] = field(default_factory=dict)
    tree: RootAccumulator = field(default_factory=RootAccumulator)
    roots_at: dict[int, bytes] = field(default_factory=dict)
    want_roots: set[int] = field(default_factory=set)
    last_recorded_at: str = ""

    @property
    def size(self) -> int:
        return self.tree.size

    def public_keys(self) -> dict[str, bytes]:
        return {k: v.public_key for k, v in self.keys.items()}

    def apply(self, e: CheckedEntry) -> None:
        i, kind, by, body = e.index, e.type, e.by, e.body
        if i != self.tree.size:
            raise VerificationFailed(f"expected entry {self.tree.size} here", i)
        if i == 0:
            self._open(e)
        elif kind == "ledger.opened":
            raise VerificationFailed("ledger.opened may only be entry 0", i)
        if e.ledger != self.ledger_id:
            raise VerificationFailed(f"statement is for ledger {e.ledger!r}", i)
        key = self.keys.get(by)
        if key is None:
            raise VerificationFailed(f"signed by key {by[:16]}, not registered before it", i)
        ok = e.signature_ok
        if ok is None:
            assert e.signed_message is not None and e.signature is not None
            ok = verifies(key.public_key, e.signed_message, e.signature)
        if not ok:
            raise VerificationFailed("BAD_SIGNATURE: signature does not verify", i)
        if key.revoked is not None and i > key.revoked:
            raise VerificationFailed(
                f"KEY_REVOKED: key {by[:16]} was revoked at entry {key.revoked}", i
            )
        allowed = STATEMENT_TYPES.get(kind)
        if i > 0 and not (allowed and allowed & key.roles):
            raise VerificationFailed(f"ROLE_NOT_ALLOWED: {key.holder} may not sign {kind}", i)
        nonce = int.from_bytes(hashlib.sha256(f"{by}/{e.nonce}".encode()).digest()[:8], "big")
        if nonce in self.nonces:
            raise VerificationFailed(f"REPLAYED_NONCE: nonce {e.nonce} used before by this key", i)
        self.nonces.add(nonce)
        if e.recorded_at < self.last_recorded_at:
            raise VerificationFailed(f"recorded_at {e.recorded_at} goes back in time", i)
        self.last_recorded_at = e.recorded_at
        if body is not None:
            self._effects(i, kind, key, body)
        self.tree.append(e.leaf_hash)
        if self.tree.size in self.want_roots:
            self.roots_at[self.tree.size] = self.tree.root()

    def _open(self, e: CheckedEntry) -> None:
        if e.type != "ledger.opened" or e.body is None:
            raise VerificationFailed("entry 0 must be ledger.opened", 0)
        if self.authority is not None and e.by != self.authority:
            raise VerificationFailed(
                f"opened by key {e.by[:16]}, not the authority {self.authority[:16]}", 0
            )
        self.authority = e.by
        self.ledger_id = e.ledger
        self.notary_key = base64.b64decode(e.body["notary_key"]["public_key"])
        self.keys[e.by] = KeyState(
            base64.b64decode(e.body["authority_key"]["public_key"]),
            f"authority:{e.by[:16]}",
            frozenset({"admin", "approver"}),
            0,
        )

    def _effects(self, i: int, kind: str, key: KeyState, body: dict[str, Any]) -> None:
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
                    f"SELF_APPROVAL: {key.holder} approves their own proposal {target_id}", i
                )
        elif kind in ("person.registered", "person.pii.updated") and (
            body["person_id"] in self.watch_people
        ):
            self.commitments[body["person_id"]] = body["pii"]


@dataclass(frozen=True)
class Outcome:
    entries: int
    root: bytes
    authority: str
    ledger_id: str
    checkpoint_size: int | None = None
    witnesses: tuple[str, ...] = ()
    vault_records: int = 0


def _chunks(lines: Iterable[bytes]) -> Iterator[tuple[int, list[bytes]]]:
    start, batch = 0, []
    for line in lines:
        batch.append(line)
        if len(batch) == CHUNK:
            yield start, batch
            start, batch = start + len(batch), []
    if batch:
        yield start, batch


def replay_lines(
    lines: Iterable[bytes],
    replay: Replay,
    processes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Replay:
    """Check every line, in order, on ``processes`` workers (default: all cores)."""
    processes = processes or os.cpu_count() or 1
    chunks = _chunks(lines)
    first = next(chunks, None)
    if first is None:
        raise VerificationFailed("the log is empty")
    _apply_chunk(replay, check_chunk(first[0], first[1], {}), progress)
    if processes == 1 or len(first[1]) < CHUNK:
        for start, batch in chunks:
            _apply_chunk(replay, check_chunk(start, batch, replay.public_keys()), progress)
        return replay
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(processes) as pool:
        window: deque[Any] = deque()
        for start, batch in chunks:
            window.append(pool.apply_async(check_chunk, (start, batch, replay.public_keys())))
            if len(window) >= 3 * processes:
                _apply_chunk(replay, window.popleft().get(), progress)
        while window:
            _apply_chunk(replay, window.popleft().get(), progress)
    return replay


def _apply_chunk(
    replay: Replay,
    result: tuple[list[CheckedEntry], EntryInvalid | None],
    progress: Callable[[int], None] | None,
) -> None:
    checked, failure = result
    for entry in checked:
        replay.apply(entry)
    if failure is not None:
        raise VerificationFailed(failure.reason, failure.index)
    learn_keys(replay.public_keys())
    if progress is not None:
        progress(len(checked))


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
