"""The province log's entries: their exact bytes, and the checks made on each (docs/formats.md §13).

A province log is an RFC 9162 Merkle log like a commune's, whose leaves are
canonical JSON objects of two kinds:

- ``commune``: the province follows a commune: its origin and its notary's
  public key (every later checkpoint of that commune must carry a valid
  signature by that key);
- ``checkpoint``: a commune's signed checkpoint, with the consistency proof
  from the previous checkpoint of that commune logged here.

:class:`Chain` replays the entries in order and refuses the first one that
does not follow from those before it; the same code runs when an entry is
appended (``province collect``) and when a bundle is verified.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from ledger.errors import LedgerError
from ledger.formats.keys import decode_public_key
from ledger.formats.merkle import ProofError, verify_consistency
from ledger.formats.notes import NoteError, open_checkpoint, parse_note

COMMUNE = "commune"
CHECKPOINT = "checkpoint"


class ProvinceRefused(LedgerError):
    """A commune's checkpoint (or a province entry) that does not follow: names the commune."""

    code = "PROVINCE_REFUSED"
    status = 409

    def __init__(self, commune: str, message: str, index: int | None = None) -> None:
        where = f"entry {index}: " if index is not None else ""
        self.reason = f"commune {commune}: {message}"
        super().__init__(where + self.reason, field="commune")
        self.commune = commune
        self.index = index


def canonical(value: dict[str, Any]) -> bytes:
    """Sorted keys, no spaces, UTF-8 unescaped: the one byte form of an entry."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def commune_leaf(index: int, origin: str, notary_key: bytes) -> bytes:
    return canonical(
        {"index": index, "kind": COMMUNE, "notary_key": b64(notary_key), "origin": origin}
    )


def checkpoint_leaf(
    index: int, origin: str, note: str, previous_size: int, proof: list[bytes]
) -> bytes:
    """The entry logging ``note`` (its size and root are read from it)."""
    cp = parse_note(note)
    return canonical(
        {
            "checkpoint": note,
            "consistency": [b64(h) for h in proof],
            "index": index,
            "kind": CHECKPOINT,
            "origin": origin,
            "previous_size": previous_size,
            "root": b64(cp.root),
            "size": cp.size,
        }
    )


@dataclass
class Logged:
    """What the province last logged of one commune."""

    notary_key: bytes
    size: int = 0
    root: bytes = b""
    roots: dict[int, bytes] = field(default_factory=dict)  # every size logged -> its root


class Chain:
    """The communes followed and their logged checkpoints, entry by entry."""

    def __init__(self) -> None:
        self.communes: dict[str, Logged] = {}
        self.size = 0

    def apply(self, leaf: bytes) -> dict[str, Any]:
        """Check entry number ``self.size`` and take it in; raises :class:`ProvinceRefused`."""
        index = self.size
        try:
            entry = json.loads(leaf)
        except ValueError:
            raise ProvinceRefused("?", "not JSON", index) from None
        origin = entry.get("origin") if isinstance(entry, dict) else None
        if not isinstance(origin, str):
            raise ProvinceRefused("?", "the entry names no commune (origin)", index)
        if canonical(entry) != leaf:
            raise ProvinceRefused(origin, "the entry is not in canonical form", index)
        if entry.get("index") != index:
            raise ProvinceRefused(origin, f"the entry says index {entry.get('index')}", index)
        kind = entry.get("kind")
        if kind == COMMUNE:
            self._follow(index, origin, entry)
        elif kind == CHECKPOINT:
            self._log(index, origin, entry)
        else:
            raise ProvinceRefused(origin, f"unknown entry kind {kind!r}", index)
        self.size += 1
        return dict(entry)

    def _follow(self, index: int, origin: str, entry: dict[str, Any]) -> None:
        if set(entry) != {"index", "kind", "notary_key", "origin"}:
            raise ProvinceRefused(origin, "a commune entry has exactly its four fields", index)
        if origin in self.communes:
            raise ProvinceRefused(origin, "this commune is already followed", index)
        try:
            key = decode_public_key(entry["notary_key"], "notary_key")
        except LedgerError as exc:
            raise ProvinceRefused(origin, f"notary_key: {exc.message}", index) from None
        self.communes[origin] = Logged(key)

    def _log(self, index: int, origin: str, entry: dict[str, Any]) -> None:
        fields = {"checkpoint", "consistency", "index", "kind", "origin", "previous_size"}
        if set(entry) != fields | {"root", "size"}:
            raise ProvinceRefused(origin, "a checkpoint entry has exactly its eight fields", index)
        logged = self.communes.get(origin)
        if logged is None:
            raise ProvinceRefused(origin, "the province does not follow this commune", index)
        note = entry["checkpoint"]
        try:
            cp = open_checkpoint(note, origin, logged.notary_key, origin=origin)
            proof = [base64.b64decode(h, validate=True) for h in entry["consistency"]]
        except (NoteError, TypeError, ValueError) as exc:
            raise ProvinceRefused(origin, f"checkpoint: {exc}", index) from None
        if entry["size"] != cp.size or entry["root"] != b64(cp.root):
            raise ProvinceRefused(origin, "size or root differ from the signed checkpoint", index)
        self.check_next(origin, cp.size, cp.root, entry["previous_size"], proof, index)
        logged.roots[cp.size] = cp.root
        logged.size, logged.root = cp.size, cp.root

    def check_next(
        self,
        origin: str,
        size: int,
        root: bytes,
        previous_size: int,
        proof: list[bytes],
        index: int | None = None,
    ) -> None:
        """``size``/``root`` extend the commune's last logged checkpoint (``previous_size``)."""
        logged = self.communes[origin]
        seen = logged.roots.get(size)
        if seen is not None and seen != root:
            raise ProvinceRefused(
                origin,
                f"two different trees of size {size} ({b64(seen)} logged, now {b64(root)}): "
                "a split view",
                index,
            )
        if previous_size != logged.size:
            raise ProvinceRefused(
                origin,
                f"previous_size {previous_size} is not the last size logged ({logged.size})",
                index,
            )
        if size <= logged.size:
            raise ProvinceRefused(
                origin,
                f"size {size} does not grow past the size {logged.size} already logged "
                "(history truncated or rewritten)",
                index,
            )
        if logged.size == 0:
            if proof:
                raise ProvinceRefused(origin, "a first checkpoint carries no proof", index)
            return
        try:
            verify_consistency(logged.size, size, logged.root, root, proof)
        except ProofError as exc:
            raise ProvinceRefused(
                origin,
                f"the tree of size {size} is not consistent with the size {logged.size} "
                f"logged ({exc}): a split view or rewritten history",
                index,
            ) from None
