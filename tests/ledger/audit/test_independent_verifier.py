"""An audit bundle verified by a second implementation written from FORMATS.md alone.

The ledger is built and exported through the command line only. The verifier
below imports nothing from ``ledger`` or ``api``: SHA-256, Ed25519 (PyNaCl)
and an RFC 8785 canonicaliser, as FORMATS.md promises is enough, and the
1.1 amendments as docs/formats.md says (``tests/independent_amendments.py``,
standard library only): failures in a ledger that declares 1.1, warnings in
a v1 one.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import shutil
import tarfile
import uuid
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.signing
import pytest
import rfc8785

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
}
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
        elif kind in PROPOSAL:
            proposal, field = PROPOSAL[kind]
            proposer = proposers.pop((proposal, body[field]), None)
            need(proposer is not None, at, "decides no open proposal")
            need(not kind.endswith("approved") or proposer != key["holder"], at, "self-approval")
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


# -- building the ledger through the command line ---------------------------------------


def run(*args: object) -> str:
    from typer.testing import CliRunner

    # (registering keys, checkpoint, export and verify, as the entry point does)
    from api.cli.main import app

    result = CliRunner().invoke(app, [str(a) for a in args])
    if any(str(a).startswith("postgresql://") for a in args):
        gc.collect()  # close the command's connection pool now, not at exit
    assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
    return result.stdout


@pytest.fixture
def exported(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A ledger made with `ansinh` commands, exported as a directory and as a .tar."""
    for name in ("ANSINH_DB", "ANSINH_KEY_PASSPHRASE", "ANSINH_VAULT_KEY", "ANSINH_NOTARY_KEY"):
        monkeypatch.delenv(name, raising=False)
    keys, db = tmp_path / "keys", ("--db", db_url)
    run("init", "--ledger-id", LEDGER, "--name", "UBND xã Chiềng En", "--keys", keys, *db)
    for name in ("registrar", "approver", "cashier"):
        run("keys", "new", "--keys", keys, "--name", name)
        run(
            "keys",
            "register",
            "--key",
            keys / f"{name}.pub",
            "--holder-id",
            f"staff-{name}",
            "--holder-name",
            f"Cán bộ {name}",
            "--role",
            name,
            "--admin-key",
            keys / "authority.key",
            *db,
        )

    def record(who: str, type_: str, body: dict[str, Any], *pii: str) -> None:
        signed = run(
            "sign",
            "--key",
            keys / f"{who}.key",
            "--type",
            type_,
            "--body",
            json.dumps(body, ensure_ascii=False),
            *pii,
            *db,
        )
        path = tmp_path / f"{uuid.uuid4()}.json"
        path.write_text(signed, encoding="utf-8")
        run("submit", path, "--vault-key", keys / "vault.key", *db)

    hid, pid, prog, bid = (str(uuid.uuid4()) for _ in range(4))
    record(
        "registrar",
        "household.registered",
        {"household_id": hid, "code": "CE-7", "village": "Bản Huổi"},
    )
    person = {
        "person_id": pid,
        "household_id": hid,
        "relation": "head",
        "sex": "m",
        "birth_year": 1948,
    }
    record("registrar", "person.registered", person, "--pii", '{"full_name": "Lò Văn Pọm"}')
    record(
        "authority",
        "program.defined",
        {
            "program_id": prog,
            "code": "TB",
            "name": "Thương binh",
            "category": "meritorious",
            "kind": "monthly",
        },
    )
    record(
        "registrar",
        "benefit.proposed",
        {
            "benefit_id": bid,
            "program_id": prog,
            "person_id": pid,
            "amount": 1_624_000,
            "start": "2022-01",
            "basis": "TB 61%",
        },
    )
    record(
        "approver",
        "benefit.approved",
        {"benefit_id": bid, "decision": {"number": "15/QĐ-UBND", "date": "2022-01-06"}},
    )
    record(
        "cashier",
        "payment.recorded",
        {
            "payment_id": str(uuid.uuid4()),
            "benefit_id": bid,
            "month": "2022-01",
            "amount": 1_624_000,
            "paid_on": "2022-01-10",
            "method": "cash",
            "recipient": pid,
            "receipt": {"kind": "thumbprint", "evidence": "cd" * 32},
        },
    )
    note = run("checkpoint", "--notary-key", keys / "notary.key", *db)
    run("export", tmp_path / "bundle", *db)
    run("export", tmp_path / "bundle.tar", *db)
    authority = json.loads((keys / "authority.pub").read_text())["id"]
    return {
        "dir": tmp_path / "bundle",
        "tar": tmp_path / "bundle.tar",
        "authority": authority,
        "checkpoint": note,
        "db": db_url,
    }


