"""Verifying a bundle or a live database, end to end (``ansinh verify``)."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

from ledger.application import LedgerApplication
from ledger.audit.bundle import BLOCK, open_bundle
from ledger.audit.store import StoreAudit, TableMismatch
from ledger.audit.tables import check_nodes, check_nonces, check_vault
from ledger.audit.verifier import (
    Outcome,
    Replay,
    VerificationFailed,
    check_checkpoint,
    check_witnesses,
    checkpoint_size,
    replay_blocks,
    replay_lines,
)
from ledger.errors import LedgerError
from ledger.formats.merkle import ProofError, verify_consistency
from ledger.formats.notes import NoteError, open_checkpoint
from ledger.formats.vault import VaultKey, commitment
from ledger.storage.recorder import CHECKPOINTS
from ledger.tlog.merkle_log import IssuedCheckpoint, MerkleLog
from ledger.tlog.policy import Policy, evaluate

Progress = Callable[[int], None] | None


def verify_bundle(
    path: Path,
    *,
    authority: str | None = None,
    witnesses: list[str] | None = None,
    since: str | None = None,
    processes: int | None = None,
    progress: Progress = None,
    policy: Policy | None = None,
    block_bytes: int = BLOCK,
) -> Outcome:
    """Verify an exported bundle, offline, trusting only ``authority`` (a key id).

    Workers check about ``block_bytes`` of ``entries.jsonl`` at a time.
    """
    try:
        with open_bundle(path) as bundle:
            replay = Replay(authority=authority)
            vault = _parse_vault(bundle.vault_lines)
            replay.watch_people = set(vault)
            sizes = {checkpoint_size(bundle.checkpoint)}
            if since is not None:
                sizes.add(checkpoint_size(since))
            replay.want_roots = sizes
            processes = processes or os.cpu_count() or 1
            blocks = bundle.blocks(block_bytes, spans=processes > 1)
            replay_blocks(blocks, replay, processes, progress)
            size = check_checkpoint(replay, bundle.checkpoint, expect_size=replay.size)
            if since is not None:
                check_checkpoint(replay, since)
            names = check_witnesses(bundle.checkpoint, witnesses or [])
            names += check_policy(bundle.checkpoint, policy)
            checked = _check_vault(replay, vault)
    except LedgerError as exc:
        raise VerificationFailed(f"{exc.code}: {exc.message}") from None
    assert replay.authority is not None
    return Outcome(
        replay.size,
        replay.tree.root(),
        replay.authority,
        replay.ledger_id,
        size,
        names,
        checked,
        amendments=replay.amendments(),
    )


def verify_ledger(
    ledger: LedgerApplication,
    *,
    authority: str | None = None,
    witnesses: list[str] | None = None,
    since: str | None = None,
    processes: int | None = None,
    progress: Progress = None,
    vault_key: VaultKey | None = None,
    tables: bool = True,
    policy: Policy | None = None,
) -> Outcome:
    """Verify a live database: the entries, every stored checkpoint, and every table
    the ledger decides or answers from (aggregate events, nonce claims, the Merkle node
    cache and its position, the vault), each rebuilt from the entries and compared.

    A live ledger verifies only under a checkpoint: without one nothing outside
    the database commits to its entries. The read models are checked by
    :mod:`projections` (``ansinh verify --db`` runs both). ``tables=False``
    checks the log and its checkpoints only, read as the ledger reads them
    (what ``verify --db`` covered before; ``bench verify --db`` compares).
    """
    mlog = MerkleLog(ledger)
    checkpoints = mlog.checkpoints()
    audit = StoreAudit(ledger)
    cached = mlog.store.leaf_count()
    if cached:
        audit.want_notification_of.add(cached - 1)
    replay = Replay(authority=authority, leaves=bytearray())
    replay.want_roots = {cp.size for cp in checkpoints}
    if since is not None:
        replay.want_roots.add(checkpoint_size(since))
    leaves = audit.leaves() if tables else (e.leaf for e in ledger.entries())
    replay_lines(leaves, replay, processes, progress)
    for cp in checkpoints:
        try:
            signed = check_checkpoint(replay, cp.note)
        except VerificationFailed as exc:
            raise VerificationFailed(
                f"stored checkpoint of size {cp.size}: {exc.reason}"
                + _locate(ledger, mlog, cp.size, cp.root)
            ) from None
        if (signed, replay.roots_at.get(signed)) != (cp.size, cp.root):
            # (the notary proves each new checkpoint against these columns)
            raise VerificationFailed(
                f"{CHECKPOINTS} (tree_size {cp.size}): its size and root columns are not "
                "those of its signed note"
            )
    _check_mutual_consistency(mlog, checkpoints)
    if since is not None:
        check_checkpoint(replay, since)
    names = check_witnesses(checkpoints[-1].note, witnesses or []) if checkpoints else ()
    if (witnesses or policy) and not checkpoints:
        raise VerificationFailed("no checkpoint to carry the witnesses' cosignatures")
    names += check_policy(checkpoints[-1].note, policy) if checkpoints else ()
    assert replay.leaves is not None
    covered = []
    if tables:
        covered = [
            audit.finish_events(),
            check_nonces(audit),
            check_nodes(audit, replay.leaves, mlog.store.all_nodes()),
            check_vault(audit, vault_key),
        ]
        _check_node_tracking(mlog, audit)
        raise_problems(audit.problems)
    if not checkpoints:
        raise VerificationFailed(
            f"no signed checkpoint: the {replay.size} entries check out, but nothing outside "
            "this database commits to them (sign one with `ansinh checkpoint`)"
        )
    assert replay.authority is not None
    newest = checkpoints[-1].size
    uncovered = []
    if newest < replay.size:
        uncovered.append(
            f"entries {newest}..{replay.size - 1}: checked, but no checkpoint signs them yet"
        )
    if vault_key is None:
        uncovered.append("vault contents: not opened (give the vault key to check them)")
    if not witnesses and policy is None:
        uncovered.append("witness cosignatures: none required (give --witness or --policy)")
    return Outcome(
        replay.size,
        replay.tree.root(),
        replay.authority,
        replay.ledger_id,
        newest,
        names,
        0,
        covered=(
            *(f"{c.table}: {c.rows} rows, {c.what}" for c in covered),
            f"checkpoints: {len(checkpoints)} stored, each against the entries and the others",
        ),
        uncovered=tuple(uncovered),
        amendments=replay.amendments(),
    )


def raise_problems(problems: list[TableMismatch]) -> None:
    """Fail on the first problem found in the tables, listing the others."""
    if problems:
        first, *rest = problems
        raise VerificationFailed(str(first), more=tuple(str(p) for p in rest))


def _check_node_tracking(mlog: MerkleLog, audit: StoreAudit) -> None:
    """The node cache's tracking position is the notification of the last entry it holds."""
    tracked = mlog.store.max_tracking_id(mlog.ledger.name)
    cached = audit.cached_leaves
    want = audit.entry_notifications.get(cached - 1) if cached else None
    if (tracked or None) != want:
        audit.problem(
            str(getattr(mlog.store, "tracking_table_name", "tracking")),
            f"({mlog.ledger.name})",
            f"the Merkle node cache tracks notification {tracked}, but its last entry "
            f"{cached - 1} is notification {want}: entries would be skipped or hashed twice",
        )


