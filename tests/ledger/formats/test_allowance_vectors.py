"""Every byte of tests/vectors/formats-1.3-allowances.json, reproduced, and every outcome.

The vectors (docs/formats.md 11.2): a 1.1 log that adopts FORMATS 1.3, sets
two standard levels, rebases, suspends and proposes to resume a benefit, and
records a person leaving; submissions the ledger must accept or refuse (code
and field). Both verifiers, the ledger's and the independent one written
from the page, accept the log, and fail it where the rebase is approved by
its proposer's holder or a level is set twice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ledger.application import LedgerApplication
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import VerificationFailed
from ledger.domain.acceptance import submission_from_json
from ledger.errors import LedgerError
from ledger.formats.merkle import leaf_hash, root_hash
from tests.ledger.audit.independent import Rejected, verify_independently
from tests.support.paths import PROJECT_VECTORS
from tests.vectors import allowances as maker

FILE = PROJECT_VECTORS / "formats-1.3-allowances.json"
VECTORS: dict[str, Any] = json.loads(FILE.read_text("ascii"))
LOG = VECTORS["log"]
AUTHORITY = VECTORS["keys"]["authority"]["key_id"]


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == FILE.read_text("ascii")


def _submit(app: LedgerApplication, text: str) -> int:
    return app.submit(submission_from_json(json.loads(text))).index


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    entries = LOG["entries"]
    held = entries[: LOG["adoption_index"]] if case["state"] == "before_adoption" else entries
    for entry in held:
        _submit(app, entry["submission"])
    size = app.size()
    if case["code"] is None:
        assert _submit(app, case["submission"]) == size
        return
    with pytest.raises(LedgerError) as refused:
        _submit(app, case["submission"])
    assert (refused.value.code, refused.value.field) == (case["code"], case["field"])
    assert app.size() == size


def _bundle(tmp_path: Path, leaves: list[str], checkpoint: str) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "entries.jsonl").write_text("".join(f"{leaf}\n" for leaf in leaves), "utf-8")
    (bundle / "checkpoint").write_text(checkpoint, encoding="utf-8")
    return bundle


def _leaves() -> list[str]:
    return [entry["leaf"] for entry in LOG["entries"]]


def test_the_log_verifies_with_the_ledger_s_verifier(tmp_path: Path) -> None:
    outcome = verify_bundle(_bundle(tmp_path, _leaves(), LOG["checkpoint"]), authority=AUTHORITY)
    assert outcome.entries == len(LOG["entries"]) == 22


def test_the_log_verifies_with_the_independent_verifier() -> None:
    entries = "".join(f"{leaf}\n" for leaf in _leaves()).encode()
    size, root = verify_independently(entries, LOG["checkpoint"], AUTHORITY)
    assert size == 22
    assert root == root_hash([leaf_hash(leaf.encode()) for leaf in _leaves()])


def _broken(index: int, who: str, body: dict[str, Any] | None = None) -> tuple[list[str], str]:
    """The log with entry ``index`` signed by ``who`` instead (and ``body`` instead)."""
    log = maker.log()
    s, vault = log[index]
    log[index] = (maker.statement(who, s["type"], body or s["body"], 200 + index), vault)
    leaves = maker.leaves_of(log)
    return [leaf.decode() for leaf in leaves], maker.checkpoint(leaves)


def test_both_verifiers_fail_a_change_approved_by_its_proposer_s_holder(tmp_path: Path) -> None:
    leaves, checkpoint = _broken(maker.REBASE_APPROVAL, "deputy")
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(_bundle(tmp_path, leaves, checkpoint), authority=AUTHORITY)
    assert failed.value.index == maker.REBASE_APPROVAL
    assert failed.value.reason == (
        f"SELF_APPROVAL: can-bo-ldtbxh approves their own change {maker.REBASE}"
    )
    with pytest.raises(Rejected) as rejected:
        verify_independently("".join(f"{x}\n" for x in leaves).encode(), checkpoint, AUTHORITY)
    assert str(rejected.value) == "entry 17: self-approval of a benefit change"


def test_both_verifiers_fail_a_second_level_for_one_category_and_month(tmp_path: Path) -> None:
    second = maker.ADOPTION + 2
    leaves, checkpoint = _broken(second, "authority", maker.level(500_000, "2021-07"))
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(_bundle(tmp_path, leaves, checkpoint), authority=AUTHORITY)
    assert failed.value.index == second
    assert failed.value.reason.startswith("DUPLICATE: body.effective: a second standard level")
    with pytest.raises(Rejected) as rejected:
        verify_independently("".join(f"{x}\n" for x in leaves).encode(), checkpoint, AUTHORITY)
    assert str(rejected.value) == (
        f"entry {second}: a second standard level for one category and month"
    )
