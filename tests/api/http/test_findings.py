"""Findings over HTTP (`/v1/reports/reconciliation`) and histories by household or person
code (`/v1/entities/{code}/history`), each shown by the reader's roles."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from projections.query import snapshot
from tests.api.http.commune import AMOUNT, HEAD_ID, HEAD_NAME, Commune, get, ok
from tests.api.http.test_auth import error
from tests.conftest import Officers, Story
from tests.projections.verbs import died, pay

URL = "/v1/reports/reconciliation?from=2022-01&to=2022-02"


@pytest.fixture
def after_death(story: Story, commune: Commune) -> str:
    """The head died in January; February paid anyway. The household's code."""
    died(story, commune.head, "2022-01-20")
    pay(story, commune.benefit, commune.son, month="2022-02", paid_on="2022-02-10")
    return snapshot(story.app).households[commune.poor].code


def _death(doc: dict[str, Any]) -> dict[str, Any]:
    (found,) = [a for a in doc["anomalies"] if a["code"] == "PAID_AFTER_DEATH"]
    return found


def test_a_finding_names_the_household_amounts_and_evidence(
    client: Any, story: Story, commune: Commune, officers: Officers, after_death: str
) -> None:
    found = _death(ok(get(client, URL, "inspector", officers)))
    assert found["household_code"] == after_death and found["village"] == "Bản Huổi"
    assert found["person_code"] == f"{after_death}/1" and found["months"] == ["2022-02"]
    assert (found["expected"], found["paid"], found["difference"]) == (0, AMOUNT, AMOUNT)
    assert found["detail_vi"] == "Chi cho tháng 02/2022 sau khi đối tượng mất (01/2022)"
    died_at = snapshot(story.app).people[commune.head].died_index
    assert died_at in found["evidence"] and len(found["finding_id"]) == 12
    assert found["name"] == HEAD_NAME


def test_anonymously_a_finding_gives_neither_the_death_date_nor_its_entry_nor_a_name(
    client: Any, story: Story, commune: Commune, after_death: str
) -> None:
    doc = ok(client.get(URL))
    found = _death(doc)
    assert doc["masked"] is True and "01/2022" not in found["detail_vi"]
    assert "2022-01" not in found["detail"]
    died_at = snapshot(story.app).people[commune.head].died_index
    assert died_at not in found["evidence"] and found["evidence"]
    assert all("name" not in a for a in doc["anomalies"])


def test_the_csv_shows_the_finding_in_the_language_asked_with_commands_to_check(
    client: Any, commune: Commune, officers: Officers, after_death: str
) -> None:
    for lang, title, detail, verify in (
        ("vi", "Sai phạm, bất thường", "Chi tiết", "Kiểm chứng"),
        ("en", "Anomalies", "Detail", "Verify"),
    ):
        text = get(client, f"{URL}&format=csv&lang={lang}", "inspector", officers).text
        rows = list(csv.reader(io.StringIO(text)))
        heading, *found = rows[rows.index([title]) + 1 :]
        death = dict(zip(heading, found[0], strict=True))
        assert death[verify].startswith(f"ansinh history {after_death}/1\n")
        assert ("sau khi đối tượng mất" if lang == "vi" else "died in") in death[detail]


def test_history_by_household_code_lists_its_statements_and_members(
    client: Any, commune: Commune, after_death: str
) -> None:
    doc = ok(client.get(f"/v1/entities/{after_death}/history"))
    assert (doc["code"], doc["kind"], doc["entity_id"]) == (after_death, "household", commune.poor)
    types = [e["type"] for e in doc["entries"]]
    assert types[:3] == ["household.registered", "person.registered", "person.registered"]
    assert "household.status.approved" in types  # its rating's decision, by its proposal
    assert [(m["person_code"], m["person_id"]) for m in doc["members"]] == [
        (f"{after_death}/1", commune.head),
        (f"{after_death}/2", commune.son),
    ]
    assert doc["members"][0]["died"] is True


def test_history_by_person_code_lists_their_benefit_and_payments(
    client: Any, commune: Commune, after_death: str
) -> None:
    doc = ok(client.get(f"/v1/entities/{after_death}%2F1/history"))
    assert (doc["kind"], doc["entity_id"]) == ("person", commune.head)
    types = [e["type"] for e in doc["entries"]]
    assert types[:3] == ["person.registered", "benefit.proposed", "benefit.approved"]
    assert types.count("payment.recorded") == 2 and "person.died" in types
    assert all(e["type"] != "person.died" or "withheld" in e for e in doc["entries"])


def test_history_by_national_id_only_for_roles_that_see_them(
    client: Any, commune: Commune, officers: Officers
) -> None:
    doc = ok(get(client, f"/v1/entities/{HEAD_ID}/history", "inspector", officers))
    assert doc["entity_id"] == commune.head
    code, message = error(client.get(f"/v1/entities/{HEAD_ID}/history"), 404)
    assert code == "UNKNOWN_ENTITY" and message.startswith("entity_id:")


def test_a_code_that_names_nothing_is_404_naming_the_argument(
    client: Any, commune: Commune
) -> None:
    code, message = error(client.get("/v1/entities/CE-99-999/history"), 404)
    assert code == "UNKNOWN_ENTITY" and message.startswith("entity_id:") and "CE-99-999" in message