def _locate(ledger: LedgerApplication, mlog: MerkleLog, size: int, root: bytes) -> str:
    """Name the first entry whose leaf differs from the one the checkpoint committed to.

    The node cache is only trusted if its own root equals the signed root.
    """
    try:
        if mlog.root(size) != root:
            return ""
        cached = mlog.store
        for entry in ledger.entries(0, size):
            expected = cached.nodes([(0, entry.index)]).get((0, entry.index))
            if expected != entry.leaf_hash:
                return (
                    f"; entry {entry.index} differs from what the checkpoint committed to "
                    "(its envelope or recorded_at was changed)"
                )
    except LedgerError:
        return ""
    return ""


def _check_mutual_consistency(mlog: MerkleLog, checkpoints: list[IssuedCheckpoint]) -> None:
    for earlier, later in pairwise(checkpoints):
        try:
            proof = mlog.consistency_proof(earlier.size, later.size)
            verify_consistency(earlier.size, later.size, earlier.root, later.root, proof)
        except (ProofError, LedgerError) as exc:
            raise VerificationFailed(
                f"checkpoints of size {earlier.size} and {later.size} are not consistent: {exc}"
            ) from None


VaultItems = dict[str, tuple[bytes, dict[str, Any]]]


def _parse_vault(lines: list[str] | None) -> VaultItems:
    records: VaultItems = {}
    for number, line in enumerate(lines or []):
        try:
            item = json.loads(line)
            records[item["person_id"]] = (base64.b64decode(item["salt"]), item["record"])
        except (ValueError, KeyError, TypeError):
            raise VerificationFailed(f"vault.jsonl line {number}: not a vault record") from None
    return records


def _check_vault(replay: Replay, vault: VaultItems) -> int:
    for person_id, (salt, record) in vault.items():
        latest = replay.commitments.get(person_id)
        if latest is None:
            raise VerificationFailed(f"vault record of {person_id}: no such person in the log")
        if commitment(salt, record) != latest:
            raise VerificationFailed(
                f"vault record of {person_id} does not match its latest commitment {latest[:16]}"
            )
    return len(vault)


__all__ = ["NoteError", "open_checkpoint", "verify_bundle", "verify_ledger"]


def check_policy(note: str, policy: Policy | None) -> tuple[str, ...]:
    """The witnesses' names that satisfy ``policy`` on ``note``; fails naming what is missing."""
    if policy is None:
        return ()
    found = evaluate(policy, note)
    if not found.satisfied:
        raise VerificationFailed(f"POLICY_NOT_SATISFIED: {found.summary()}")
    return tuple(n for n in found.signed)
