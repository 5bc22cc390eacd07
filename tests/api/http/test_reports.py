"""The reports and records behind sign-in: the payroll, reconciliation, the vault and
an entity's history, each shown by the reader's roles (the small commune of
:mod:`tests.api.http.commune`)."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from ledger.formats.vault import commitment
from projections.query import snapshot
from projections.reports.reconciliation import reconcile
from tests.api.http.commune import (
    AMOUNT,
    HEAD_ID,
    HEAD_NAME,
    SON_NAME,
    XLSX,
    Commune,
    get,
    ok,
    person,
)
from tests.api.http.test_auth import bearer, error, revoke, sign_in
from tests.conftest import Officers, Story, new_id


# -- the payroll ------------------------------------------------------------------------------
@pytest.mark.parametrize("who", [None, "registrar"])
def test_the_payroll_is_masked_without_a_role_that_may_see_it(
    client: Any, officers: Officers, commune: Commune, who: str | None
) -> None:
    response = get(client, "/v1/payroll?month=2022-01", who, officers)
    doc = ok(response)
    assert doc["masked"] is True
    (row,) = doc["rows"]
    assert (row["household_code"], row["due"], row["paid"], row["status"]) == (
        f"CE-{commune.poor[:6]}",
        AMOUNT,
        AMOUNT,
        "paid",
    )
    assert not {"name", "person_id", "recipients"} & row.keys()
    for secret in (HEAD_NAME, SON_NAME, commune.head, commune.son):
        assert secret not in response.text


@pytest.mark.parametrize("who", ["cashier", "approver", "inspector"])
def test_the_payroll_shows_names_and_recipients_to_who_may_see_them(
    client: Any, officers: Officers, commune: Commune, who: str
) -> None:
    doc = ok(get(client, "/v1/payroll?month=2022-01", who, officers))
    assert doc["masked"] is False
    (row,) = doc["rows"]
    assert (row["person_id"], row["name"]) == (commune.head, HEAD_NAME)
    assert row["recipients"] == [{"person_id": commune.son, "full_name": SON_NAME}]
    assert row["payment_ids"] == [commune.payment]


def test_a_bad_token_on_the_payroll_is_refused_not_read_as_anonymous(
    client: Any, commune: Commune
) -> None:
    response = client.get("/v1/payroll?month=2022-01", headers=bearer("expired-or-made-up"))
    assert error(response, 401)[0] == "INVALID_TOKEN"
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_the_payroll_downloads_as_csv(client: Any, officers: Officers, commune: Commune) -> None:
    response = get(client, "/v1/payroll?month=2022-01&format=csv&lang=en", "cashier", officers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="chi-tra-2022-01.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert "Due (VND)" in rows[0] and HEAD_NAME in rows[1]


# -- reconciliation ------------------------------------------------------------------------------
def test_reconciliation_answers_the_report_contract(
    client: Any, story: Story, commune: Commune
) -> None:
    doc = ok(client.get("/v1/reports/reconciliation?from=2022-01&to=2022-03&on=2022-03-31"))
    expected = reconcile(snapshot(story.app), "2022-01", "2022-03", "2022-03-31")
    for key in ("period", "programs", "totals", "funds", "anomalies", "identities_checked"):
        assert doc[key] == expected[key], key
    assert doc["period"] == {"from": "2022-01", "to": "2022-03", "on": "2022-03-31"}
    assert doc["identities_checked"] is False
    unpaid = [a["month"] for a in doc["anomalies"] if a["code"] == "UNPAID_ENTITLEMENT"]
    assert unpaid == ["2022-02", "2022-03"]


def test_reconciliation_downloads_as_csv_and_xlsx(client: Any, commune: Commune) -> None:
    url = "/v1/reports/reconciliation?from=2022-01&to=2022-02"
    response = client.get(url + "&format=csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="doi-soat-2022-01-2022-02.csv"' in response.headers["content-disposition"]
    assert response.headers["X-Ansinh-Log-Size"]
    assert "Chương trình" in response.text and "Mức hưởng (đ)" in response.text
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    english = client.get(url + "&format=csv&lang=en").text
    assert "Entitled (VND)" in english and "Received (VND)" not in english  # one table
    funds = client.get(url + "&format=csv&lang=en&table=funds")
    assert 'filename="doi-soat-2022-01-2022-02-funds.csv"' in funds.headers["content-disposition"]
    assert funds.text.lstrip("\ufeff").startswith("Program code,Program,Received (VND)")
    code, message = error(client.get(url + "&format=csv&table=nope"), 400)
    assert code == "INVALID_FIELD" and "table" in message and "villages" in message
    response = client.get(url + "&format=xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert 'filename="doi-soat-2022-01-2022-02.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chương trình", "Theo thôn, bản", "Sai phạm, bất thường"]


def test_duplicate_national_ids_are_looked_for_only_for_officers_who_may_see_them(
    client: Any, story: Story, officers: Officers, commune: Commune
) -> None:
    twin = person(story, commune.other, "Lò Thị Xuân", HEAD_ID, relation="member")
    url = "/v1/reports/reconciliation?from=2022-01&to=2022-01"
    public = ok(client.get(url))
    assert public["identities_checked"] is False
    assert "DUPLICATE_IDENTITY" not in [a["code"] for a in public["anomalies"]]
    for who in ("inspector", "registrar"):
        doc = ok(get(client, url, who, officers))
        assert doc["identities_checked"] is True
        (dup,) = [a for a in doc["anomalies"] if a["code"] == "DUPLICATE_IDENTITY"]
        assert dup["person_id"] == twin and HEAD_ID not in dup["detail"]
    assert ok(get(client, url, "cashier", officers))["identities_checked"] is False


# -- the vault -------------------------------------------------------------------------------
def test_the_vault_shows_a_record_that_opens_its_commitment(
    client: Any, officers: Officers, commune: Commune
) -> None:
    doc = ok(get(client, f"/v1/vault/{commune.head}", "registrar", officers))
    assert doc["record"] == {"full_name": HEAD_NAME, "national_id": HEAD_ID}
    assert doc["household_id"] == commune.poor
    assert commitment(base64.b64decode(doc["salt"]), doc["record"]) == doc["commitment"]


def test_the_vault_needs_a_role_that_sees_national_ids(
    client: Any, officers: Officers, commune: Commune
) -> None:
    url = f"/v1/vault/{commune.head}"
    response = client.get(url)
    assert error(response, 401)[0] == "UNAUTHENTICATED"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    code, message = error(get(client, url, "cashier", officers), 403)
    assert code == "ROLE_NOT_ALLOWED" and "cashier" in message


def test_the_vault_answers_unknown_and_erased_people(
    client: Any, story: Story, officers: Officers, commune: Commune
) -> None:
    token = bearer(sign_in(client, officers.keys["inspector"]))
    code, message = error(client.get(f"/v1/vault/{new_id()}", headers=token), 404)
    assert code == "UNKNOWN_ENTITY" and message.startswith("person_id:")
    story.app.erase_vault(commune.son)
    assert error(client.get(f"/v1/vault/{commune.son}", headers=token), 410)[0] == "ERASED"
    assert client.get(f"/v1/vault/{commune.head}", headers=token).status_code == 200


def test_a_revoked_officer_no_longer_reads_the_vault(
    client: Any, story: Story, officers: Officers, commune: Commune
) -> None:
    token = bearer(sign_in(client, officers.keys["inspector"]))
    assert client.get(f"/v1/vault/{commune.head}", headers=token).status_code == 200
    revoke(story, "inspector")
    assert error(client.get(f"/v1/vault/{commune.head}", headers=token), 403)[0] == "KEY_REVOKED"


# -- histories --------------------------------------------------------------------------------
def test_an_entitys_history_lists_every_statement_naming_it(client: Any, commune: Commune) -> None:
    response = client.get(f"/v1/entities/{commune.benefit}/history")
    doc = ok(response)
    assert [e["type"] for e in doc["entries"]] == [
        "benefit.proposed",
        "benefit.approved",
        "payment.recorded",
    ]
    assert doc["entries"][1]["index"] == commune.approved_at
    assert doc["entries"][1]["by"] == "staff-approver"
    assert HEAD_NAME not in response.text and HEAD_ID not in response.text
    early = ok(client.get(f"/v1/entities/{commune.benefit}/history?as_of={commune.approved_at}"))
    assert [e["type"] for e in early["entries"]] == ["benefit.proposed"]


def test_an_unknown_entity_has_no_history(client: Any, commune: Commune) -> None:
    code, message = error(client.get(f"/v1/entities/{new_id()}/history"), 404)
    assert code == "UNKNOWN_ENTITY" and message.startswith("entity_id:")
    code, _ = error(client.get(f"/v1/entities/{commune.payment}/history?as_of=3"), 404)
    assert code == "UNKNOWN_ENTITY"
