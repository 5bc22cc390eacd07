"""The provincial log of logs: follow communes, collect their checkpoints, sign, export, verify.

Each commune checkpoint is checked before it is logged: its notary's
signature (by the key the province registered for that commune) and a
consistency proof from the last checkpoint of that commune logged here. A
checkpoint that fails is refused, naming the commune; the others are
appended and the province signs a checkpoint of its own (docs/formats.md §13).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey

from ledger.errors import InvalidField, LedgerError, LogTampered
from ledger.formats.keys import KeyPair, decode_public_key
from ledger.formats.merkle import EMPTY_ROOT, MemoryTree, leaf_hash
from ledger.formats.notes import NoteError, open_checkpoint, sign_checkpoint
from ledger.province.entries import (
    Chain,
    ProvinceRefused,
    checkpoint_leaf,
    commune_leaf,
)
from ledger.province.store import ProvinceStore
from ledger.tlog.witness import LogSource

BUNDLE_META = "province.json"
BUNDLE_LEAVES = "entries.jsonl"
BUNDLE_CHECKPOINT = "checkpoint"


@dataclass(frozen=True)
class Collected:
    logged: list[str]  # "origin size" of each checkpoint appended
    unchanged: list[str]  # communes whose latest checkpoint was already logged
    refused: list[ProvinceRefused]
    size: int  # the province log's size after it
    checkpoint: str | None  # the province checkpoint signed (None: nothing new)


class ProvinceLog:
    def __init__(self, store: ProvinceStore) -> None:
        self.store = store
        self.origin, key = store.meta()
        self.public_key = decode_public_key(key, "public_key")

    @classmethod
    def init(cls, db: str, key: KeyPair, origin: str) -> ProvinceLog:
        store = ProvinceStore(db, create=True)
        try:
            store.set_meta(origin, key.public_key_b64)
            log = cls(store)
            log._append([], key)
        except BaseException:
            store.close()
            raise
        return log

    def chain(self) -> tuple[Chain, list[bytes]]:
        leaves = self.store.leaves()
        chain = Chain()
        for leaf in leaves:
            chain.apply(leaf)
        return chain, leaves

    def add_commune(self, origin: str, notary_key: bytes, key: KeyPair) -> str:
        """Follow a commune from now on; returns the province checkpoint signed."""
        chain, leaves = self.chain()
        leaf = commune_leaf(len(leaves), origin, notary_key)
        chain.apply(leaf)
        return self._append([leaf], key, leaves)

    def collect(
        self, sources: list[LogSource], key: KeyPair, labels: list[str] | None = None
    ) -> Collected:
        """Check and log each source's latest checkpoint; sign when anything was added.

        ``labels``: where each source is (a URL, a database), to name one that cannot be read.
        """
        chain, leaves = self.chain()
        new: list[bytes] = []
        logged: list[str] = []
        unchanged: list[str] = []
        refused: list[ProvinceRefused] = []
        for n, source in enumerate(sources):
            try:
                origin = source.origin()
            except LedgerError as exc:
                where = labels[n] if labels else "?"
                refused.append(ProvinceRefused(where, f"could not be read ({exc.message})"))
                continue
            try:
                leaf = self._next(chain, source, origin, len(leaves) + len(new))
            except ProvinceRefused as exc:
                refused.append(exc)
                continue
            except (LedgerError, OSError) as exc:
                message = getattr(exc, "message", str(exc))
                refused.append(ProvinceRefused(origin, f"could not be read ({message})"))
                continue
            if leaf is None:
                unchanged.append(origin)
                continue
            chain.apply(leaf)
            new.append(leaf)
            logged.append(f"{origin} {chain.communes[origin].size}")
        note = self._append(new, key, leaves) if new else None
        return Collected(logged, unchanged, refused, len(leaves) + len(new), note)

    def _next(self, chain: Chain, source: LogSource, origin: str, index: int) -> bytes | None:
        """The entry logging ``source``'s latest checkpoint; None when it is logged already."""
        followed = chain.communes.get(origin)
        if followed is None:
            raise ProvinceRefused(origin, "the province does not follow this commune")
        note = source.latest_checkpoint()
        try:
            cp = open_checkpoint(note, origin, followed.notary_key, origin=origin)
        except NoteError as exc:
            raise ProvinceRefused(
                origin, f"checkpoint refused: {exc} (the registered notary key)"
            ) from None
        if followed.roots.get(cp.size) == cp.root:
            return None
        proof: list[bytes] = []
        if 0 < followed.size < cp.size:
            proof = source.consistency_proof(followed.size, cp.size)
        chain.check_next(origin, cp.size, cp.root, followed.size, proof)
        return checkpoint_leaf(index, origin, note, followed.size, proof)

    def _append(self, new: list[bytes], key: KeyPair, leaves: list[bytes] | None = None) -> str:
        if key.public_key_b64 != base64.b64encode(self.public_key).decode():
            raise InvalidField("key", "not the key this province log was opened with")
        old = self.store.leaves() if leaves is None else leaves
        tree = MemoryTree(leaf_hash(leaf) for leaf in [*old, *new])
        signed = self.store.checkpoints()
        if signed and (signed[-1][0] > len(old) or tree.root(signed[-1][0]) != signed[-1][1]):
            raise LogTampered(
                f"refusing to sign: the stored entries do not give the root the province "
                f"signed at size {signed[-1][0]} (the province log was rewritten)"
            )
        root = tree.root() if tree.size else EMPTY_ROOT
        note = sign_checkpoint(self.origin, tree.size, root, self.origin, SigningKey(key.seed))
        self.store.append(len(old), new, (tree.size, root, note))
        return note

    def latest(self) -> str:
        return self.store.checkpoints()[-1][2]

    def export(self, bundle: Path) -> int:
        """Write the bundle (§13.4): the entries up to the latest checkpoint, and it."""
        size, _root, note = self.store.checkpoints()[-1]
        leaves = self.store.leaves()[:size]
        bundle.mkdir(parents=True, exist_ok=True)
        meta = {"origin": self.origin, "public_key": base64.b64encode(self.public_key).decode()}
        (bundle / BUNDLE_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        (bundle / BUNDLE_LEAVES).write_bytes(b"".join(leaf + b"\n" for leaf in leaves))
        (bundle / BUNDLE_CHECKPOINT).write_text(note, encoding="utf-8")
        return size
