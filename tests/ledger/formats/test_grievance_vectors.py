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

from pathlib import Path
from typing import Any

import pytest

from ledger.application import LedgerApplication
from tests.support.log_vectors import LogVectors
from tests.vectors.formats_1_3 import grievances as maker

V = LogVectors("formats-1.3-grievances.json")
LOG = V.log


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == V.file.read_text("ascii")


@pytest.mark.parametrize("case", V.cases, ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    V.check_case(app, case, V.held_by(case))


def test_the_log_verifies_with_both_verifiers(tmp_path: Path) -> None:
    assert V.verify_both(tmp_path) == 18


def _with(extra: list[dict[str, Any]]) -> tuple[list[str], str]:
    """The log with more statements after it, written as if the ledger had taken them."""
    leaves = maker.SIGNERS.leaves([*maker.log(), *((s, ()) for s in extra)])
    return leaves, maker.SIGNERS.checkpoint(leaves)


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
    failed, rejected = V.failures(tmp_path, leaves, checkpoint)
    assert (failed.index, failed.reason) == (at, reason)
    assert str(rejected) == f"entry {at}: {independent_reason}"
