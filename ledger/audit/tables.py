"""The nonce claims, the Merkle node cache and the vault, checked against the log.

Each takes what :class:`ledger.audit.store.StoreAudit` kept from its pass
over the event store (the entries' claims and commitments, their leaf
hashes) and one streamed read of its table, and records each difference in
the audit's problems, naming the table and the row.
"""

from __future__ import annotations

from collections.abc import Iterator

from ledger.audit.store import Checked, StoreAudit
from ledger.formats.merkle import node_hash
from ledger.formats.vault import VaultKey, commitment


def check_nonces(audit: StoreAudit) -> Checked:
    """Exactly one claim per entry, the entry's own (author, nonce) and envelope digest."""
    recorder = audit.ledger.recorder
    table = "ansinh_nonces"
    claims = audit.claims
    expected_entry = 0
    rows = 0
    for claim, entry, digest in recorder.nonce_rows():
        rows += 1
        if entry >= audit.entries or entry < 0:
            audit.problem(table, f"(entry {entry})", "names an entry the log does not have")
            continue
        if entry < expected_entry:
            audit.problem(table, f"(entry {entry})", "a second claim for this entry")
            continue
        if entry > expected_entry:
            audit.problem(
                table,
                f"(entry {expected_entry})",
                "missing: the entry's nonce claim was deleted (its nonce could be replayed)",
            )
        want = claims[48 * entry : 48 * entry + 48]
        if bytes(claim) != want[:16]:
            audit.problem(table, f"(entry {entry})", "claims another (author, nonce)")
        elif bytes(digest) != want[16:]:
            audit.problem(table, f"(entry {entry})", "records another envelope digest")
        expected_entry = entry + 1
    if expected_entry < audit.entries:
        audit.problem(
            table,
            f"(entry {expected_entry})",
            "missing: the entry's nonce claim was deleted (its nonce could be replayed)",
        )
    return Checked(table, rows, "nonce claims against the entries' authors and nonces")


def check_nodes(
    audit: StoreAudit, leaves: bytearray, nodes: Iterator[tuple[int, int, bytes]]
) -> Checked:
    """Every stored subtree hash equals the one computed from the entries, none missing.

    ``nodes`` in (level, index) order; the cache may cover fewer entries
    than the log (it is caught up before proofs are served), never more.
    """
    table = "ansinh_merkle_nodes"
    count = len(leaves) // 32
    hashes: bytearray = leaves
    level = 0
    seen: dict[int, int] = {}  # level -> nodes stored
    rows = 0
    for lvl, idx, stored in nodes:
        rows += 1
        if not (0 <= lvl < 64 and 0 <= idx < 1 << 63):
            audit.problem(table, f"(level {lvl}, index {idx})", "is no subtree of any log")
            continue
        while lvl > level:
            hashes = _next_level(hashes)
            level += 1
        row = f"(level {lvl}, index {idx})"
        have = seen.get(lvl, 0)
        if idx != have:
            audit.problem(table, f"(level {lvl}, index {have})", "missing: the row was deleted")
        seen[lvl] = idx + 1
        want = hashes[32 * idx : 32 * idx + 32]
        if len(want) != 32:
            audit.problem(table, row, f"covers entries the log does not have ({count})")
        elif bytes(stored) != want:
            audit.problem(
                table,
                row,
                f"does not match entries {idx << lvl}..{((idx + 1) << lvl) - 1} "
                "(proofs and roots read from it would be wrong)",
            )
    cached = seen.get(0, 0)
    for lvl in range(1, cached.bit_length()):
        if seen.get(lvl, 0) < cached >> lvl:
            row = f"(level {lvl}, index {seen.get(lvl, 0)})"
            audit.problem(table, row, "missing: the row was deleted")
    audit.cached_leaves = cached
    return Checked(table, rows, f"Merkle subtree hashes of {cached} entries, recomputed")


def check_vault(audit: StoreAudit, key: VaultKey | None) -> Checked:
    """Each sealed record is one the log committed to; with the key, its contents too."""
    table = "ansinh_vault"
    recorder = audit.ledger.recorder
    rows = 0
    for sealed in recorder.vault_all():
        rows += 1
        row = f"({sealed.person_id}, {sealed.commitment[:16]})"
        if sealed.commitment not in audit.commitments.get(sealed.person_id, ()):
            audit.problem(table, row, "no statement commits to this record")
            continue
        if key is None or sealed.sealed is None:
            continue
        try:
            record = key.open(sealed)
        except Exception:
            audit.problem(table, row, "cannot be opened with the vault key (changed?)")
            continue
        if commitment(record.salt, record.record) != sealed.commitment:
            audit.problem(table, row, "its contents do not match the commitment")
    what = "personal-data records against the log's commitments" + (
        ", contents opened and recomputed" if key is not None else ""
    )
    return Checked(table, rows, what)


def _next_level(hashes: bytearray) -> bytearray:
    out = bytearray()
    for i in range(0, len(hashes) - 63, 64):
        out += node_hash(bytes(hashes[i : i + 32]), bytes(hashes[i + 32 : i + 64]))
    return out
