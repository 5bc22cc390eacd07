"""A second reading of docs/formats.md section 12, written from that page alone.

It shares no code with :mod:`ledger.tlog.policy` (hashlib, base64 and
Ed25519 only) and must reach every outcome of the vector file.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import nacl.exceptions
import nacl.signing
import pytest

from tests.vectors import witness_policy as maker

VECTORS: dict[str, Any] = json.loads(maker.OUT.read_text(encoding="ascii"))


def read_key(text: str, kind: int) -> tuple[str, bytes, bytes] | None:
    """(name, key id, public key) of a verifier key of type ``kind``, or None."""
    parts = text.split("+", 2)
    if len(parts) != 3:
        return None
    name, kid, blob = parts
    raw = base64.b64decode(blob)
    if len(raw) != 33 or raw[0] != kind:
        return None
    key_id = hashlib.sha256(name.encode() + b"\n" + raw[:1] + raw[1:]).digest()[:4]
    return (name, key_id, raw[1:]) if key_id.hex() == kid else None


def read_policy(text: str) -> dict[str, Any]:
    logs, members, quorum = [], {}, None
    for line in text.split("\n"):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "log":
            logs.append(read_key(words[1], 0x01))
        elif words[0] == "witness":
            members[words[1]] = ("witness", read_key(words[2], 0x04))
        elif words[0] == "group":
            names = words[3:]
            k = {"all": len(names), "any": 1}.get(words[2]) or int(words[2])
            members[words[1]] = ("group", (k, names))
        elif words[0] == "quorum":
            quorum = words[1]
    return {"logs": logs, "members": members, "quorum": quorum}


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    text, _, block = note.rpartition("\n\n")
    lines = [line[len("— ") :].split(" ") for line in block.rstrip("\n").split("\n")]
    return text + "\n", [(name, base64.b64decode(blob)) for name, blob in lines]


def ed25519(public: bytes, message: bytes, signature: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(public).verify(message, signature)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def witness_state(text: str, sigs: list[tuple[str, bytes]], key: tuple[str, bytes, bytes]) -> str:
    name, key_id, public = key
    lines = [s[4:] for n, s in sigs if n == name and s[:4] == key_id]
    if not lines:
        return "missing"
    for sig in lines:
        stamp = int.from_bytes(sig[:8], "big")
        message = f"cosignature/v1\ntime {stamp}\n{text}".encode()
        if len(sig) != 72 or not ed25519(public, message, sig[8:]):
            return "bad"
    return "signed"


def judge(policy: dict[str, Any], note: str) -> dict[str, Any]:
    text, sigs = split_note(note)
    origin = text.split("\n", 1)[0]
    logged = any(
        name == origin
        and any(n == name and s[:4] == kid and ed25519(pub, text.encode(), s[4:]) for n, s in sigs)
        for name, kid, pub in policy["logs"]
    )
    states = {
        local: witness_state(text, sigs, key)
        for local, (kind, key) in policy["members"].items()
        if kind == "witness"
    }

    def met(name: str) -> bool:
        if name == "none":
            return True
        kind, value = policy["members"][name]
        if kind == "witness":
            return states[name] == "signed"
        k, names = value
        return sum(met(n) for n in names) >= k

    return {
        "satisfied": logged and met(policy["quorum"]),
        **{
            state: [n for n, s in states.items() if s == state]
            for state in ("signed", "bad", "missing")
        },
    }


@pytest.mark.parametrize(
    "case", VECTORS["outcomes"], ids=lambda c: f"{c['policy']}-{c['checkpoint']}"
)
def test_a_verifier_written_from_the_spec_reaches_every_outcome(case: dict[str, Any]) -> None:
    policy = read_policy(VECTORS["policies"][case["policy"]])
    found = judge(policy, VECTORS["checkpoints"][case["checkpoint"]])
    expected = {k: case[k] for k in ("satisfied", "signed", "bad", "missing")}
    assert found == expected
