"""Write ``province-log.json``, the vectors of docs/formats.md section 13 (run from the root).

    .venv/bin/python tests/vectors/province_log.py

Two communes' trees are made of fixed leaves, every key comes from a fixed
seed and Ed25519 is deterministic, so the same code writes the same bytes;
``tests/ledger/province/test_province_vectors.py`` rebuilds the file byte
for byte and checks every outcome it expects.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from ledger.formats.keys import KeyPair
from ledger.formats.merkle import MemoryTree, leaf_hash
from ledger.formats.notes import sign_checkpoint
from ledger.province.entries import checkpoint_leaf, commune_leaf

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.vectors.maker import write

OUT = Path(__file__).parent / "province-log.json"
PROVINCE = "ansinh.vn/son-la"
PROVINCE_KEY = KeyPair.from_seed(bytes([0x51]) * 32)
COMMUNES = {
    "ansinh.vn/son-la/song-ma/chieng-en": KeyPair.from_seed(bytes([0x52]) * 32),
    "ansinh.vn/son-la/song-ma/muong-lam": KeyPair.from_seed(bytes([0x53]) * 32),
}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def commune_tree(origin: str, count: int, variant: str = "") -> MemoryTree:
    """A commune's tree of ``count`` fixed leaves (``variant``: the same log written again)."""
    return MemoryTree(
        leaf_hash(f"{origin} entry {i}{variant if i >= 2 else ''}".encode()) for i in range(count)
    )


def note(origin: str, tree: MemoryTree, size: int) -> str:
    notary = SigningKey(COMMUNES[origin].seed)
    return sign_checkpoint(origin, size, tree.root(size), origin, notary)


def build() -> str:
    """The whole file, as text."""
    en, lam = COMMUNES
    trees = {en: commune_tree(en, 7), lam: commune_tree(lam, 5)}
    leaves = [
        commune_leaf(i, origin, key.public_key) for i, (origin, key) in enumerate(COMMUNES.items())
    ]
    logged: dict[str, int] = {en: 0, lam: 0}
    for origin, size in ((en, 3), (lam, 5), (en, 7)):
        last = logged[origin]
        proof = trees[origin].consistency_proof(last, size) if last else []
        cp = note(origin, trees[origin], size)
        leaves.append(checkpoint_leaf(len(leaves), origin, cp, last, proof))
        logged[origin] = size
    tree = MemoryTree(leaf_hash(leaf) for leaf in leaves)
    province_cp = sign_checkpoint(
        PROVINCE, tree.size, tree.root(), PROVINCE, SigningKey(PROVINCE_KEY.seed)
    )
    # Chiềng En's log written again from entry 2 on, under the same origin and notary key.
    rebuilt = commune_tree(en, 9, variant=" rewritten")
    refused: list[dict[str, Any]] = [
        {
            "commune": en,
            "checkpoint": note(en, rebuilt, 9),
            "previous_size": 7,
            "consistency": [b64(h) for h in rebuilt.consistency_proof(7, 9)],
            "why": "not consistent",
        },
        {
            "commune": lam,
            "checkpoint": sign_checkpoint(lam, 5, bytes(32), lam, SigningKey(COMMUNES[lam].seed)),
            "previous_size": 5,
            "consistency": [],
            "why": "split view",
        },
        {
            "commune": lam,
            "checkpoint": sign_checkpoint(
                lam, 5, trees[lam].root(5), lam, SigningKey(PROVINCE_KEY.seed)
            ),
            "previous_size": 5,
            "consistency": [],
            "why": "no valid signature",
        },
    ]
    document = {
        "province": {"origin": PROVINCE, "public_key": b64(PROVINCE_KEY.public_key)},
        "seeds": {"province": "51", **{o: f"{k.seed[0]:02x}" for o, k in COMMUNES.items()}},
        "entries": [leaf.decode() for leaf in leaves],
        "leaf_hashes": [leaf_hash(leaf).hex() for leaf in leaves],
        "root": b64(tree.root()),
        "checkpoint": province_cp,
        "refused": refused,
    }
    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
