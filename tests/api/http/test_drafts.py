"""``GET /v1/types`` and ``POST /v1/statements/check``: what a form learns before signing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from ledger.formats.vault import VaultRecord
from ledger.formats.versions import TYPES_1_3
from tests.api.http.commune import Commune
from tests.conftest import Officers, Story, new_id

RECEIPT = {"kind": "signature", "evidence": "ab" * 32}


def check(client: TestClient, type_: str, body: Any, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/statements/check", json={"type": type_, "body": body, **extra})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    assert found["ok"] is (found["problems"] == [])
    return found


def codes(found: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p["field"], p["code"]) for p in found["problems"]]


def payment(commune: Commune, **changes: Any) -> dict[str, Any]:
    body = {
        "payment_id": new_id(),
        "benefit_id": commune.benefit,
        "month": "2022-02",
        "amount": 1_624_000,
        "paid_on": "2022-02-10",
        "method": "cash",
        "recipient": commune.head,
        "receipt": dict(RECEIPT),
    }
    return body | changes


def key_of(officers: Officers, name: str) -> str:
    return str(officers.keys[name].key_id)


# -- the types -------------------------------------------------------------------------
def test_the_types_say_who_signs_each_and_the_kind_of_each_field(client: TestClient) -> None:
    response = client.get("/v1/types")
    assert response.status_code == 200
    types = {t["type"]: t for t in response.json()["types"]}
    assert len(types) == 23 + sum(len(kinds) for kinds in TYPES_1_3.values())
    paying = types["payment.recorded"]
    assert paying["roles"] == ["cashier"]
    assert paying["ids"] == ["payment_id", "benefit_id", "recipient"]
    fields = {f["path"]: f for f in paying["fields"]}
    assert fields["method"]["values"] == ["bank", "cash", "post"]
    assert fields["recipient"] | {"example": None} == {
        "path": "recipient",
        "kind": "uuid",
        "optional": False,
        "id": True,
        "example": None,
    }
    assert fields["receipt.evidence"]["kind"] == "sha256_hex"
    assert types["ledger.opened"]["roles"] == []
    assert types["key.registered"]["ids"] == ["key.id", "holder.id"]
    assert types["benefit.proposed"]["rules"][0] == {
        "rule": "exactly_one_of",
        "fields": ["person_id", "household_id"],
    }


# -- the shape -------------------------------------------------------------------------
def test_a_good_payment_draft_is_ok_and_nothing_is_recorded(
    client: TestClient, commune: Commune, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    found = check(client, "payment.recorded", payment(commune), by=key_of(officers, "cashier"))
    assert found == {"ok": True, "problems": [], "warnings": []}
    assert story.app.size() == size


def test_every_problem_of_the_body_is_listed_at_once(client: TestClient, commune: Commune) -> None:
    body = payment(commune, amount=-5, method="cheque", paid_on="2022-02-30")
    del body["recipient"]
    found = check(client, "payment.recorded", body)
    assert found["ok"] is False
    assert found["problems"] == [
        {
            "field": "body.recipient",
            "code": "INVALID_FIELD",
            "message": "body.recipient: missing",
        },
        {
            "field": "body.amount",
            "code": "INVALID_FIELD",
            "message": "body.amount: must be between 0 and 1000000000000",
        },
        {
            "field": "body.paid_on",
            "code": "INVALID_FIELD",
            "message": "body.paid_on: must be a real calendar date",
        },
        {
            "field": "body.method",
            "code": "INVALID_FIELD",
            "message": "body.method: must be one of bank, cash, post",
        },
    ]


def test_a_malformed_signer_is_a_problem_of_the_by_field(client: TestClient) -> None:
    found = check(client, "benefit.rejected", {"benefit_id": new_id(), "reason": "Trùng"}, by="x")
    assert codes(found) == [("by", "INVALID_FIELD")]


def test_an_unknown_type_is_refused_naming_the_nearest_one(client: TestClient) -> None:
    response = client.post("/v1/statements/check", json={"type": "payment.recored", "body": {}})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "INVALID_FIELD",
        "message": "type: unknown statement type 'payment.recored'; did you mean payment.recorded?",
    }


def test_a_request_with_an_unknown_member_is_refused(client: TestClient) -> None:
    response = client.post(
        "/v1/statements/check", json={"type": "person.died", "body": {}, "signer": "me"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_FIELD"


# -- the rules -------------------------------------------------------------------------
def test_a_signer_without_the_role_is_told_as_acceptance_tells_it(
    client: TestClient, commune: Commune, officers: Officers
) -> None:
    found = check(client, "payment.recorded", payment(commune), by=key_of(officers, "registrar"))
    assert codes(found) == [("by", "ROLE_NOT_ALLOWED")]
    assert found["problems"][0]["message"] == (
        "by: key of staff-registrar holds ['registrar']; payment.recorded needs cashier"
    )


def test_an_unregistered_signer_and_an_unknown_benefit_are_both_told(
    client: TestClient, commune: Commune
) -> None:
    ghost = new_id()
    found = check(client, "payment.recorded", payment(commune, benefit_id=ghost), by="cd" * 32)
    assert codes(found) == [("by", "UNKNOWN_KEY"), ("body.benefit_id", "UNKNOWN_ENTITY")]
    assert found["problems"][1]["message"] == f"body.benefit_id: no benefit {ghost}"


def test_a_revoked_signer_is_told(client: TestClient, story: Story, officers: Officers) -> None:
    story.submit(officers.register("registrar2"))
    revoked = {"key_id": key_of(officers, "registrar2"), "reason": "Chuyển công tác"}
    story.submit(officers.sub("authority", "key.revoked", revoked))
    body = {"household_id": new_id(), "code": "CE-9", "village": "Bản Mé"}
    found = check(client, "household.registered", body, by=key_of(officers, "registrar2"))
    assert codes(found) == [("by", "KEY_REVOKED")]


def test_an_approver_deciding_their_own_proposal_is_refused_maker_checker(
    client: TestClient, commune: Commune, story: Story, officers: Officers
) -> None:
    story.submit(officers.register("registrar2", ["registrar", "approver"]))
    benefit = new_id()
    proposal = {"benefit_id": benefit, "program_id": commune.program, "person_id": commune.son}
    proposal |= {"amount": 500_000, "start": "2022-03", "basis": "Người cao tuổi"}
    story.submit(officers.sub("registrar2", "benefit.proposed", proposal))
    decision = {"benefit_id": benefit, "decision": {"number": "16/QĐ-UBND", "date": "2022-03-01"}}
    own = check(client, "benefit.approved", decision, by=key_of(officers, "registrar2"))
    assert codes(own) == [("by", "SELF_APPROVAL")]
    other = check(client, "benefit.approved", decision, by=key_of(officers, "approver"))
    assert other["ok"] is True


def test_without_a_signer_the_rules_of_the_state_are_still_checked(
    client: TestClient, commune: Commune
) -> None:
    decision = {
        "benefit_id": commune.benefit,
        "decision": {"number": "17/QĐ", "date": "2022-03-01"},
    }
    found = check(client, "benefit.approved", decision)
    assert codes(found) == [("body.benefit_id", "ALREADY_DECIDED")]
    taken = {"household_id": commune.poor, "code": "CE-1", "village": "Bản Huổi"}
    assert codes(check(client, "household.registered", taken)) == [
        ("body.household_id", "DUPLICATE")
    ]


def test_a_payment_of_a_benefit_not_approved_is_recorded_but_warned_of(
    client: TestClient, commune: Commune, story: Story, officers: Officers
) -> None:
    benefit = story.benefit(commune.program, commune.neighbour, approve=False)
    body = payment(commune, benefit_id=benefit, recipient=commune.neighbour)
    found = check(client, "payment.recorded", body, by=key_of(officers, "cashier"))
    assert found["ok"] is True
    assert [(w["field"], w["code"]) for w in found["warnings"]] == [
        ("body.benefit_id", "NO_APPROVED_BENEFIT")
    ]


def test_a_vault_record_that_does_not_match_the_commitment_is_told(
    client: TestClient, commune: Commune, officers: Officers
) -> None:
    person = new_id()
    record = VaultRecord.new(person, {"full_name": "Lò Văn Pấng", "national_id": "014190000104"})
    body = {"person_id": person, "household_id": commune.other, "relation": "member"}
    body |= {"sex": "m", "birth_year": 1990, "pii": "cd" * 32}
    by = key_of(officers, "registrar")
    found = check(client, "person.registered", body, by=by, vault=[record.to_json()])
    assert codes(found) == [("vault.record", "VAULT_MISMATCH")]
    body["pii"] = record.commitment
    assert check(client, "person.registered", body, by=by, vault=[record.to_json()])["ok"]
    assert codes(check(client, "person.registered", body, by=by)) == [("vault", "INVALID_FIELD")]
    bad = check(client, "person.registered", body, by=by, vault=[{"person_id": person}])
    assert codes(bad) == [("vault[0].salt", "INVALID_FIELD")]


def test_the_check_is_documented_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    operation = paths["/v1/statements/check"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "404"}
    assert "422" not in operation["responses"]
    assert "/v1/types" in paths
