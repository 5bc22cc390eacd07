"""The worked example of docs/formats.md section 8: it verifies, and each change fails."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from ledger.audit.evidence import verify_evidence
from ledger.audit.verifier import VerificationFailed
from tests.support.paths import ROOT

EXAMPLE = ROOT / "tests" / "vectors" / "evidence-example.json"
AUTHORITY = "232555cc564f860595dc9954f9e59f7a65fe75df5c8b57a298dd62db02a74e34"


def _doc() -> dict[str, Any]:
    return dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def test_the_example_verifies_with_its_authority_pinned() -> None:
    outcome = verify_evidence(EXAMPLE.read_text(encoding="utf-8"), authority=AUTHORITY[:16])
    assert (outcome.asked, outcome.context, outcome.checkpoint_size) == ((3,), (0, 1), 5)
    assert outcome.ledger_id == "ansinh.vn/vi-du/xa-mau"


def _recode(doc: dict[str, Any]) -> None:
    item = doc["entries"][-1]
    leaf = json.loads(item["leaf"])
    statement = json.loads(base64.b64decode(leaf["envelope"]["payload"]))
    statement["body"]["code"] = "XM-09"
    payload = json.dumps(statement, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    leaf["envelope"]["payload"] = base64.b64encode(payload.encode()).decode()
    item["leaf"] = json.dumps(leaf, separators=(",", ":"), sort_keys=True)


def _drop(position: int) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["entries"].pop(position)


def _proof(doc: dict[str, Any]) -> None:
    doc["entries"][-1]["proof"] = doc["entries"][-1]["proof"][1:]


def _checkpoint(doc: dict[str, Any]) -> None:
    doc["checkpoint"] = doc["checkpoint"].replace("\n5\n", "\n4\n", 1)


def _other_ledger(doc: dict[str, Any]) -> None:
    doc["ledger"] = "ansinh.vn/vi-du/xa-khac"


@pytest.mark.parametrize(
    ("change", "index", "reason"),
    [
        (_recode, 3, "not in the checkpoint's tree of 5 entries"),
        (_proof, 3, "not in the checkpoint's tree of 5 entries"),
        (_drop(1), 3, "signed by key 693bf4680c6c6815, whose registration is not here"),
        (_drop(0), None, "evidence: entry 0 (ledger.opened) is missing"),
        (_checkpoint, None, "checkpoint: checkpoint has no valid signature"),
        (_other_ledger, 0, "entry 0 must be the ledger.opened of ansinh.vn/vi-du/xa-khac"),
    ],
    ids=["statement", "proof", "registration", "opening", "checkpoint", "ledger"],
)
def test_each_change_fails_naming_the_entry(
    change: Callable[[dict[str, Any]], None], index: int | None, reason: str
) -> None:
    doc = _doc()
    change(doc)
    with pytest.raises(VerificationFailed) as failed:
        verify_evidence(json.dumps(doc), authority=AUTHORITY)
    assert failed.value.index == index
    assert str(failed.value.reason).startswith(reason)


def test_another_authority_is_refused_at_entry_0() -> None:
    with pytest.raises(VerificationFailed) as failed:
        verify_evidence(EXAMPLE.read_text(encoding="utf-8"), authority="ab" * 8)
    assert failed.value.index == 0 and "not the authority abababababababab" in failed.value.reason
