"""Every byte of tests/vectors/formats-1.3-grievances.json, reproduced, and each outcome.

The vectors (docs/formats.md 11.5): a 1.1 log that adopts FORMATS 1.3, then
lodges, assigns, answers and closes a grievance, and records two
confirmations from the public page, one of them a complaint; submissions the
ledger must accept or refuse (code and field). Both verifiers, the ledger's
and the independent one written from the page, accept the log, and both
fail a log that closes a grievance twice, answers one not assigned yet, or
assigns one already withdrawn.
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
from tests.vectors import grievances as maker

FILE = PROJECT_VECTORS / "formats-1.3-grievances.json"
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
    assert outcome.entries == len(LOG["entries"]) == 18


def test_the_log_verifies_with_the_independent_verifier() -> None:
    entries = "".join(f"{leaf}\n" for leaf in _leaves()).encode()
    size, root = verify_independently(entries, LOG["checkpoint"], AUTHORITY)
    assert size == 18
    assert root == root_hash([leaf_hash(leaf.encode()) for leaf in _leaves()])


def _with(extra: list[dict[str, Any]]) -> tuple[list[str], str]:
    """The log with more statements after it, written as if the ledger had taken them."""
    leaves = maker.leaves_of([*maker.log(), *((s, ()) for s in extra)])
    return leaves, maker.checkpoint(leaves)


CLOSED_AGAIN = maker.step(
    "approver", "grievance.closed", maker.LODGED, 201, outcome="resolved", closed_on="2022-02-01"
)
ANSWER = {"answer": "Đã chi bổ sung", "answered_on": "2022-01-30"}
BROKEN = {
    "a grievance closed twice": (
        [CLOSED_AGAIN],
        "ALREADY_DECIDED: body.grievance_id: the grievance is closed already",
        "grievance already closed",
    ),
    "an answer to an unassigned complaint": (
        [maker.step("registrar", "grievance.answered", maker.DISPUTED, 202, **ANSWER)],
        "RULE_VIOLATION: by: the grievance is not assigned to can-bo-ldtbxh",
        "answered before it was assigned",
    ),
    "an assignment after a withdrawal": (
        [
            maker.step("approver", "grievance.assigned", maker.DISPUTED, 203, to="chu-tich"),
            maker.step("approver", "grievance.closed", maker.DISPUTED, 204, outcome="withdrawn",
                       closed_on="2022-01-30"),
            maker.step("approver", "grievance.assigned", maker.DISPUTED, 205, to="chu-tich"),
        ],
        "ALREADY_DECIDED: body.grievance_id: the grievance is closed already",
        "grievance already closed",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_both_verifiers_fail_a_log_breaking_a_rule_of_grievances(tmp_path: Path, name: str) -> None:
    extra, reason, independent_reason = BROKEN[name]
    leaves, checkpoint = _with(extra)
    at = len(leaves) - 1
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(_bundle(tmp_path, leaves, checkpoint), authority=AUTHORITY)
    assert (failed.value.index, failed.value.reason) == (at, reason)
    with pytest.raises(Rejected) as rejected:
        verify_independently("".join(f"{x}\n" for x in leaves).encode(), checkpoint, AUTHORITY)
    assert str(rejected.value) == f"entry {at}: {independent_reason}"
