"""The read endpoints: what each shows to whom, on which date, as of which entry.

The registry and the approved lists here; the payroll, reconciliation, the
vault and histories in :mod:`tests.api.http.test_reports`. Both read the
small commune of :mod:`tests.api.http.commune`.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from ledger.tlog.merkle_log import MerkleLog
from tests.api.http.commune import (
    AMOUNT,
    HEAD_ID,
    HEAD_NAME,
    OTHER_ID,
    SON_ID,
    SON_NAME,
    XLSX,
    Commune,
    get,
    members_of,
    ok,
)
from tests.api.http.test_auth import error
from tests.conftest import Officers, Story


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
        ("/v1/payroll?month=2022-01&format=odt", "format"),
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
        "/v1/inspect/log",
        "/v1/inspect/evidence",
        "/v1/inspect/diff",
        "/v1/inspect/check-list",
    ):
        assert path in paths, path
    report = paths["/v1/reports/reconciliation"]["get"]["responses"]
    assert set(report["200"]["content"]) == {
        "application/json",
        "text/csv",
        XLSX,
        "application/pdf",
    }
    assert report["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ReconciliationOut"
    )
    assert {"400", "401", "403"} <= set(report)
    assert "410" in paths["/v1/vault/{person_id}"]["get"]["responses"]
