"""Every byte of tests/vectors/formats-1.2.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md section 10): a 1.1 log that adopts FORMATS 1.2
and records an ``identity.reviewed``; submissions the ledger must accept or
refuse (code and field) before or after the adoption. Both verifiers, the
ledger's and the independent one written from the page, accept the log and
fail it where a review stands before the adoption.
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
from ledger.formats.notes import sign_checkpoint
from tests.ledger.audit.independent import Rejected, verify_independently
from tests.support.paths import PROJECT_VECTORS
from tests.vectors import make_formats_1_2 as maker

FILE = PROJECT_VECTORS / "formats-1.2.json"
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
    assert outcome.entries == len(LOG["entries"]) == 9
    assert outcome.amendments.formats == "1.1"  # declared at entry 0; 1.2 adopted at entry 7


def test_the_log_verifies_with_the_independent_verifier() -> None:
    entries = "".join(f"{leaf}\n" for leaf in _leaves()).encode()
    size, root = verify_independently(entries, LOG["checkpoint"], AUTHORITY)
    assert size == 9
    assert root == root_hash([leaf_hash(leaf.encode()) for leaf in _leaves()])


def _review_before_adoption() -> tuple[list[str], str]:
    """The log with its last entry (the review) recorded where the adoption stands."""
    adoption = LOG["adoption_index"]
    log = maker.log()
    statements = [*log[:adoption], log[-1]]
    leaves = []
    for i, (s, vault) in enumerate(statements):
        sub = json.loads(maker.submission(s, vault))
        envelope = sub["envelope"] if vault else sub
        leaves.append(
            maker.Entry(
                index=i, recorded_at=f"2026-12-04T05:00:{i:02d}.000000Z", envelope=envelope
            ).leaf.decode()
        )
    root = root_hash([leaf_hash(leaf.encode()) for leaf in leaves])
    notary = maker.SigningKey(bytes([maker.SEEDS["notary"]]) * 32)
    return leaves, sign_checkpoint(maker.LEDGER, len(leaves), root, maker.LEDGER, notary)


def test_both_verifiers_fail_a_review_before_the_adoption(tmp_path: Path) -> None:
    leaves, checkpoint = _review_before_adoption()
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(_bundle(tmp_path, leaves, checkpoint), authority=AUTHORITY)
    assert failed.value.index == LOG["adoption_index"]
    assert failed.value.reason.startswith(
        "INVALID_FIELD: type: identity.reviewed needs FORMATS 1.2"
    )
    with pytest.raises(Rejected) as rejected:
        verify_independently("".join(f"{x}\n" for x in leaves).encode(), checkpoint, AUTHORITY)
    assert str(rejected.value) == "entry 7: identity.reviewed before FORMATS 1.2"
