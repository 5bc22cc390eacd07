"""``POST /v1/statements``: what officers' clients see when they submit statements."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.wire import parse_submissions
from ledger.errors import InvalidField, LedgerError, MalformedError
from ledger.formats.dsse import check_deferred, make_statement, sign_statement
from tests.conftest import Officers, Story, new_id

JSONL = {"Content-Type": "application/jsonl"}


def household(officers: Officers, hid: str | None = None, **kw: Any) -> dict[str, Any]:
    hid = hid or new_id()
    body = {"household_id": hid, "code": f"CE-{hid[:6]}", "village": "Bản Mé"}
    return officers.envelope("registrar", "household.registered", body, **kw)


def post(client: TestClient, doc: Any, **kw: Any) -> Any:
    return client.post("/v1/statements", content=json.dumps(doc, ensure_ascii=False), **kw)


def lines(*docs: Any) -> str:
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs)


def assert_error(response: Any, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    for word in words:
        assert word in error["message"]


# -- one statement ---------------------------------------------------------------------
def test_new_statement_is_recorded_at_the_next_index(
    client: TestClient, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    response = post(client, household(officers))
    assert response.status_code == 201
    answer = response.json()
    assert answer["index"] == size
    assert answer["leaf_hash"] == story.app.entry(size).leaf_hash.hex()
    assert story.app.size() == size + 1


def test_identical_resubmission_answers_200_with_the_same_entry(
    client: TestClient, story: Story, officers: Officers
) -> None:
    envelope = household(officers)
    first = post(client, envelope)
    again = post(client, envelope)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert story.app.size() == first.json()["index"] + 1


def test_pretty_printed_envelope_is_one_statement(
    client: TestClient, story: Story, officers: Officers
) -> None:
    response = client.post("/v1/statements", content=json.dumps(household(officers), indent=2))
    assert response.status_code == 201
    assert set(response.json()) == {"index", "leaf_hash"}


def test_statement_with_its_vault_record_stores_the_record(
    client: TestClient, story: Story, service: Any
) -> None:
    sub, record = story.person_sub(story.household())
    assert sub.signed.body["pii"] == record.commitment
    doc = {"envelope": sub.signed.envelope, "vault": [record.to_json()]}
    response = post(client, doc)
    assert response.status_code == 201, response.text
    stored = service.ledger.vault_record(record.person_id)
    assert stored is not None and stored.record == record.record


def test_vault_record_not_matching_its_commitment_is_refused(
    client: TestClient, story: Story
) -> None:
    sub, record = story.person_sub(story.household())
    forged = record.to_json() | {"record": {"full_name": "Lò Văn Khác"}}
    size = story.app.size()
    response = post(client, {"envelope": sub.signed.envelope, "vault": [forged]})
    assert_error(response, 400, "VAULT_MISMATCH")
    assert story.app.size() == size


# -- refusals, one per status ------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (b"", "MALFORMED", ["empty"]),
        (b"  \n\n ", "MALFORMED", ["empty"]),
        (b"{not json", "MALFORMED", ["line 1", "not valid JSON"]),
        (b"\xff\xfe{}", "MALFORMED", ["UTF-8"]),
        (b"[1, 2]", "MALFORMED", ["envelope"]),
        (b'{"payloadType": "x"}', "INVALID_FIELD", ["payload"]),
        (b'{"envelope": {}, "extra": 1}', "INVALID_FIELD", ["extra"]),
        (b"[" * 100_000 + b"]" * 100_000, "MALFORMED", ["line 1"]),
    ],
)
def test_malformed_body_is_refused_with_400_naming_what(
    client: TestClient, story: Story, body: bytes, code: str, words: list[str]
) -> None:
    size = story.app.size()
    assert_error(client.post("/v1/statements", content=body), 400, code, *words)
    assert story.app.size() == size


def test_deeply_nested_payload_is_malformed_not_a_crash(
    client: TestClient, officers: Officers
) -> None:
    envelope = household(officers)
    envelope["payload"] = base64.b64encode(b"[" * 100_000 + b"]" * 100_000).decode()
    response = post(client, envelope)
    assert response.status_code == 400, response.text


def test_tampered_signature_is_refused_with_401(
    client: TestClient, story: Story, officers: Officers
) -> None:
    envelope = household(officers)
    raw = bytearray(base64.b64decode(envelope["signatures"][0]["sig"]))
    raw[0] ^= 1
    envelope["signatures"][0]["sig"] = base64.b64encode(bytes(raw)).decode()
    assert_error(post(client, envelope), 401, "BAD_SIGNATURE")


def test_key_the_ledger_does_not_know_is_refused_with_401(
    client: TestClient, officers: Officers
) -> None:
    body = {"household_id": new_id(), "code": "CE-X", "village": "Bản Mé"}
    envelope = officers.envelope("registrar2", "household.registered", body)
    assert_error(post(client, envelope), 401, "UNKNOWN_KEY")


def test_statement_outside_the_signers_role_is_refused_with_403(
    client: TestClient, officers: Officers
) -> None:
    body = {"household_id": new_id(), "code": "CE-Y", "village": "Bản Mé"}
    envelope = officers.envelope("cashier", "household.registered", body)
    assert_error(post(client, envelope), 403, "ROLE_NOT_ALLOWED")


def test_approving_ones_own_proposal_is_refused_with_403(
    client: TestClient, story: Story, officers: Officers
) -> None:
    story.submit(officers.register("registrar2", roles=["registrar", "approver"]))
    pid = story.person(story.household())
    bid = new_id()
    proposal = {
        "benefit_id": bid,
        "program_id": story.program(),
        "person_id": pid,
        "amount": 1_624_000,
        "start": "2022-01",
        "basis": "Thương binh 61%",
    }
    assert post(client, officers.envelope("registrar2", "benefit.proposed", proposal)).is_success
    decision = {"benefit_id": bid, "decision": {"number": "16/QĐ-UBND", "date": "2022-01-07"}}
    response = post(client, officers.envelope("registrar2", "benefit.approved", decision))
    assert_error(response, 403, "SELF_APPROVAL", "maker-checker")


def test_revoked_key_is_refused_with_403(
    client: TestClient, story: Story, officers: Officers
) -> None:
    revoke = {"key_id": officers.keys["registrar"].key_id, "reason": "chuyển công tác"}
    assert post(client, officers.envelope("authority", "key.revoked", revoke)).status_code == 201
    assert_error(post(client, household(officers)), 403, "KEY_REVOKED")


def test_payment_on_an_unknown_benefit_is_refused_with_404(
    client: TestClient, story: Story, officers: Officers
) -> None:
    pid = story.person(story.household())
    body = story.payment_body(new_id(), pid)
    response = post(client, officers.envelope("cashier", "payment.recorded", body))
    assert_error(response, 404, "UNKNOWN_ENTITY", "body.benefit_id")


def test_reused_household_id_is_refused_with_409(
    client: TestClient, story: Story, officers: Officers
) -> None:
    hid = new_id()
    assert post(client, household(officers, hid)).status_code == 201
    assert_error(post(client, household(officers, hid)), 409, "DUPLICATE")


def test_replayed_nonce_is_refused_with_409(client: TestClient, officers: Officers) -> None:
    nonce = "0123456789abcdef0123456789abcdef"
    assert post(client, household(officers, nonce=nonce)).status_code == 201
    assert_error(post(client, household(officers, nonce=nonce)), 409, "REPLAYED_NONCE")


def test_deciding_a_benefit_twice_is_refused_with_422(
    client: TestClient, story: Story, officers: Officers
) -> None:
    _, _, bid = story.beneficiary()
    decision = {"benefit_id": bid, "decision": {"number": "17/QĐ-UBND", "date": "2022-01-08"}}
    response = post(client, officers.envelope("approver", "benefit.approved", decision))
    assert_error(response, 422, "ALREADY_DECIDED", "body.benefit_id")


# -- batches ------------------------------------------------------------------------------
def test_json_lines_batch_is_recorded_in_order(
    client: TestClient, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    envelopes = [household(officers) for _ in range(3)]
    response = client.post("/v1/statements", content=lines(*envelopes), headers=JSONL)
    assert response.status_code == 201, response.text
    entries = response.json()["entries"]
    assert [e["index"] for e in entries] == [size, size + 1, size + 2]
    assert all(e["created"] for e in entries)
    for e in entries:
        assert e["leaf_hash"] == story.app.entry(e["index"]).leaf_hash.hex()


def test_several_lines_are_a_batch_whatever_the_content_type(
    client: TestClient, officers: Officers
) -> None:
    body = lines(household(officers), household(officers))
    response = client.post("/v1/statements", content=body, headers={"Content-Type": "text/plain"})
    assert response.status_code == 201
    assert len(response.json()["entries"]) == 2


def test_one_line_declared_as_json_lines_is_a_batch_of_one(
    client: TestClient, officers: Officers
) -> None:
    response = client.post(
        "/v1/statements",
        content=lines(household(officers)),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 201
    assert len(response.json()["entries"]) == 1


def test_batch_already_recorded_answers_200_with_its_entries(
    client: TestClient, officers: Officers
) -> None:
    body = lines(household(officers), household(officers))
    first = client.post("/v1/statements", content=body, headers=JSONL)
    again = client.post("/v1/statements", content=body, headers=JSONL)
    assert (first.status_code, again.status_code) == (201, 200)
    assert [e["index"] for e in again.json()["entries"]] == [
        e["index"] for e in first.json()["entries"]
    ]
    assert not any(e["created"] for e in again.json()["entries"])


def test_batch_refused_at_a_line_names_it_and_records_nothing(
    client: TestClient, story: Story, officers: Officers
) -> None:
    hid = new_id()
    size = story.app.size()
    body = "\n" + lines(household(officers), household(officers, hid), household(officers, hid))
    response = client.post("/v1/statements", content=body, headers=JSONL)
    assert_error(response, 409, "DUPLICATE", "line 4:", "nothing recorded")
    assert story.app.size() == size


def test_batch_with_a_line_that_is_not_json_names_the_line(
    client: TestClient, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    body = lines(household(officers)) + "{oops\n" + lines(household(officers))
    response = client.post("/v1/statements", content=body, headers=JSONL)
    assert_error(response, 400, "MALFORMED", "line 2")
    assert story.app.size() == size


def test_batch_with_a_bad_envelope_names_its_line(
    client: TestClient, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    body = lines(household(officers), {"payloadType": "x"})
    response = client.post("/v1/statements", content=body, headers=JSONL)
    assert_error(response, 400, "INVALID_FIELD", "line 2:")
    assert story.app.size() == size


def test_json_string_holding_a_unicode_line_separator_is_not_split() -> None:
    officers = Officers()
    body = {"household_id": new_id(), "code": "CE-Z", "village": "Bản\u2028Mé"}
    key = officers.keys["registrar"]
    statement = make_statement(officers.ledger_id, "household.registered", body, key.key_id)
    doc = sign_statement(statement, key, validate=False)  # FORMATS 1.1 refuses U+2028 in text
    text = lines(doc, household(officers))
    subs, numbers = parse_submissions(text, json_lines=True)
    assert numbers == [1, 2]
    assert subs[0].signed.body["village"] == "Bản\u2028Mé"
    with pytest.raises(InvalidField) as refused:  # read whole, then refused for what it says
        check_deferred(subs[0].signed)
    assert refused.value.field == "body.village"
    assert "U+2028" in refused.value.message
    with pytest.raises(MalformedError):
        parse_submissions("\n \n", json_lines=True)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ("18446744073709551616", "unknown field"),  # beyond 64 bits: orjson refuses it
        ("1e400", "unknown field"),  # beyond a double
        ('"\\ud800"', "unknown field"),  # an unpaired surrogate
    ],
)
def test_json_that_orjson_refuses_is_still_read_as_json_reads_it(extra: str, problem: str) -> None:
    # The body is parsed by orjson when it can, by json.loads when it cannot:
    # the officer is told about the field, never that valid JSON is not JSON.
    doc = household(Officers())
    text = json.dumps(doc)[:-1] + f', "extra": {extra}}}'
    for body, json_lines in ((text, False), (text + "\n", True)):
        with pytest.raises(LedgerError) as refused:
            parse_submissions(body, json_lines=json_lines)
        assert refused.value.code == "INVALID_FIELD"
        assert refused.value.field.endswith("extra") and problem in refused.value.message


# -- concurrency --------------------------------------------------------------------------
def test_the_same_payment_sent_at_once_from_many_threads_is_one_entry(
    client: TestClient, story: Story, officers: Officers
) -> None:
    _, pid, bid = story.beneficiary()
    envelope = officers.envelope("cashier", "payment.recorded", story.payment_body(bid, pid))
    size = story.app.size()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: post(client, envelope), range(16)))
    assert sorted(a.status_code for a in answers) == [200] * 15 + [201]
    assert {a.json()["index"] for a in answers} == {size}
    assert story.app.size() == size + 1


def test_one_payment_signed_twice_and_sent_at_once_is_recorded_once(
    client: TestClient, story: Story, officers: Officers
) -> None:
    _, pid, bid = story.beneficiary()
    body = story.payment_body(bid, pid)
    envelopes = [officers.envelope("cashier", "payment.recorded", body) for _ in range(8)]
    size = story.app.size()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda e: post(client, e), envelopes))
    assert sorted(a.status_code for a in answers) == [201] + [409] * 7
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 409} == {"DUPLICATE"}
    assert story.app.size() == size + 1


# -- the contract ---------------------------------------------------------------------------
def test_openapi_documents_the_raw_body_and_every_answer(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/statements"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) >= {"application/json", "application/jsonl"}
    assert set(content["application/json"]["examples"]) == {"envelope", "with_vault"}
    assert set(operation["responses"]) >= {"200", "201", "400", "401", "403", "404", "409", "413"}


def test_openapi_examples_are_well_formed_envelopes(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/v1/statements"]["post"]
    content = operation["requestBody"]["content"]
    for example in content["application/json"]["examples"].values():
        subs, numbers = parse_submissions(json.dumps(example["value"]))
        assert numbers is None and len(subs) == 1
    batch = content["application/jsonl"]["examples"]["batch"]["value"]
    subs, numbers = parse_submissions(batch, json_lines=True)
    assert numbers == [1, 2]
    assert subs[0].vault and subs[0].vault[0].commitment == subs[0].signed.body["pii"]
