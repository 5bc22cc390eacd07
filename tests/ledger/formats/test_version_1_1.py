"""FORMATS 1.1 at acceptance: every entry point refuses what the amendments refuse.

Issue 11: a holder id that only looked like another let one person propose
and approve; envelopes carried 20,000 bogus signatures, or a key twice.
Each attack is reproduced first, as the software before 1.1 accepted it
(``before_amendments``), then refused, naming the field, by the Python API,
HTTP (one statement and a JSON-lines batch) and the command line (``submit``
one or a batch, ``sign``), with nothing recorded.
"""

from __future__ import annotations

import base64
import gc
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.audit.ledger import verify_ledger
from ledger.audit.verifier import VerificationFailed
from ledger.domain.acceptance import submission_from_json
from ledger.errors import LedgerError
from ledger.formats.dsse import (
    PAYLOAD_TYPE,
    jcs,
    make_statement,
    open_envelope,
    pae,
    sign_statement,
)
from ledger.formats.jsontext import loads
from ledger.formats.keys import KeyPair, write_key_file
from ledger.tlog.merkle_log import MerkleLog
from tests.conftest import Officers, Story, new_id

ZWSP = "\u200b"  # ZERO WIDTH SPACE (Cf): shows nothing
STRANGER = KeyPair.from_seed(b"\x09" * 32)


def signed(officers: Officers, who: str, type_: str, body: dict[str, Any]) -> dict[str, Any]:
    """An envelope signed as a careless or hostile client would: nothing checked first."""
    key = officers.keys[who]
    statement = make_statement(officers.ledger_id, type_, body, key.key_id)
    return sign_statement(statement, key, validate=False)


def signed_payload(officers: Officers, who: str, payload: bytes) -> dict[str, Any]:
    """An envelope over exactly these payload bytes, validly signed."""
    key = officers.keys[who]
    signature = key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": key.key_id, "sig": base64.b64encode(signature).decode()}],
    }


def registration(holder: str, key: KeyPair = STRANGER, roles: tuple[str, ...] = ("approver",)):
    return {
        "key": {"id": key.key_id, "public_key": key.public_key_b64},
        "holder": {"id": holder, "name": "Phó Chủ tịch UBND xã"},
        "roles": list(roles),
    }


def household(village: str = "Bản Huổi") -> dict[str, Any]:
    return {"household_id": new_id(), "code": "CE-1", "village": village}


def bogus_signatures(count: int) -> list[dict[str, str]]:
    return [
        {"keyid": os.urandom(32).hex(), "sig": base64.b64encode(os.urandom(64)).decode()}
        for _ in range(count)
    ]


# -- the attacks, as they were ------------------------------------------------------------
def test_a_holder_id_with_a_zero_width_space_let_one_person_propose_and_approve_before_1_1(
    app: LedgerApplication, officers: Officers, before_amendments: None
) -> None:
    app.submit(officers.opened(formats=None))  # a v1 ledger, as older versions opened them
    app.submit(officers.register("registrar", holder="pho-chu-tich"))
    app.submit(officers.register("approver", holder="pho-chu-tich" + ZWSP))  # looks the same
    story = Story(app, officers)
    pid = story.person(story.household())
    story.benefit(story.program(), pid)  # proposed by one key, approved by the other
    assert app.size() == 8
    # Detected afterwards: verifying names the entry that registered the look-alike.
    MerkleLog(app).issue(officers.keys["notary"])  # (a v1 ledger's: warnings, not failures)
    amendments = verify_ledger(app).amendments
    assert (amendments.formats, amendments.count) == ("1", 1)
    ((index, why),) = amendments.warnings
    assert index == 2
    assert why.startswith("INVALID_FIELD: body.holder.id: must be 1 to 64 characters of a-z")


def test_twenty_thousand_bogus_signatures_were_kept_in_the_log_before_1_1(
    story: Story, before_amendments: None
) -> None:
    envelope = signed(story.o, "registrar", "household.registered", household())
    envelope["signatures"] += bogus_signatures(19_999)
    accepted = story.app.submit(submission_from_json(envelope))
    assert len(story.app.entry(accepted.index).leaf) > 3_000_000  # 3.4 MB, kept for ever


