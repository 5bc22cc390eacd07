"""``ansinh export evidence`` and ``ansinh verify FILE``: entries with proofs, offline."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.cli.officer import Cli, household_body, one_line


@pytest.fixture
def signed(commune: Cli) -> Cli:
    """Two households, then a checkpoint over everything."""
    for code in ("CE-7", "CE-8"):
        commune.record("registrar", "household.registered", household_body(code))
    commune("checkpoint", "--notary-key", commune.key("notary"))
    return commune


def export(cli: Cli, *args: object) -> Path:
    out = cli.dir / "evidence.json"
    cli("export", "evidence", *args, "--out", out)
    return out


def test_evidence_of_a_household_code_verifies_offline(signed: Cli, tmp_path: Path) -> None:
    out = export(signed, "--entity", "CE-8")
    doc = json.loads(out.read_text())
    asked = [e["index"] for e in doc["entries"] if e["why"] == "asked"]
    context = [e["index"] for e in doc["entries"] if e["why"] == "context"]
    assert asked == [5]
    assert context == [0, 1]  # the ledger's opening, the registrar's key
    (tmp_path / "ledger.db").unlink()  # offline: nothing but the file
    by = _statement_of(doc, 0)["by"]
    done = signed("verify", out, "--authority", by)
    assert done.stdout.startswith("OK evidence of 1 entries")
    assert "checkpoint 6" in done.stdout and "not checked: whether a signer's key" in done.stdout


def _statement_of(doc: dict[str, Any], position: int) -> dict[str, Any]:
    leaf = json.loads(doc["entries"][position]["leaf"])
    return dict(json.loads(base64.b64decode(leaf["envelope"]["payload"])))


def test_evidence_of_indexes_takes_each_once(signed: Cli) -> None:
    out = export(signed, "--index", "4", "--index", "5", "--index", "4")
    doc = json.loads(out.read_text())
    assert [e["index"] for e in doc["entries"] if e["why"] == "asked"] == [4, 5]
    assert signed("verify", "--evidence", out).stdout.startswith("OK evidence of 2 entries")


def _tampered(out: Path, change: Any) -> None:
    doc = json.loads(out.read_text())
    change(doc)
    out.write_text(json.dumps(doc))


def test_a_changed_statement_fails_naming_its_entry(signed: Cli) -> None:
    out = export(signed, "--entity", "CE-8")

    def recode(doc: dict[str, Any]) -> None:
        item = doc["entries"][-1]
        leaf = json.loads(item["leaf"])
        statement = json.loads(base64.b64decode(leaf["envelope"]["payload"]))
        statement["body"]["code"] = "CE-9"
        payload = json.dumps(statement, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        leaf["envelope"]["payload"] = base64.b64encode(payload.encode()).decode()
        item["leaf"] = json.dumps(leaf, separators=(",", ":"), sort_keys=True)

    _tampered(out, recode)
    failed = signed("verify", out, code=1)
    assert one_line(failed.stderr).startswith("FAILED entry 5: not in the checkpoint's tree")


def test_a_changed_proof_or_checkpoint_fails(signed: Cli) -> None:
    out = export(signed, "--index", "4")

    def proof(doc: dict[str, Any]) -> None:
        doc["entries"][-1]["proof"][0] = base64.b64encode(bytes(32)).decode()

    _tampered(out, proof)
    assert "FAILED entry 4: not in the checkpoint" in signed("verify", out, code=1).stderr
    out.unlink()
    out = export(signed, "--index", "4")

    def size(doc: dict[str, Any]) -> None:
        doc["checkpoint"] = doc["checkpoint"].replace("\n6\n", "\n7\n", 1)

    _tampered(out, size)
    failed = signed("verify", out, code=1).stderr
    assert failed.startswith("FAILED checkpoint:") and "no valid signature" in failed


def test_evidence_pinned_to_another_authority_fails(signed: Cli) -> None:
    out = export(signed, "--index", "4")
    failed = signed("verify", out, "--authority", "ab" * 32, code=1)
    assert "FAILED entry 0: opened by key" in failed.stderr


def test_export_evidence_refuses_what_it_cannot_prove(signed: Cli) -> None:
    signed.record("registrar", "household.registered", household_body("CE-9"))
    out = signed.dir / "e.json"
    refused = signed("export", "evidence", "--index", "6", "--out", out, code=1)
    assert "INVALID_FIELD: index: entry 6 is not under the latest checkpoint" in one_line(
        refused.stderr
    )
    refused = signed("export", "evidence", "--out", out, code=1)
    assert "INVALID_FIELD: entity:" in refused.stderr
    refused = signed(
        "export", "evidence", "--entity", "CE-404", "--out", signed.dir / "e.json", code=1
    )
    assert "CE-404" in refused.stderr
    assert not out.exists()
