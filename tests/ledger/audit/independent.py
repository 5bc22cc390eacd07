"""A second verifier of audit bundles, written from FORMATS.md alone.

It imports nothing from ``ledger`` or ``api``: SHA-256, Ed25519 (PyNaCl)
and an RFC 8785 canonicaliser, as FORMATS.md promises is enough, and the
1.1 amendments as docs/formats.md says (``tests/support/independent_amendments.py``,
standard library only), the 1.2 adoption and types of its section 10, and
the 1.3 procedures of its section 11 (``tests/support/procedures``, one
module per procedure).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import nacl.exceptions
import nacl.signing
import rfc8785

from tests.support import procedures
from tests.support.independent_amendments import broken_amendment, unique_keys

LEDGER = "ansinh.vn/son-la/song-ma/chieng-en"
PAYLOAD_TYPE = "application/vnd.ansinh.statement+json"
ROLE = {
    "key.registered": "admin",
    "key.revoked": "admin",
    "household.registered": "registrar",
    "person.registered": "registrar",
    "person.pii.updated": "registrar",
    "person.moved": "registrar",
    "person.died": "registrar",
    "household.status.proposed": "registrar",
    "household.status.approved": "approver",
    "household.status.rejected": "approver",
    "program.defined": "admin",
    "fund.received": "cashier",
    "fund.returned": "cashier",
    "benefit.proposed": "registrar",
    "benefit.approved": "approver",
    "benefit.rejected": "approver",
    "benefit.ended": "approver",
    "payment.recorded": "cashier",
    "payment.reversed": "cashier",
    "inspection.attested": "inspector",
    "ledger.formats.adopted": "admin",  # docs/formats.md §10.1
    "identity.reviewed": "approver",  # docs/formats.md §10.3
    **procedures.ROLES,  # docs/formats.md §11
}
VERSION_ORDER = ["1", "1.1", "1.2", "1.3"]  # docs/formats.md §10, §11
NEEDS = {  # §10.2, §11.1
    "ledger.formats.adopted": "1.1",
    "identity.reviewed": "1.2",
    **{kind: "1.3" for kind in procedures.ROLES},
}
ROLE_NEEDS = {"agent": "1.3", "intake": "1.3"}  # §11.1
PROPOSAL = {  # decision type -> (proposal type, the body field naming the proposal)
    "benefit.approved": ("benefit.proposed", "benefit_id"),
    "benefit.rejected": ("benefit.proposed", "benefit_id"),
    "household.status.approved": ("household.status.proposed", "proposal_id"),
    "household.status.rejected": ("household.status.proposed", "proposal_id"),
}


class Rejected(Exception):
    """The bundle does not verify; the message names the entry and the reason."""


def verify_independently(
    entries: bytes, checkpoint: str, authority: str, warnings: list[str] | None = None
) -> tuple[int, bytes]:
    """Check a bundle (FORMATS §7) trusting only the authority key id; returns (size, root).

    In a v1 ledger, an entry breaking a 1.1 rule is appended to ``warnings``.
    """

    def need(condition: bool, where: str, why: str) -> None:
        if not condition:
            raise Rejected(f"{where}: {why}")

    def b64(text: Any, where: str) -> bytes:
        need(isinstance(text, str), where, "not a base64 string")
        try:
            raw = base64.b64decode(text, validate=True)
        except ValueError:
            raise Rejected(f"{where}: not base64") from None
        need(base64.b64encode(raw).decode() == text, where, "not canonical base64")
        return raw

    def no_floats(text: str) -> float:
        raise Rejected(f"a floating-point number {text}")

    def key_id(public_key: bytes) -> str:
        return hashlib.sha256(public_key).hexdigest()

    def ed25519_ok(public_key: bytes, message: bytes, signature: bytes) -> bool:
        try:
            nacl.signing.VerifyKey(public_key).verify(message, signature)
        except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
            return False
        return True

    def tree_hash(hashes: list[bytes]) -> bytes:
        if not hashes:
            return hashlib.sha256(b"").digest()
        if len(hashes) == 1:
            return hashes[0]
        k = 1 << ((len(hashes) - 1).bit_length() - 1)
        return hashlib.sha256(b"\x01" + tree_hash(hashes[:k]) + tree_hash(hashes[k:])).digest()

    keys: dict[str, dict[str, Any]] = {}  # key id -> public, holder, roles, revoked?
    nonces: set[tuple[str, str]] = set()
    proposers: dict[tuple[str, str], str] = {}
    opened: dict[str, Any] = {}  # ledger id and notary key, from entry 0
    reviewed: set[tuple[str, str]] = set()  # pairs decided by identity.reviewed
    procedure_state: dict[str, dict[str, Any]] = {m.__name__: {} for m in procedures.MODULES}
    leaves: list[bytes] = []

    def check_entry(i: int, line: bytes) -> None:
        at = f"entry {i}"
        entry = json.loads(line, parse_float=no_floats, object_pairs_hook=unique_keys)
        need(set(entry) == {"index", "recorded_at", "envelope"}, at, "not an entry")
        need(type(entry["index"]) is int and entry["index"] == i, at, "wrong index")
        need(rfc8785.dumps(entry) == line, at, "leaf bytes are not JCS(entry)")
        env = entry["envelope"]
        need(set(env) == {"payloadType", "payload", "signatures"}, at, "not a DSSE envelope")
        need(env["payloadType"] == PAYLOAD_TYPE, at, "wrong payloadType")
        payload = b64(env["payload"], at)
        statement = json.loads(payload, parse_float=no_floats, object_pairs_hook=unique_keys)
        need(rfc8785.dumps(statement) == payload, at, "payload is not canonical")
        need(set(statement) == {"ledger", "type", "by", "at", "nonce", "body"}, at, "bad keys")
        kind, by, body = statement["type"], statement["by"], statement["body"]
        mine = [s for s in env["signatures"] if s["keyid"] == by]
        need(len(mine) == 1, at, "not exactly one signature by statement.by")
        if i == 0:
            need(kind == "ledger.opened" and by == authority, at, "not opened by the authority")
            public = b64(body["authority_key"]["public_key"], at)
            need(key_id(public) == by == body["authority_key"]["id"], at, "authority key id")
            keys[by] = {"public": public, "holder": by, "roles": {"admin", "approver"}}
            opened["ledger"] = statement["ledger"]
            opened["notary"] = b64(body["notary_key"]["public_key"], at)
            opened["formats"] = body.get("formats", "1")
            need(opened["formats"] in ("1", "1.1"), at, f"unknown formats {opened['formats']!r}")
            opened["follows"] = opened["formats"]
        need(statement["ledger"] == opened["ledger"], at, "statement for another ledger")
        need(kind != "ledger.opened" or i == 0, at, "ledger.opened after entry 0")
        key = keys.get(by)
        need(key is not None, at, "author key not registered by an earlier entry")
        assert key is not None
        need("revoked" not in key, at, "author key was revoked")
        pae = b"DSSEv1 %d %s %d %s" % (
            len(PAYLOAD_TYPE),
            PAYLOAD_TYPE.encode(),
            len(payload),
            payload,
        )
        need(ed25519_ok(key["public"], pae, b64(mine[0]["sig"], at)), at, "bad signature")
        follows = VERSION_ORDER.index(opened["follows"])
        if kind in NEEDS:
            need(
                follows >= VERSION_ORDER.index(NEEDS[kind]),
                at,
                f"{kind} before FORMATS {NEEDS[kind]}",
            )
        need(i == 0 or ROLE.get(kind) in key["roles"], at, f"role may not sign {kind}")
        need((by, statement["nonce"]) not in nonces, at, "replayed nonce")
        nonces.add((by, statement["nonce"]))
        if "amount" in body:
            amount = body["amount"]
            need(type(amount) is int and 0 <= amount <= 2**53 - 1, at, "bad amount")
        broken = broken_amendment(statement, env["signatures"])
        if broken is not None:
            need(opened["formats"] == "1", at, f"FORMATS 1.1: {broken}")
            if warnings is not None:
                warnings.append(f"{at}: {broken}")
        if kind == "key.registered":
            for role in body["roles"]:
                wanted = ROLE_NEEDS.get(role)
                need(wanted is None or follows >= VERSION_ORDER.index(wanted), at, f"role {role}")
            public, kid = b64(body["key"]["public_key"], at), body["key"]["id"]
            need(key_id(public) == kid, at, "key id is not the hash of the key")
            need(kid not in keys, at, "key registered twice")
            keys[kid] = {
                "public": public,
                "holder": body["holder"]["id"],
                "roles": set(body["roles"]),
            }
        elif kind == "key.revoked":
            need(body["key_id"] in keys, at, "revokes an unknown key")
            keys[body["key_id"]]["revoked"] = i
        elif kind in ("benefit.proposed", "household.status.proposed"):
            field = "benefit_id" if kind == "benefit.proposed" else "proposal_id"
            proposers[(kind, body[field])] = key["holder"]
        elif kind == "ledger.formats.adopted":
            need(body["formats"] in ("1.2", "1.3"), at, "adopts an unknown version")
            need(VERSION_ORDER.index(body["formats"]) > follows, at, "adopts no later version")
            opened["follows"] = body["formats"]  # from the next entry on
        elif kind == "identity.reviewed":
            pair = tuple(sorted((body["person_id"], body["other_person_id"])))
            need(pair[0] != pair[1], at, "reviews one person against themself")
            need(pair not in reviewed, at, "pair decided twice")
            reviewed.add((pair[0], pair[1]))
        elif kind in PROPOSAL:
            proposal, field = PROPOSAL[kind]
            proposer = proposers.pop((proposal, body[field]), None)
            need(proposer is not None, at, "decides no open proposal")
            need(not kind.endswith("approved") or proposer != key["holder"], at, "self-approval")
        for module in procedures.MODULES:
            module.check(
                kind,
                body,
                key["holder"],
                procedure_state[module.__name__],
                lambda ok, why: need(ok, at, why),
            )
        leaves.append(hashlib.sha256(b"\x00" + line).digest())

    need(entries.endswith(b"\n"), "entries.jsonl", "does not end with a newline")
    for i, line in enumerate(entries[:-1].split(b"\n")):
        try:
            check_entry(i, line)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise Rejected(f"entry {i}: malformed ({exc!r})") from None

    # The checkpoint: a C2SP signed note, signed by the notary under the ledger's name.
    ledger_id, notary = opened["ledger"], opened["notary"]
    text, sep, signature_lines = checkpoint.partition("\n\n")
    text += "\n"
    need(bool(sep) and signature_lines.endswith("\n"), "checkpoint", "not a signed note")
    origin, size, root_b64 = text[:-1].split("\n")[:3]
    need(origin == ledger_id, "checkpoint", f"origin {origin!r} is not {ledger_id!r}")
    need(size == str(len(leaves)), "checkpoint", f"size {size} for {len(leaves)} entries")
    root = tree_hash(leaves)
    need(b64(root_b64, "checkpoint root") == root, "checkpoint", "root does not match")
    id4 = hashlib.sha256(ledger_id.encode() + b"\n\x01" + notary).digest()[:4]
    signed = False
    for sig_line in signature_lines[:-1].split("\n"):
        dash, name, blob = sig_line.split(" ")
        raw = b64(blob, "checkpoint signature")
        if dash == "\u2014" and name == ledger_id and raw[:4] == id4:
            need(ed25519_ok(notary, text.encode(), raw[4:]), "checkpoint", "bad notary signature")
            signed = True
    need(signed, "checkpoint", "no signature by the notary")
    return len(leaves), root