def test_a_duplicate_key_hands_different_readers_different_envelopes(story: Story) -> None:
    shown = signed(story.o, "registrar", "household.registered", household("Bản Huổi"))
    kept = signed(story.o, "registrar", "household.registered", household("Bản Pao"))
    text = json.dumps(shown)[:-1] + f', "payload": "{kept["payload"]}"}}'
    assert json.loads(text)["payload"] == orjson.loads(text)["payload"] == kept["payload"]
    first_wins = json.loads(text, object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    assert first_wins["payload"] == shown["payload"]  # what a first-wins reader shows instead


# -- refused at every entry point ------------------------------------------------------------
def _two_signatures(o: Officers) -> str:
    envelope = signed(o, "registrar", "household.registered", household())
    envelope["signatures"] += bogus_signatures(1)
    return json.dumps(envelope)


def _twenty_thousand_signatures(o: Officers) -> str:
    envelope = signed(o, "registrar", "household.registered", household())
    envelope["signatures"] = bogus_signatures(10_000) + envelope["signatures"]
    envelope["signatures"] += bogus_signatures(9_999)
    return json.dumps(envelope)


def _repeated_envelope_key(o: Officers) -> str:
    shown = signed(o, "registrar", "household.registered", household("Bản Huổi"))
    kept = signed(o, "registrar", "household.registered", household("Bản Pao"))
    return json.dumps(shown)[:-1] + f', "payload": "{kept["payload"]}"}}'


def _repeated_payload_key(o: Officers) -> str:
    statement = make_statement(
        o.ledger_id, "household.registered", household(), o.keys["registrar"].key_id
    )
    payload = jcs(statement).replace(b'"village":', b'"village":"B\\u1ea3n Pao","village":')
    return json.dumps(signed_payload(o, "registrar", payload))


def _repeated_submission_key(o: Officers) -> str:
    envelope = signed(o, "registrar", "household.registered", household())
    return json.dumps({"envelope": envelope, "vault": []})[:-1] + ', "vault": []}'


def _statement(type_: str, body: dict[str, Any], who: str = "registrar") -> Callable[..., str]:
    return lambda o: json.dumps(signed(o, who, type_, body), ensure_ascii=False)


# (name, the submission's text, the code, the field named)
REFUSED: list[tuple[str, Callable[[Officers], str], str, str]] = [
    (
        "holder id with a zero-width space",
        _statement("key.registered", registration("staff-approver" + ZWSP), "authority"),
        "INVALID_FIELD",
        "body.holder.id",
    ),
    (
        "holder id in capitals",
        _statement("key.registered", registration("Staff-Approver"), "authority"),
        "INVALID_FIELD",
        "body.holder.id",
    ),
    (
        "village with a zero-width space",
        _statement("household.registered", household("Bản" + ZWSP + " Huổi")),
        "INVALID_FIELD",
        "body.village",
    ),
    (
        "village of a Hangul filler alone",
        _statement("household.registered", household("\u3164")),
        "INVALID_FIELD",
        "body.village",
    ),
    (
        "village not in NFC",
        _statement("household.registered", household("Ba\u0309n Huo\u0302\u0309i")),
        "INVALID_FIELD",
        "body.village",
    ),
    (
        "amount beyond 10^12",
        _statement(
            "fund.received",
            {
                "receipt_id": new_id(),
                "program_id": new_id(),
                "amount": 10**12 + 1,
                "date": "2022-01-02",
                "source": "Phòng LĐ-TB&XH huyện",
                "reference": "UNC 1",
            },
            "cashier",
        ),
        "INVALID_FIELD",
        "body.amount",
    ),
    ("two signatures", _two_signatures, "MALFORMED", "signatures"),
    ("twenty thousand signatures", _twenty_thousand_signatures, "MALFORMED", "signatures"),
    ("a key repeated in the envelope", _repeated_envelope_key, "MALFORMED", "payload"),
    ("a key repeated in the payload", _repeated_payload_key, "MALFORMED", "body.village"),
    ("a key repeated in the submission", _repeated_submission_key, "MALFORMED", "vault"),
]
CASES = [pytest.param(make, code, field, id=name) for name, make, code, field in REFUSED]


def _valid_line(o: Officers) -> str:
    return json.dumps(signed(o, "registrar", "household.registered", household()))


def _cli(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli_app, [str(a) for a in args])
    gc.collect()  # close the command's connection pool (PostgreSQL) now
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("make", "code", "field"), CASES)
def test_the_ledger_refuses_it_naming_the_field(
    story: Story, make: Callable[[Officers], str], code: str, field: str
) -> None:
    before = story.app.size()
    with pytest.raises(LedgerError) as refused:
        story.app.submit(submission_from_json(loads(make(story.o), "submission")))
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message.startswith(f"{field}: ")
    assert story.app.size() == before


@pytest.mark.parametrize(("make", "code", "field"), CASES)
def test_http_refuses_it_alone_and_in_a_batch_naming_the_field(
    story: Story, client: TestClient, make: Callable[[Officers], str], code: str, field: str
) -> None:
    before = story.app.size()
    text = make(story.o)
    alone = client.post(
        "/v1/statements", content=text, headers={"content-type": "application/json"}
    )
    assert alone.status_code == 400, alone.text[:300]
    error = alone.json()["error"]
    assert (error["code"], error["message"].split(":")[0]) == (code, field)
    batch = client.post(
        "/v1/statements",
        content=_valid_line(story.o) + "\n" + text + "\n",
        headers={"content-type": "application/jsonl"},
    )
    assert batch.status_code == 400, batch.text[:300]
    error = batch.json()["error"]
    assert error["code"] == code
    assert error["message"].startswith(f"line 2: {field}: ")
    assert story.app.size() == before


