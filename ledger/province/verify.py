"""``ansinh verify --province BUNDLE``: the province log, and the checkpoints an inspector holds.

Checks (docs/formats.md §13.5): the province checkpoint's signature and that
its root is the Merkle root of the entries; every entry in turn (canonical
bytes, index, each commune checkpoint signed by that commune's registered
notary key, consistent with the previous one logged, no two trees of one
size); and each checkpoint given is logged. Failures name the commune.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from ledger.audit.verifier import VerificationFailed
from ledger.errors import LedgerError
from ledger.formats.keys import decode_public_key
from ledger.formats.merkle import EMPTY_ROOT, MemoryTree, leaf_hash
from ledger.formats.notes import NoteError, open_checkpoint, parse_note
from ledger.province.entries import Chain, ProvinceRefused
from ledger.province.log import BUNDLE_CHECKPOINT, BUNDLE_LEAVES, BUNDLE_META


@dataclass(frozen=True)
class ProvinceOutcome:
    origin: str
    public_key: str
    size: int
    root: bytes
    communes: dict[str, int]  # origin -> the largest size logged
    held: list[str]  # "origin size" of each checkpoint given, found in the log


def _read(bundle: Path) -> tuple[str, bytes, str, list[bytes]]:
    try:
        meta = json.loads((bundle / BUNDLE_META).read_text(encoding="utf-8"))
        origin, key = str(meta["origin"]), decode_public_key(meta["public_key"])
        note = (bundle / BUNDLE_CHECKPOINT).read_text(encoding="utf-8")
        data = (bundle / BUNDLE_LEAVES).read_bytes()
    except (OSError, ValueError, KeyError, TypeError, LedgerError) as exc:
        raise VerificationFailed(f"the province bundle cannot be read: {exc}") from None
    if data and not data.endswith(b"\n"):
        raise VerificationFailed(f"{BUNDLE_LEAVES} does not end with a newline")
    return origin, key, note, data.split(b"\n")[:-1] if data else []


def verify_province(
    bundle: Path, held: list[str] | None = None, pinned: bytes | None = None
) -> ProvinceOutcome:
    """Verify a province bundle; raises :class:`VerificationFailed` naming the entry and commune.

    ``pinned``: the province's public key as the inspector knows it (from the
    province, not from the bundle); a bundle signed by another key fails.
    """
    origin, key, note, leaves = _read(bundle)
    if pinned is not None and pinned != key:
        raise VerificationFailed(
            f"province key: the bundle names {base64.b64encode(key).decode()}, "
            f"not the key given {base64.b64encode(pinned).decode()}"
        )
    try:
        cp = open_checkpoint(note, origin, key, origin=origin)
    except NoteError as exc:
        raise VerificationFailed(f"province checkpoint: {exc}") from None
    if cp.size != len(leaves):
        raise VerificationFailed(
            f"province checkpoint: size {cp.size}, the bundle has {len(leaves)} entries"
        )
    chain = Chain()
    for index, leaf in enumerate(leaves):
        try:
            chain.apply(leaf)
        except ProvinceRefused as exc:
            raise VerificationFailed(exc.reason, index) from None
    root = MemoryTree(leaf_hash(leaf) for leaf in leaves).root() if leaves else EMPTY_ROOT
    if root != cp.root:
        raise VerificationFailed(
            f"province checkpoint: root {base64.b64encode(cp.root).decode()}, the entries "
            f"give {base64.b64encode(root).decode()}"
        )
    found = [_held(chain, text, n) for n, text in enumerate(held or [])]
    return ProvinceOutcome(
        origin,
        base64.b64encode(key).decode(),
        cp.size,
        root,
        {name: logged.size for name, logged in chain.communes.items()},
        found,
    )


def _held(chain: Chain, note: str, n: int) -> str:
    """A commune checkpoint an inspector holds must be the one the province logged at its size."""
    where = f"checkpoint {n + 1} given"
    try:
        commune = parse_note(note).origin
    except NoteError as exc:
        raise VerificationFailed(f"{where}: {exc}") from None
    logged = chain.communes.get(commune)
    if logged is None:
        raise VerificationFailed(f"{where}: commune {commune}: the province does not follow it")
    try:
        cp = open_checkpoint(note, commune, logged.notary_key, origin=commune)
    except NoteError as exc:
        raise VerificationFailed(f"{where}: commune {commune}: {exc}") from None
    root = logged.roots.get(cp.size)
    if root is None:
        raise VerificationFailed(
            f"{where}: commune {commune}: its checkpoint of size {cp.size} is not in the "
            f"province log (sizes logged: {sorted(logged.roots) or 'none'})"
        )
    if root != cp.root:
        raise VerificationFailed(
            f"{where}: commune {commune}: two different trees of size {cp.size}, the one "
            "held and the one the province logged: a split view"
        )
    return f"{commune} {cp.size}"
