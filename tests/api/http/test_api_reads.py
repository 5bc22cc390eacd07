"""The read endpoints: what each shows to whom, on which date, as of which entry.

A small commune: a poor household in Bản Huổi whose head holds an approved
allowance paid in January (to her son, of the same household), a household
in Bản Mé with no benefit. Names and national ids are generated, and live in
the vault only.
"""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass
from typing import Any

import pytest
from openpyxl import load_workbook

from ledger.storage.vault import VaultRecord, commitment
from ledger.tlog.merkle_log import MerkleLog
from projections.query import snapshot
from projections.reports.reconciliation import reconcile
from tests.api.http.test_api_auth import bearer, error, revoke, sign_in
from tests.conftest import Officers, Story, new_id
from tests.projections.test_reconciliation import fund, pay, set_status

AMOUNT = 1_624_000
HEAD_NAME, HEAD_ID = "Lò Thị Xuân", "014150000101"
SON_NAME, SON_ID = "Lò Văn Thắng", "014180000102"
OTHER_NAME, OTHER_ID = "Quàng Văn Bình", "014160000103"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def person(
    story: Story, household_id: str, name: str, national_id: str, relation: str = "head"
) -> str:
    pid = new_id()
    record = VaultRecord.new(pid, {"full_name": name, "national_id": national_id})
    body: dict[str, Any] = {"person_id": pid, "household_id": household_id, "relation": relation}
    body |= {"sex": "f", "birth_year": 1950, "pii": record.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(record,)))
    return pid


@dataclass
class Commune:
    poor: str  # household ids
    other: str
    head: str  # person ids
    son: str
    neighbour: str
    program: str
    benefit: str
    payment: str
    approved_at: int  # the entry that approved the benefit


@pytest.fixture
def commune(story: Story) -> Commune:
    poor, other = story.household("Bản Huổi"), story.household("Bản Mé")
    head = person(story, poor, HEAD_NAME, HEAD_ID)
    son = person(story, poor, SON_NAME, SON_ID, relation="member")
    neighbour = person(story, other, OTHER_NAME, OTHER_ID)
    set_status(story, poor, "poor", "2022-01-01")
    program = story.program()
    fund(story, program)
    benefit = new_id()
    body = {"benefit_id": benefit, "program_id": program, "person_id": head, "amount": AMOUNT}
    story.submit(
        story.o.sub(
            "registrar", "benefit.proposed", body | {"start": "2022-01", "basis": "Thương binh"}
        )
    )
    decision = {"number": "15/QĐ-UBND", "date": "2022-01-06"}
    approved = story.submit(
        story.o.sub("approver", "benefit.approved", {"benefit_id": benefit, "decision": decision})
    )
    payment = pay(story, benefit, son)
    return Commune(poor, other, head, son, neighbour, program, benefit, payment, approved.index)


def get(client: Any, url: str, who: str | None = None, officers: Officers | None = None) -> Any:
    headers = bearer(sign_in(client, officers.keys[who])) if who and officers else {}
    return client.get(url, headers=headers)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def members_of(doc: dict[str, Any], household_id: str) -> list[dict[str, Any]]:
    return next(h for h in doc["households"] if h["household_id"] == household_id)["members"]


# -- what every read states -----------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/v1/households",
        "/v1/beneficiaries",
        "/v1/payroll?month=2022-01",
        "/v1/reports/reconciliation?from=2022-01&to=2022-01",
    ],
)
def test_every_read_states_the_log_state_it_was_computed_from(
    client: Any, service: Any, story: Story, commune: Commune, url: str
) -> None:
    size = story.app.size()
    service.sign_checkpoint()  # so that whether it is signed does not hang on timing
    response = client.get(url)
    doc = ok(response)
    assert doc["as_of"] == {"entries": size, "recorded_at": story.app.entry(size - 1).recorded_at}
    mlog = MerkleLog(story.app)
    mlog.catch_up()
    root = base64.b64encode(mlog.root(size)).decode()
    assert doc["checkpoint"]["tree_size"] == size and doc["checkpoint"]["root"] == root
    assert doc["checkpoint"]["signed"] is True
    assert doc["projection"] == {"position": size, "log_size": size, "behind": 0}
    assert response.headers["X-Ansinh-Log-Size"] == str(size)
    assert response.headers["X-Ansinh-Projection-Behind"] == "0"
    old = ok(client.get(url + ("&" if "?" in url else "?") + "as_of=6"))
    assert old["as_of"]["entries"] == 6 and old["checkpoint"]["tree_size"] == 6
    assert old["checkpoint"]["root"] == base64.b64encode(mlog.root(6)).decode()
    assert old["checkpoint"]["signed"] is (mlog.checkpoint_at(6) is not None)


