"""Every byte of tests/vectors/formats-1.3-allowances.json, reproduced, and every outcome.

The vectors (docs/formats.md 11.2): a 1.1 log that adopts FORMATS 1.3, sets
two standard levels, rebases, suspends and proposes to resume a benefit, and
records a person leaving; submissions the ledger must accept or refuse (code
and field). Both verifiers, the ledger's and the independent one written
from the page, accept the log, and fail it where the rebase is approved by
its proposer's holder or a level is set twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ledger.application import LedgerApplication
from tests.support.log_vectors import LogVectors
from tests.vectors.formats_1_3 import allowances as maker

V = LogVectors("formats-1.3-allowances.json")
LOG = V.log


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == V.file.read_text("ascii")


@pytest.mark.parametrize("case", V.cases, ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    V.check_case(app, case, V.held_by(case))


def test_the_log_verifies_with_both_verifiers(tmp_path: Path) -> None:
    assert V.verify_both(tmp_path) == 22


def _broken(index: int, who: str, body: dict[str, Any] | None = None) -> tuple[list[str], str]:
    """The log with entry ``index`` signed by ``who`` instead (and ``body`` instead)."""
    log = maker.log()
    s, vault = log[index]
    log[index] = (maker.statement(who, s["type"], body or s["body"], 200 + index), vault)
    leaves = maker.SIGNERS.leaves(log)
    return leaves, maker.SIGNERS.checkpoint(leaves)


def test_both_verifiers_fail_a_change_approved_by_its_proposer_s_holder(tmp_path: Path) -> None:
    failed, rejected = V.failures(tmp_path, *_broken(maker.REBASE_APPROVAL, "deputy"))
    assert failed.index == maker.REBASE_APPROVAL
    assert failed.reason == f"SELF_APPROVAL: can-bo-ldtbxh approves their own change {maker.REBASE}"
    assert str(rejected) == "entry 17: self-approval of a benefit change"


def test_both_verifiers_fail_a_second_level_for_one_category_and_month(tmp_path: Path) -> None:
    second = maker.ADOPTION + 2
    broken = _broken(second, "authority", maker.level(500_000, "2021-07"))
    failed, rejected = V.failures(tmp_path, *broken)
    assert failed.index == second
    assert failed.reason.startswith("DUPLICATE: body.effective: a second standard level")
    assert str(rejected) == f"entry {second}: a second standard level for one category and month"
