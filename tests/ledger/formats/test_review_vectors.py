"""Every byte of tests/vectors/formats-1.3-reviews.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md 11.4): a 1.1 log that adopts FORMATS 1.3 and
runs one poverty review round; submissions the ledger must accept or refuse
(code and field) in the state each names. Both verifiers, the ledger's and
the independent one written from the page, accept the log, and fail a log
whose recognition came before the posting window closed or with an
objection unanswered.
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
from tests.vectors import reviews_1_3 as maker

FILE = PROJECT_VECTORS / "formats-1.3-reviews.json"
VECTORS: dict[str, Any] = json.loads(FILE.read_text("ascii"))
LOG = VECTORS["log"]
AUTHORITY = VECTORS["keys"]["authority"]["key_id"]


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == FILE.read_text("ascii")


def _submit(app: LedgerApplication, text: str) -> int:
    return app.submit(submission_from_json(json.loads(text))).index


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    for entry in LOG["entries"][: VECTORS["states"][case["state"]]]:
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


def test_the_whole_log_is_accepted_entry_by_entry(app: LedgerApplication) -> None:
    for i, entry in enumerate(LOG["entries"]):
        assert _submit(app, entry["submission"]) == i


def test_the_log_verifies_with_the_ledger_s_verifier(tmp_path: Path) -> None:
    outcome = verify_bundle(_bundle(tmp_path, _leaves(), LOG["checkpoint"]), authority=AUTHORITY)
    assert outcome.entries == len(LOG["entries"]) == 17


def test_the_log_verifies_with_the_independent_verifier() -> None:
    entries = "".join(f"{leaf}\n" for leaf in _leaves()).encode()
    size, root = verify_independently(entries, LOG["checkpoint"], AUTHORITY)
    assert size == 17
    assert root == root_hash([leaf_hash(leaf.encode()) for leaf in _leaves()])


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
    _, checkpoint = maker.checkpoint(leaves)
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(_bundle(tmp_path, leaves, checkpoint), authority=AUTHORITY)
    assert failed.value.index == index
    assert failed.value.reason.startswith(reason)
    with pytest.raises(Rejected) as rejected:
        verify_independently("".join(f"{x}\n" for x in leaves).encode(), checkpoint, AUTHORITY)
    assert str(rejected.value).startswith(f"entry {index}: ")
    assert independent in str(rejected.value)