# -- the registry ---------------------------------------------------------------------------------
def test_households_are_public_without_names_or_national_ids(client: Any, commune: Commune) -> None:
    response = client.get("/v1/households")
    doc = ok(response)
    assert doc["disclosed"] == []
    poor = next(h for h in doc["households"] if h["household_id"] == commune.poor)
    assert poor["village"] == "Bản Huổi" and poor["status"] == "poor"
    assert [m["person_id"] for m in poor["members"]] == [commune.head, commune.son]
    assert poor["members"][0] == {"person_id": commune.head, "relation": "head"}
    for secret in (HEAD_NAME, HEAD_ID, SON_NAME, OTHER_ID):
        assert secret not in response.text


def test_a_cashier_sees_names_in_the_registry_but_not_national_ids(
    client: Any, officers: Officers, commune: Commune
) -> None:
    response = get(client, "/v1/households", "cashier", officers)
    doc = ok(response)
    assert doc["disclosed"] == ["sex", "birth_year", "died_on", "full_name"]
    assert [m["full_name"] for m in members_of(doc, commune.poor)] == [HEAD_NAME, SON_NAME]
    assert HEAD_ID not in response.text and "national_id" not in response.text


@pytest.mark.parametrize("who", ["registrar", "approver", "inspector"])
def test_officers_who_may_see_national_ids_see_them_in_the_registry(
    client: Any, officers: Officers, commune: Commune, who: str
) -> None:
    doc = ok(get(client, "/v1/households", who, officers))
    assert doc["disclosed"] == ["sex", "birth_year", "died_on", "full_name", "national_id"]
    head = members_of(doc, commune.poor)[0]
    assert (head["full_name"], head["national_id"]) == (HEAD_NAME, HEAD_ID)
    assert (head["sex"], head["birth_year"], head["died_on"]) == ("f", 1950, None)


def test_an_erased_record_shows_as_null_in_the_registry(
    client: Any, story: Story, officers: Officers, commune: Commune
) -> None:
    assert story.app.erase_vault(commune.son) == 1
    doc = ok(get(client, "/v1/households", "inspector", officers))
    son = members_of(doc, commune.poor)[1]
    assert son["person_id"] == commune.son
    assert son["full_name"] is None and son["national_id"] is None
    assert members_of(doc, commune.poor)[0]["full_name"] == HEAD_NAME


def test_households_filter_by_village_and_status_on_a_date(client: Any, commune: Commune) -> None:
    def ids(query: str) -> list[str]:
        return [h["household_id"] for h in ok(client.get(f"/v1/households?{query}"))["households"]]

    assert ids("village=Bản Mé") == [commune.other]
    assert ids("status=poor") == [commune.poor]
    assert ids("status=none") == [commune.other]
    assert ids("status=poor&on=2021-12-31") == []  # the status took effect on 2022-01-01
    code, message = error(client.get("/v1/households?status=rich"), 400)
    assert code == "INVALID_FIELD" and message.startswith("status:")


def test_the_registry_as_of_an_entry_shows_only_who_was_registered_by_then(
    client: Any, story: Story, commune: Commune
) -> None:
    size = story.app.size()
    everyone = ok(client.get(f"/v1/households?as_of={size}"))
    assert len(members_of(everyone, commune.poor)) == 2
    for beyond in (str(size + 1), "9" * 30):  # past the log's end, or any log's
        code, message = error(client.get(f"/v1/households?as_of={beyond}"), 400)
        assert code == "INVALID_FIELD" and message.startswith("as_of:")
    history = ok(client.get(f"/v1/entities/{commune.son}/history"))["entries"]
    registered = history[0]["index"]
    before = ok(client.get(f"/v1/households?as_of={registered}"))
    assert [m["person_id"] for m in members_of(before, commune.poor)] == [commune.head]


