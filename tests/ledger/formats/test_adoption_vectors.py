"""Every byte of tests/vectors/formats-1.2.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md section 10): a 1.1 log that adopts FORMATS 1.2
and records an ``identity.reviewed``; submissions the ledger must accept or
refuse (code and field) before or after the adoption. Both verifiers, the
ledger's and the independent one written from the page, accept the log and
fail it where a review stands before the adoption.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ledger.application import LedgerApplication
from tests.support.log_vectors import LogVectors
from tests.vectors import make_formats_1_2 as maker

V = LogVectors("formats-1.2.json")
LOG = V.log


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == V.file.read_text("ascii")


@pytest.mark.parametrize("case", V.cases, ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    V.check_case(app, case, V.held_by(case))


def test_the_log_verifies_with_both_verifiers(tmp_path: Path) -> None:
    assert V.verify_both(tmp_path) == 9  # 1.1 declared at entry 0; 1.2 adopted at entry 7


def _review_before_adoption() -> tuple[list[str], str]:
    """The log with its last entry (the review) recorded where the adoption stands."""
    adoption = LOG["adoption_index"]
    log = maker.log()
    leaves = maker.SIGNERS.leaves([*log[:adoption], log[-1]])
    return leaves, maker.SIGNERS.checkpoint(leaves)


def test_both_verifiers_fail_a_review_before_the_adoption(tmp_path: Path) -> None:
    failed, rejected = V.failures(tmp_path, *_review_before_adoption())
    assert failed.index == LOG["adoption_index"]
    assert failed.reason.startswith("INVALID_FIELD: type: identity.reviewed needs FORMATS 1.2")
    assert str(rejected) == "entry 7: identity.reviewed before FORMATS 1.2"
