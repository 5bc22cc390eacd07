"""What a reader who has not signed in may see: what a public list may show, no more.

DESIGN.md: public lists show name, village, category and amount; never the
national id, ethnicity, health or disability detail, or bank account. The
attack: ``GET /v1/households`` answered anyone with each member's sex,
birth year and date of death. Here a household whose head, a disabled
elderly man, died in March and was still paid for April, is read through
every anonymous read; none may carry his sex, birth year, date of death,
the grounds of his benefit or of his household's rating, or his national
id, while a signed-in inspector reading the same finds every one of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from ledger.formats.vault import VaultRecord
from tests.api.http.test_auth import bearer, sign_in
from tests.conftest import Story, new_id
from tests.projections.verbs import fund, pay

DIED_ON = "2022-03-17"
DISABILITY = "Khuyết tật đặc biệt nặng, liệt nửa người"
INCOME, HARDSHIP = 1_234_567, "Nhà tạm, không có nước sạch"
NATIONAL_ID = "014137000999"
NAME = "Lò Văn Mười"
BIRTH_YEAR = 1937
SECRETS = (DIED_ON, "died in 2022-03", DISABILITY, str(INCOME), HARDSHIP, NATIONAL_ID)
PERSON_KEYS = {"sex", "birth_year", "died_on", "national_id"}


@dataclass
class Village:
    household: str
    head: str
    benefit: str


@pytest.fixture
def village(story: Story) -> Village:
    hid = story.household("Bản Huổi")
    proposal = new_id()
    basis = {"income_per_capita_month": INCOME, "deprivation_count": 4, "note": HARDSHIP}
    rating = {"proposal_id": proposal, "household_id": hid, "status": "poor"}
    story.submit(
        story.o.sub(
            "registrar",
            "household.status.proposed",
            rating | {"effective": "2022-01-01", "basis": basis},
        )
    )
    decision = {"number": "20/QĐ-UBND", "date": "2022-01-01"}
    story.submit(
        story.o.sub(
            "approver", "household.status.approved", {"proposal_id": proposal, "decision": decision}
        )
    )
    head = new_id()
    record = VaultRecord.new(head, {"full_name": NAME, "national_id": NATIONAL_ID})
    body = {"person_id": head, "household_id": hid, "relation": "head", "sex": "m"}
    body |= {"birth_year": BIRTH_YEAR, "pii": record.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(record,)))
    program = story.program(category="social_protection")
    fund(story, program)
    benefit = new_id()
    proposed = {"benefit_id": benefit, "program_id": program, "person_id": head}
    proposed |= {"amount": 540_000, "start": "2022-01", "basis": DISABILITY}
    story.submit(story.o.sub("registrar", "benefit.proposed", proposed))
    approved = {"benefit_id": benefit, "decision": {"number": "31/QĐ-UBND", "date": "2022-01-05"}}
    story.submit(story.o.sub("approver", "benefit.approved", approved))
    for month in ("2022-01", "2022-02"):
        pay(story, benefit, head, month=month, amount=540_000)
    story.submit(story.o.sub("registrar", "person.died", {"person_id": head, "date": DIED_ON}))
    pay(story, benefit, head, month="2022-04", amount=540_000)  # after his death
    return Village(hid, head, benefit)


def anonymous_reads(v: Village) -> list[str]:
    return [
        "/v1/households",
        "/v1/households?on=2022-02-28",
        "/v1/beneficiaries?on=2022-02-28",
        "/v1/payroll?month=2022-04",
        "/v1/payroll?month=2022-04&format=csv",
        "/v1/reports/reconciliation?from=2022-01&to=2022-04",
        "/v1/reports/reconciliation?from=2022-01&to=2022-04&format=csv",
        f"/v1/entities/{v.head}/history",
        f"/v1/entities/{v.household}/history",
        f"/v1/entities/{v.benefit}/history",
        "/lists.json?on=2022-02-28",
        "/totals.json",
        "/?on=2022-02-28",
        "/lists?on=2022-02-28",
        "/print/lists?on=2022-02-28",
        "/totals",
        "/checkpoints",
    ]


def keys_and_numbers(value: Any) -> tuple[set[str], set[int]]:
    """Every key and every integer anywhere in a JSON document."""
    keys: set[str] = set()
    numbers: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            keys |= set(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            numbers.add(item)
    return keys, numbers


def text_of(response: Any) -> str:
    if response.headers["content-type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.text


def test_no_anonymous_read_carries_a_persons_attributes(client: Any, village: Village) -> None:
    for url in anonymous_reads(village):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        text = text_of(response)
        assert [s for s in SECRETS if s in text] == [], url
        if response.headers["content-type"].startswith("application/json"):
            keys, numbers = keys_and_numbers(response.json())
            assert keys & PERSON_KEYS == set(), url
            assert BIRTH_YEAR not in numbers and INCOME not in numbers, url
    listed = client.get("/v1/beneficiaries?on=2022-02-28").json()["beneficiaries"]
    assert [(b["full_name"], b["village"], b["category"], b["amount"]) for b in listed] == [
        (NAME, "Bản Huổi", "social_protection", 540_000)  # what the rule lets a list show
    ]


def test_a_signed_in_inspector_reading_the_same_finds_every_one(
    client: Any, village: Village, officers: Any
) -> None:
    headers = bearer(sign_in(client, officers.keys["inspector"]))
    found = " ".join(text_of(client.get(url, headers=headers)) for url in anonymous_reads(village))
    assert [s for s in SECRETS if s not in found] == []
    doc = client.get("/v1/households", headers=headers).json()
    (household,) = [h for h in doc["households"] if h["household_id"] == village.household]
    (head,) = household["members"]
    assert (head["sex"], head["birth_year"], head["died_on"]) == ("m", BIRTH_YEAR, DIED_ON)


def test_the_registry_shows_an_anonymous_reader_members_by_id_and_relation_only(
    client: Any, village: Village
) -> None:
    doc = client.get("/v1/households").json()
    (household,) = [h for h in doc["households"] if h["household_id"] == village.household]
    assert household["members"] == [{"person_id": village.head, "relation": "head"}]
    assert (household["village"], household["status"]) == ("Bản Huổi", "poor")
    assert doc["disclosed"] == []


def test_a_history_names_the_fields_it_withholds_from_an_anonymous_reader(
    client: Any, village: Village, officers: Any
) -> None:
    entries = client.get(f"/v1/entities/{village.head}/history").json()["entries"]
    by_type = {e["type"]: e for e in entries}
    registered, died = by_type["person.registered"], by_type["person.died"]
    assert registered["withheld"] == ["sex", "birth_year"]
    assert set(registered["body"]) == {"person_id", "household_id", "relation", "pii"}
    assert died["withheld"] == ["date"] and died["body"] == {"person_id": village.head}
    assert "withheld" not in by_type["payment.recorded"]  # nothing to withhold there
    proposed = client.get(f"/v1/entities/{village.benefit}/history").json()["entries"][0]
    assert proposed["withheld"] == ["basis"] and proposed["body"]["amount"] == 540_000
    headers = bearer(sign_in(client, officers.keys["cashier"]))
    whole = client.get(f"/v1/entities/{village.head}/history", headers=headers).json()
    died_whole = next(e for e in whole["entries"] if e["type"] == "person.died")
    assert died_whole["body"]["date"] == DIED_ON and "withheld" not in died_whole


def test_reconciliation_flags_a_payment_after_death_without_dating_it_anonymously(
    client: Any, village: Village, officers: Any
) -> None:
    url = "/v1/reports/reconciliation?from=2022-01&to=2022-04"
    public = client.get(url).json()
    (after,) = [a for a in public["anomalies"] if a["code"] == "PAID_AFTER_DEATH"]
    assert public["masked"] is True
    assert (after["benefit_id"], after["month"]) == (village.benefit, "2022-04")
    assert after["detail"] == "paid after a death; the date is shown to signed-in officers"
    signed = client.get(url, headers=bearer(sign_in(client, officers.keys["cashier"]))).json()
    (dated,) = [a for a in signed["anomalies"] if a["code"] == "PAID_AFTER_DEATH"]
    assert signed["masked"] is False and "died in 2022-03" in dated["detail"]