# -- the approved lists ---------------------------------------------------------------------
def test_beneficiaries_carry_names_but_never_national_ids(client: Any, commune: Commune) -> None:
    response = client.get("/v1/beneficiaries")
    doc = ok(response)
    (listed,) = doc["households"]
    assert (listed["household_id"], listed["status"], listed["head_name"]) == (
        commune.poor,
        "poor",
        HEAD_NAME,
    )
    (row,) = doc["beneficiaries"]
    assert (row["benefit_id"], row["full_name"], row["amount"]) == (
        commune.benefit,
        HEAD_NAME,
        AMOUNT,
    )
    for secret in (HEAD_ID, SON_ID, "national_id", commune.head):
        assert secret not in response.text


def test_beneficiaries_filter_by_village_and_program(
    client: Any, story: Story, commune: Commune
) -> None:
    code = ok(client.get("/v1/beneficiaries"))["beneficiaries"][0]["program_code"]
    for query in (f"program={commune.program}", f"program={code}", "village=Bản Huổi"):
        assert len(ok(client.get(f"/v1/beneficiaries?{query}"))["beneficiaries"]) == 1, query
    for query in ("program=NO-SUCH", "village=Bản Mé"):
        assert ok(client.get(f"/v1/beneficiaries?{query}"))["beneficiaries"] == [], query


def test_a_benefit_approved_after_entry_n_is_absent_as_of_n(
    client: Any, story: Story, commune: Commune
) -> None:
    n = commune.approved_at
    assert ok(client.get(f"/v1/beneficiaries?as_of={n}"))["beneficiaries"] == []
    assert len(ok(client.get(f"/v1/beneficiaries?as_of={n + 1}"))["beneficiaries"]) == 1
    before = story.app.entry(n - 1).recorded_at
    doc = ok(client.get("/v1/beneficiaries", params={"as_of": before}))
    assert doc["as_of"]["entries"] == n and doc["beneficiaries"] == []


def test_beneficiaries_on_a_date_before_the_decision_are_absent(
    client: Any, commune: Commune
) -> None:
    assert ok(client.get("/v1/beneficiaries?on=2022-01-05"))["beneficiaries"] == []
    assert len(ok(client.get("/v1/beneficiaries?on=2022-01-06"))["beneficiaries"]) == 1


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
    english = client.get(url + "&format=csv&lang=en").text
    assert "Entitled (VND)" in english
    response = client.get(url + "&format=xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert 'filename="doi-soat-2022-01-2022-02.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Chương trình", "Kinh phí", "Sai phạm, bất thường"]


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


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/v1/households?on=2022-02-30", "on"),
        ("/v1/households?on=yesterday", "on"),
        ("/v1/beneficiaries?as_of=last-week", "as_of"),
        ("/v1/beneficiaries?on=2022-1-5", "on"),
        ("/v1/payroll?month=2022-13", "month"),
        ("/v1/payroll", "month"),
        ("/v1/payroll?month=2022-01&on=2022-01-32", "on"),
        ("/v1/payroll?month=2022-01&format=pdf", "format"),
        ("/v1/reports/reconciliation?from=2022-00&to=2022-01", "from"),
        ("/v1/reports/reconciliation?from=2022-01&to=22-02", "to"),
        ("/v1/reports/reconciliation?from=2022-03&to=2022-01", "from"),
        ("/v1/reports/reconciliation?from=2022-01", "to"),
        ("/v1/reports/reconciliation?from=2022-01&to=2022-02&lang=fr", "lang"),
        ("/v1/entities/x/history?as_of=-1", "as_of"),
        ("/v1/households?as_of=" + "2" * 41, "as_of"),
    ],
)
def test_bad_dates_months_and_options_are_refused_naming_the_field(
    client: Any, commune: Commune, url: str, field: str
) -> None:
    code, message = error(client.get(url), 400)
    assert code == "INVALID_FIELD" and message.startswith(f"{field}:"), message


def test_the_openapi_document_describes_the_reads_and_the_sign_in(client: Any) -> None:
    paths = ok(client.get("/openapi.json"))["paths"]
    for path in (
        "/v1/households",
        "/v1/beneficiaries",
        "/v1/payroll",
        "/v1/reports/reconciliation",
        "/v1/vault/{person_id}",
        "/v1/entities/{entity_id}/history",
        "/v1/auth/challenge",
        "/v1/auth/token",
    ):
        assert path in paths, path
    report = paths["/v1/reports/reconciliation"]["get"]["responses"]
    assert set(report["200"]["content"]) == {"application/json", "text/csv", XLSX}
    assert report["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ReconciliationOut"
    )
    assert {"400", "401", "403"} <= set(report)
    assert "410" in paths["/v1/vault/{person_id}"]["get"]["responses"]
