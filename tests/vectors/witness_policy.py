"""Write ``witness-policy.json``, the vectors of docs/formats.md section 12 (run from the root).

    .venv/bin/python tests/vectors/witness_policy.py

Keys come from fixed seeds, cosignatures carry fixed timestamps and Ed25519
is deterministic, so the same code writes the same bytes;
``tests/ledger/tlog/test_policy_vectors.py`` rebuilds the file byte for byte
and checks every case against the policy parser and evaluation.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from ledger.formats.notes import SIG_COSIGNATURE_V1, cosign, sign_checkpoint
from ledger.tlog.policy import note_vkey

if not __package__:  # run as a file: the project root holds the shared maker
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.vectors.maker import document, write

OUT = Path(__file__).parent / "witness-policy.json"
LOG = "ansinh.vn/son-la/song-ma/chieng-en"
TIME = 1_790_000_000
WITNESSES = ("thanh-tra-tinh", "kiem-toan-doc-lap", "thanh-tra-huyen")


def seed(name: str) -> SigningKey:
    return SigningKey(hashlib.sha256(b"witness-policy vectors " + name.encode()).digest())


def public(key: SigningKey) -> bytes:
    return key.verify_key.encode()


def vkeys() -> dict[str, str]:
    keys = {"log": note_vkey(LOG, public(seed("notary")))}
    for name in WITNESSES:
        keys[name] = note_vkey(name, public(seed(name)), SIG_COSIGNATURE_V1)
    return keys


def spoiled(line: str) -> str:
    """The cosignature line with the last byte of its signature changed."""
    head, blob = line.rstrip("\n").rsplit(" ", 1)
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 0x01
    return f"{head} {base64.b64encode(bytes(raw)).decode()}\n"


def checkpoints() -> dict[str, str]:
    """The same checkpoint with different cosignatures (and one from another log)."""
    root = hashlib.sha256(b"the tree of 12 entries").digest()
    note = sign_checkpoint(LOG, 12, root, LOG, seed("notary"))
    lines = {name: cosign(note, name, seed(name), TIME + i) for i, name in enumerate(WITNESSES)}
    tinh, kiem, huyen = (lines[n] for n in WITNESSES)
    other = sign_checkpoint(LOG, 12, root, LOG, seed("another notary"))
    return {
        "bare": note,
        "tinh": note + tinh,
        "tinh_kiem": note + tinh + kiem,
        "all": note + tinh + kiem + huyen,
        "tinh_bad_kiem": note + tinh + spoiled(kiem),
        "other_notary": other + cosign(other, WITNESSES[0], seed(WITNESSES[0]), TIME),
    }


def policies(k: dict[str, str]) -> dict[str, str]:
    witnesses = "".join(f"witness {n} {k[n]}\n" for n in WITNESSES[:2])
    return {
        "both": f"# the province and one independent body\nlog {k['log']}\n{witnesses}"
        f"group ca-hai all {WITNESSES[0]} {WITNESSES[1]}\nquorum ca-hai\n",
        "two_of_three": f"log {k['log']}\n{witnesses}witness {WITNESSES[2]} {k[WITNESSES[2]]}\n"
        f"group hai-trong-ba 2 {' '.join(WITNESSES)}\nquorum hai-trong-ba\n",
        "one": f"log {k['log']}  # the commune's notary\nwitness tinh {k[WITNESSES[0]]}\n"
        "quorum tinh\n",
        "none": f"log {k['log']}\nquorum none\n",
    }


OUTCOMES = (  # policy, checkpoint, satisfied, signed, bad, missing
    ("both", "tinh_kiem", True, ["thanh-tra-tinh", "kiem-toan-doc-lap"], [], []),
    ("both", "tinh", False, ["thanh-tra-tinh"], [], ["kiem-toan-doc-lap"]),
    ("both", "tinh_bad_kiem", False, ["thanh-tra-tinh"], ["kiem-toan-doc-lap"], []),
    ("both", "bare", False, [], [], ["thanh-tra-tinh", "kiem-toan-doc-lap"]),
    (
        "two_of_three",
        "tinh",
        False,
        ["thanh-tra-tinh"],
        [],
        ["kiem-toan-doc-lap", "thanh-tra-huyen"],
    ),
    (
        "two_of_three",
        "tinh_kiem",
        True,
        ["thanh-tra-tinh", "kiem-toan-doc-lap"],
        [],
        ["thanh-tra-huyen"],
    ),
    ("two_of_three", "all", True, list(WITNESSES), [], []),
    ("one", "tinh", True, ["tinh"], [], []),
    ("one", "other_notary", False, ["tinh"], [], []),
    ("none", "bare", True, [], [], []),
    ("none", "other_notary", False, [], [], []),
)


def refusals(k: dict[str, str]) -> list[dict[str, Any]]:
    """Policy files refused, each with the code and line number it is refused with."""
    log = f"log {k['log']}\n"
    w1 = f"witness a {k[WITNESSES[0]]}\n"
    name, _, blob = k[WITNESSES[0]].split("+", 2)
    wrong_id = f"{name}+00000000+{blob}"
    cases = [
        ("unknown keyword", log + "cosigner a b\nquorum none\n", "POLICY_KEYWORD", 2),
        ("a log key of the witness type", f"log {k[WITNESSES[0]]}\nquorum none\n", "POLICY_KEY", 1),
        (
            "a witness key of the log type",
            log + f"witness a {k['log']}\nquorum a\n",
            "POLICY_KEY",
            2,
        ),
        (
            "a key id that does not match",
            log + f"witness a {wrong_id}\nquorum a\n",
            "POLICY_KEY",
            2,
        ),
        ("a witness without a key", log + "witness a\nquorum a\n", "POLICY_SYNTAX", 2),
        (
            "a name used twice",
            log + w1 + f"witness a {k[WITNESSES[1]]}\nquorum a\n",
            "POLICY_DUPLICATE",
            3,
        ),
        (
            "one key under two names",
            log + w1 + f"witness b {k[WITNESSES[0]]}\nquorum a\n",
            "POLICY_DUPLICATE",
            3,
        ),
        (
            "a group member not defined above",
            log + w1 + "group g 1 a b\nquorum g\n",
            "POLICY_UNKNOWN_NAME",
            3,
        ),
        (
            "a threshold above the members",
            log + w1 + "group g 2 a\nquorum g\n",
            "POLICY_THRESHOLD",
            3,
        ),
        ("a threshold of zero", log + w1 + "group g 0 a\nquorum g\n", "POLICY_THRESHOLD", 3),
        (
            "a group repeating a member",
            log + w1 + "group g 1 a a\nquorum g\n",
            "POLICY_DUPLICATE",
            3,
        ),
        ("a quorum naming nothing defined", log + w1 + "quorum b\n", "POLICY_UNKNOWN_NAME", 3),
        ("two quorum lines", log + w1 + "quorum a\nquorum none\n", "POLICY_DUPLICATE", 4),
        ("no quorum", log + w1, "POLICY_NO_QUORUM", 0),
        ("no log", w1 + "quorum a\n", "POLICY_NO_LOG", 0),
    ]
    return [{"case": c, "policy": p, "code": code, "line": line} for c, p, code, line in cases]


def build() -> str:
    k = vkeys()
    notes = checkpoints()
    texts = policies(k)
    doc = {
        "description": "Witness policies (docs/formats.md section 12): policy files, "
        "checkpoints of one log with cosignatures, and what each policy makes of each.",
        "vkeys": k,
        "policies": texts,
        "checkpoints": notes,
        "outcomes": [
            {"policy": p, "checkpoint": c, "satisfied": s, "signed": sg, "bad": b, "missing": m}
            for p, c, s, sg, b, m in OUTCOMES
        ],
        "refused": refusals(k),
    }
    return document(doc)


def main() -> None:
    write(OUT, build())


if __name__ == "__main__":
    main()
