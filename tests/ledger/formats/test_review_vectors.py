"""Every byte of tests/vectors/formats-1.3-reviews.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md 11.4): a 1.1 log that adopts FORMATS 1.3 and
runs one poverty review round; submissions the ledger must accept or refuse
(code and field) in the state each names. Both verifiers, the ledger's and
the independent one written from the page, accept the log, and fail a log
whose recognition came before the posting window closed or with an
objection unanswered.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ledger.application import LedgerApplication
from tests.support.log_vectors import LogVectors, submit
from tests.vectors.formats_1_3 import reviews as maker

V = LogVectors("formats-1.3-reviews.json")
LOG = V.log


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == V.file.read_text("ascii")


@pytest.mark.parametrize("case", V.cases, ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    V.check_case(app, case, V.vectors["states"][case["state"]])


def test_the_whole_log_is_accepted_entry_by_entry(app: LedgerApplication) -> None:
    for i, entry in enumerate(LOG["entries"]):
        assert submit(app, entry["submission"]) == i


def test_the_log_verifies_with_both_verifiers(tmp_path: Path) -> None:
    assert V.verify_both(tmp_path) == 17


FORGED = {
    # the first recognition dated on the last day of the posting window
    "early": (15, "RULE_VIOLATION: body.decision.date", "posting window closed"),
    # the second household recognised while the objection to it is open
    "open": (14, "RULE_VIOLATION: body.assessment_id: an objection", "an objection open"),
}


def _forged(which: str) -> list[dict[str, Any]]:
    log = maker.log()
    if which == "early":
        return [*log[:15], maker.recognized(maker.A1, 16, "2024-10-20")]
    return [*log[:14], maker.recognized(maker.A2, 17)]


@pytest.mark.parametrize("which", sorted(FORGED))
def test_both_verifiers_fail_a_recognition_the_ledger_would_refuse(
    tmp_path: Path, which: str
) -> None:
    index, reason, independent = FORGED[which]
    leaves = maker.leaves(_forged(which))
    failed, rejected = V.failures(tmp_path, leaves, maker.SIGNERS.checkpoint(leaves))
    assert failed.index == index
    assert failed.reason.startswith(reason)
    assert str(rejected).startswith(f"entry {index}: ")
    assert independent in str(rejected)