def read_bundle(path: Path) -> tuple[bytes, str]:
    if path.is_dir():
        return (path / "entries.jsonl").read_bytes(), (path / "checkpoint").read_text("utf-8")
    with tarfile.open(path) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    return files["entries.jsonl"], files["checkpoint"].decode("utf-8")


def test_the_exported_bundle_verifies_with_an_independent_implementation(
    exported: dict[str, Any],
) -> None:
    for form in ("dir", "tar"):
        entries, note = read_bundle(exported[form])
        warnings: list[str] = []
        size, root = verify_independently(entries, note, exported["authority"], warnings)
        assert size == 10  # opened, 3 keys, household, person, program, proposed, approved, paid
        assert warnings == []
        opened = json.loads(
            base64.b64decode(json.loads(entries.split(b"\n")[0])["envelope"]["payload"])
        )
        assert opened["body"]["formats"] == "1.1"  # ansinh init declares it
        assert note == exported["checkpoint"]
        assert f"\n{size}\n{base64.b64encode(root).decode()}\n\n" in note
        verified = run("verify", exported[form], "--authority", exported["authority"])
        assert f"OK {size} entries" in verified


def test_the_independent_verifier_requires_the_given_authority(exported: dict[str, Any]) -> None:
    entries, note = read_bundle(exported["dir"])
    with pytest.raises(Rejected, match="entry 0: not opened by the authority"):
        verify_independently(entries, note, hashlib.sha256(b"someone else").hexdigest())


def digit_in_payload(line: bytes) -> int:
    """Offset, in the payload's base64, of a character whose change turns one digit of the
    amount into another digit: the payload stays valid, canonical JSON, so only the
    signature can tell."""
    payload = base64.b64decode(json.loads(line)["envelope"]["payload"])
    start = payload.index(b'"amount":') + len(b'"amount":')
    # The last base64 character of a group carries the low 6 bits of its third byte:
    # for an ASCII digit, "2" or "3" there decode to the digits "6" or "7".
    p = next(p for p in range(start, start + 7) if p % 3 == 2)
    return p // 3 * 4 + 3


# (entry, field, offset in the field's string value or None for a digit of the amount, why)
CHANGES = [
    (9, "recorded_at", 3, "checkpoint: root does not match"),
    (9, "payload", None, "entry 9: bad signature"),
    (9, "payload", 40, "entry 9: malformed"),
    (5, "payload", 120, "entry 5: malformed"),
    (7, "sig", 10, "entry 7: bad signature"),
]


def changed_byte(line: bytes, field: str, offset: int | None) -> bytes:
    """The line with one byte of a field's string value changed."""
    at = line.index(f'"{field}":"'.encode()) + len(field) + 4
    at += digit_in_payload(line) if offset is None else offset
    new = b"2" if line[at : at + 1] == b"3" else b"3"
    return line[:at] + new + line[at + 1 :]


def test_the_independent_verifier_rejects_one_changed_byte_of_one_entry(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    original = (exported["dir"] / "entries.jsonl").read_bytes()
    note = (exported["dir"] / "checkpoint").read_text("utf-8")
    for number, (index, field, offset, why) in enumerate(CHANGES):
        copy = shutil.copytree(exported["dir"], tmp_path / f"copy-{number}")
        lines = original.split(b"\n")
        lines[index] = changed_byte(lines[index], field, offset)
        (copy / "entries.jsonl").write_bytes(b"\n".join(lines))
        assert len((copy / "entries.jsonl").read_bytes()) == len(original)
        entries, _ = read_bundle(copy)
        with pytest.raises(Rejected, match=f"^{why}"):
            verify_independently(entries, note, exported["authority"])
    assert verify_independently(original, note, exported["authority"])[0] == 10


def test_the_independent_verifier_rejects_a_leaf_repeating_a_key(exported: dict[str, Any]) -> None:
    entries, note = read_bundle(exported["dir"])
    lines = entries.split(b"\n")
    lines[3] = lines[3][:-1] + b',"index":3}'  # the same leaf, its index given twice
    with pytest.raises(Rejected, match=r"^entry 3: malformed .*repeats a key"):
        verify_independently(b"\n".join(lines), note, exported["authority"])