@pytest.mark.parametrize(("make", "code", "field"), CASES)
def test_cli_submit_refuses_it_alone_and_in_a_batch_naming_the_field(
    story: Story,
    db_url: str,
    tmp_path: Path,
    make: Callable[[Officers], str],
    code: str,
    field: str,
) -> None:
    before = story.app.size()
    text = make(story.o)
    alone, batch = tmp_path / "alone.json", tmp_path / "batch.jsonl"
    alone.write_text(text + "\n", encoding="utf-8")
    batch.write_text(_valid_line(story.o) + "\n" + text + "\n", encoding="utf-8")
    exit_code, stderr = _cli("submit", alone, "--db", db_url)
    assert (exit_code, stderr.split(": ")[:2]) == (1, [code, field]), stderr
    exit_code, stderr = _cli("submit", batch, "--db", db_url)
    assert exit_code == 1
    assert stderr.startswith(f"{code}: line 2: {field}: "), stderr
    assert story.app.size() == before


def test_cli_sign_refuses_invisible_text_an_amount_beyond_10_12_and_a_repeated_key(
    tmp_path: Path, officers: Officers
) -> None:
    key = tmp_path / "registrar.key"
    write_key_file(key, officers.keys["registrar"])
    sign = ("sign", "--key", key, "--ledger", officers.ledger_id)
    body = json.dumps(household("Bản" + ZWSP + " Huổi"), ensure_ascii=False)
    exit_code, stderr = _cli(*sign, "--type", "household.registered", "--body", body)
    assert exit_code == 1
    assert stderr.startswith("INVALID_FIELD: body.village: must not contain U+200B (a format")
    proposal = {"benefit_id": new_id(), "program_id": new_id(), "household_id": new_id()}
    proposal |= {"amount": 10**12 + 1, "start": "2022-01", "basis": "Cứu trợ"}
    exit_code, stderr = _cli(*sign, "--type", "benefit.proposed", "--body", json.dumps(proposal))
    assert (exit_code, stderr.split(": ")[:2]) == (1, ["INVALID_FIELD", "body.amount"])
    repeated = json.dumps(household())[:-1] + ', "code": "CE-2"}'
    exit_code, stderr = _cli(*sign, "--type", "household.registered", "--body", repeated)
    assert (exit_code, stderr.split(": ")[:2]) == (1, ["MALFORMED", "body.code"])


# -- what 1.1 still accepts ---------------------------------------------------------------
def test_amounts_up_to_10_12_and_vietnamese_text_are_accepted(story: Story) -> None:
    hid = story.household("Bản Huổi Một 1")
    program = story.program()
    bid = story.benefit(program, story.person(hid), amount=10**12)
    bodies = [open_envelope(e.envelope).body for e in story.app.entries()]
    assert {"benefit_id": bid, "amount": 10**12}.items() <= bodies[-2].items()
    story.submit(story.o.register("registrar2", holder="pho-chu-tich.2_b"))


def test_a_payload_that_repeats_a_key_is_never_canonical_so_the_fast_path_never_takes_it(
    officers: Officers,
) -> None:
    """The claim the payload check rests on: JCS(parse(payload)) differs from such a payload."""
    text = _repeated_payload_key(officers)
    payload = base64.b64decode(json.loads(text)["payload"])
    parsed = orjson.loads(payload)  # what the fast path compares, key order sorted
    assert orjson.dumps(parsed, option=orjson.OPT_SORT_KEYS) != payload
    assert jcs(json.loads(payload)) != payload
    assert len(jcs(parsed)) < len(payload)  # one of the repeated keys is gone


def test_a_verifier_fails_a_ledger_that_declares_1_1_at_the_entry_breaking_it(
    app: LedgerApplication, officers: Officers, before_amendments: None
) -> None:
    app.submit(officers.opened())  # declares 1.1, then records what only v1 allowed
    app.submit(officers.register("registrar"))
    app.submit(officers.register("approver", holder="pho-chu-tich" + ZWSP))
    with pytest.raises(VerificationFailed) as failed:
        verify_ledger(app)
    assert failed.value.index == 2
    assert failed.value.reason.startswith("INVALID_FIELD: body.holder.id: must be 1 to 64")
    assert failed.value.reason.endswith("; the ledger declares FORMATS 1.1")
