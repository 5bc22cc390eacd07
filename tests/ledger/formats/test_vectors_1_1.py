"""Every byte of tests/vectors/formats-1.1.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md) are the project's own: a ledger.opened that
declares FORMATS 1.1 and three entries after it, submissions the ledger
must accept or refuse (with the code and the field named), a document whose
sums pass 2^53 - 1, and two small logs for verifiers: a v1 one that
verifies with a warning, the same entry under the 1.1 declaration that fails.
"""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from api.http.wire import read_submissions
from api.pages.docs import canonical
from ledger.application import LedgerApplication
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import VerificationFailed
from ledger.domain.acceptance import Submission
from ledger.domain.log import Entry
from ledger.errors import LedgerError
from ledger.formats.dsse import PAYLOAD_TYPE, jcs, open_envelope, pae, sign_statement
from ledger.formats.keys import KeyPair, verify_signature
from ledger.formats.merkle import leaf_hash, root_hash
from ledger.formats.notes import open_checkpoint
from tests.support.vectors import load_formats_1_1

VECTORS = load_formats_1_1()
CASES = VECTORS["cases"]


def _keys() -> dict[str, KeyPair]:
    """The vector keys by key id, made from their seeds."""
    pairs = (KeyPair.from_seed(bytes.fromhex(k["seed_hex"])) for k in VECTORS["keys"].values())
    return {pair.key_id: pair for pair in pairs}


def _signed(statement: dict[str, Any]) -> dict[str, Any]:
    return sign_statement(copy.deepcopy(statement), _keys()[statement["by"]], validate=False)


def _opened(app: LedgerApplication) -> None:
    for entry in VECTORS["opened_1_1"]["entries"]:
        app.submit(Submission(open_envelope(copy.deepcopy(entry["envelope"]))))


def test_key_ids_and_public_keys_are_derived_from_the_seeds() -> None:
    for name, vector in VECTORS["keys"].items():
        pair = KeyPair.from_seed(bytes.fromhex(vector["seed_hex"]))
        assert (pair.public_key_b64, pair.key_id) == (vector["public_key"], vector["key_id"]), name


@pytest.mark.parametrize("log", ["opened_1_1", "v1", "declared_1_1"])
def test_each_logged_entry_is_reproduced_byte_for_byte_with_its_root_and_checkpoint(
    log: str,
) -> None:
    vectors = VECTORS["opened_1_1"] if log == "opened_1_1" else VECTORS["verify"][log]
    hashes = []
    for i, entry in enumerate(vectors["entries"]):
        statement = entry["statement"]
        assert jcs(statement).decode() == entry["payload_jcs"], i
        assert _signed(statement) == entry["envelope"], i
        recorded_at = json.loads(entry["leaf"])["recorded_at"]
        leaf = Entry(index=i, recorded_at=recorded_at, envelope=entry["envelope"]).leaf
        assert leaf == entry["leaf"].encode(), i
        hashes.append(leaf_hash(leaf))
        assert hashes[-1].hex() == entry["leaf_hash"], i
    root = root_hash(hashes)
    assert base64.b64encode(root).decode() == vectors["root"]
    notary = base64.b64decode(VECTORS["keys"]["notary"]["public_key"])
    checkpoint = open_checkpoint(vectors["checkpoint"], VECTORS["ledger_id"], notary)
    assert (checkpoint.size, checkpoint.root) == (len(hashes), root)


def test_the_opening_declares_1_1_and_a_fresh_ledger_accepts_each_entry_at_its_index(
    app: LedgerApplication,
) -> None:
    entries = VECTORS["opened_1_1"]["entries"]
    assert entries[0]["statement"]["body"]["formats"] == "1.1"
    for i, entry in enumerate(entries):
        accepted = app.submit(Submission(open_envelope(copy.deepcopy(entry["envelope"]))))
        assert (accepted.index, accepted.created) == (i, True)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_submission_is_accepted_or_refused_naming_its_field(
    app: LedgerApplication, case: dict[str, Any]
) -> None:
    _opened(app)
    size = app.size()
    if "statement" in case:  # a plain signed statement: its bytes are reproduced too
        assert (
            json.dumps(_signed(case["statement"]), ensure_ascii=False, separators=(",", ":"))
            == (case["submission"])
        )
    if case["code"] is None:
        read = read_submissions(case["submission"])
        assert isinstance(read, Submission)
        accepted = app.submit(read)
        assert (accepted.index, accepted.created) == (size, True)
        return
    with pytest.raises(LedgerError) as refused:
        app.submit(read_submissions(case["submission"]))  # type: ignore[arg-type]
    assert (refused.value.code, refused.value.field) == (case["code"], case["field"])
    assert refused.value.message.startswith(f"{case['field']}: ")
    assert app.size() == size


def test_the_refused_cases_cover_every_amendment() -> None:
    refused = {(c["code"], c["field"]) for c in CASES if c["code"] is not None}
    assert refused == {
        ("INVALID_FIELD", "body.village"),  # text: Cf, Zl, Co, Cn, not NFC, a filler alone
        ("INVALID_FIELD", "body.code"),
        ("INVALID_FIELD", "body.holder.id"),
        ("INVALID_FIELD", "body.amount"),
        ("MALFORMED", "signatures"),
        ("MALFORMED", "payload"),  # a key repeated in the envelope
        ("MALFORMED", "body.village"),  # in the payload
        ("MALFORMED", "vault"),  # in the submission
    }


def test_the_two_signatures_are_both_valid_and_still_refused() -> None:
    case = next(c for c in CASES if c["field"] == "signatures")
    envelope = json.loads(case["submission"])
    message = pae(PAYLOAD_TYPE, base64.b64decode(envelope["payload"]))
    keys = _keys()
    for signature in envelope["signatures"]:
        public_key = base64.b64decode(keys[signature["keyid"]].public_key_b64)
        verify_signature(public_key, message, base64.b64decode(signature["sig"]))


def test_sums_beyond_2_53_minus_1_are_decimal_strings_in_the_jcs_of_a_document() -> None:
    sums = VECTORS["sums"]
    assert canonical(sums["document"]) == sums["jcs"].encode()


def _bundle(tmp_path: Path, log: dict[str, Any]) -> Path:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    lines = "".join(entry["leaf"] + "\n" for entry in log["entries"])
    (bundle / "entries.jsonl").write_text(lines, encoding="utf-8")
    (bundle / "checkpoint").write_text(log["checkpoint"], encoding="utf-8")
    return bundle


def test_the_v1_log_verifies_with_the_warning_it_expects(tmp_path: Path) -> None:
    log = VECTORS["verify"]["v1"]
    assert "formats" not in log["entries"][0]["statement"]["body"]
    outcome = verify_bundle(
        _bundle(tmp_path, log), authority=VECTORS["keys"]["authority"]["key_id"]
    )
    assert log["expect"]["verifies"] is True
    got = [[i, *why.split(": ")[:2]] for i, why in outcome.amendments.warnings]
    assert got == log["expect"]["warnings"]
    assert outcome.amendments.formats == "1"


def test_the_declared_1_1_log_fails_at_the_entry_it_expects(tmp_path: Path) -> None:
    log = VECTORS["verify"]["declared_1_1"]
    expect = log["expect"]
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(_bundle(tmp_path, log), authority=VECTORS["keys"]["authority"]["key_id"])
    assert expect["verifies"] is False
    assert failed.value.index == expect["fails_at"]
    assert failed.value.reason.split(": ")[:2] == [expect["code"], expect["field"]]
