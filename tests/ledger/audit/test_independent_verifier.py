"""An audit bundle verified by a second implementation written from FORMATS.md alone.

The ledger is built and exported through the command line only. The
verifier (``tests/ledger/audit/independent.py``) imports nothing from
``ledger`` or ``api``: failures in a ledger that declares 1.1, warnings in a
v1 one.
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

import pytest

from tests.ledger.audit.independent import LEDGER, Rejected, verify_independently

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
