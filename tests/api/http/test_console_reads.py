"""The officer console's reads: programs, the proposals waiting, benefits, the pickers' search."""

from __future__ import annotations

from typing import Any

from api.http.console import folded
from tests.api.http.commune import HEAD_NAME, OTHER_NAME, SON_NAME, Commune, get, ok
from tests.api.http.test_auth import error
from tests.conftest import Officers, Story, new_id
from tests.support.drafts import proposal


def waiting_benefit(story: Story, commune: Commune, who: str = "registrar") -> str:
    benefit_id = new_id()
    body = {"benefit_id": benefit_id, "program_id": commune.program, "person_id": commune.son}
    body |= {"amount": 500_000, "start": "2022-02", "basis": "Người khuyết tật nặng"}
    story.submit(story.o.sub(who, "benefit.proposed", body))
    return benefit_id


def test_programs_are_listed_to_anyone(client: Any, commune: Commune) -> None:
    found = ok(client.get("/v1/programs"))
    assert [p["program_id"] for p in found["programs"]] == [commune.program]
    assert found["programs"][0]["kind"] == "monthly"
    assert found["as_of"]["entries"] > 0


def test_proposals_need_a_signed_in_officer(client: Any, commune: Commune) -> None:
    assert error(client.get("/v1/proposals"), 401)[0] == "UNAUTHENTICATED"


def test_proposals_list_only_what_waits_for_a_decision(
    client: Any, story: Story, commune: Commune, officers: Officers
) -> None:
    pending_status = proposal(story, commune.other)
    pending_benefit = waiting_benefit(story, commune)
    found = ok(get(client, "/v1/proposals", "approver", officers))["proposals"]
    assert [p["id"] for p in found] == [pending_status, pending_benefit]  # oldest first
    status, benefit = found
    assert status["kind"] == "household_status"
    assert status["household"]["household_id"] == commune.other
    assert status["basis"] == {"income_per_capita_month": 1_200_000, "deprivation_count": 2}
    assert status["proposed_by"] == {"holder_id": "staff-registrar", "name": "Cán bộ registrar"}
    assert status["beneficiary"] == {"person_id": commune.neighbour, "full_name": OTHER_NAME}
    assert benefit["beneficiary"] == {"person_id": commune.son, "full_name": SON_NAME}
    assert benefit["household"]["household_id"] == commune.poor
    assert (benefit["amount"], benefit["start"], benefit["basis"]) == (
        500_000,
        "2022-02",
        "Người khuyết tật nặng",
    )
    assert benefit["history"] == f"/v1/entities/{pending_benefit}/history"
    assert not status["own"] and not benefit["own"]


def test_the_proposers_own_proposals_are_marked_own(
    client: Any, story: Story, commune: Commune, officers: Officers
) -> None:
    waiting_benefit(story, commune)
    found = ok(get(client, "/v1/proposals", "registrar", officers))["proposals"]
    assert [p["own"] for p in found] == [True]


def test_a_decided_proposal_leaves_the_queue(
    client: Any, story: Story, commune: Commune, officers: Officers
) -> None:
    benefit_id = waiting_benefit(story, commune)
    decision = {"number": "21/QĐ-UBND", "date": "2022-02-03"}
    approval = {"benefit_id": benefit_id, "decision": decision}
    story.submit(story.o.sub("approver", "benefit.approved", approval))
    assert ok(get(client, "/v1/proposals", "approver", officers))["proposals"] == []


def test_benefits_are_chosen_by_state_and_village(
    client: Any, story: Story, commune: Commune, officers: Officers
) -> None:
    pending = waiting_benefit(story, commune)
    every = ok(get(client, "/v1/benefits", "cashier", officers))["benefits"]
    assert [b["benefit_id"] for b in every] == [commune.benefit, pending]
    approved = ok(get(client, "/v1/benefits?state=approved", "cashier", officers))["benefits"]
    assert [b["benefit_id"] for b in approved] == [commune.benefit]
    assert approved[0]["beneficiary"]["full_name"] == HEAD_NAME
    assert approved[0]["decision_number"] == "15/QĐ-UBND"
    elsewhere = ok(get(client, "/v1/benefits?village=Bản Mé", "cashier", officers))
    assert elsewhere["benefits"] == []
    mine = ok(get(client, f"/v1/benefits?household={commune.poor}", "cashier", officers))
    assert len(mine["benefits"]) == 2


def test_search_finds_households_by_a_members_name_without_diacritics(
    client: Any, commune: Commune, officers: Officers
) -> None:
    found = ok(get(client, "/v1/search?q=quang van", "registrar", officers))
    assert [h["household_id"] for h in found["households"]] == [commune.other]
    assert found["households"][0]["members"][0]["full_name"] == OTHER_NAME
    assert found["villages"] == ["Bản Huổi", "Bản Mé"]
    assert found["more"] is False


def test_search_finds_households_by_code_and_village(
    client: Any, commune: Commune, officers: Officers
) -> None:
    registry = ok(get(client, "/v1/households", "registrar", officers))["households"]
    poor_code = next(h["code"] for h in registry if h["household_id"] == commune.poor)
    by_code = ok(get(client, f"/v1/search?q={poor_code.lower()}", "registrar", officers))
    assert [h["household_id"] for h in by_code["households"]] == [commune.poor]
    by_village = ok(get(client, "/v1/search?q=ban hu", "registrar", officers))
    assert [h["household_id"] for h in by_village["households"]] == [commune.poor]
    chosen = ok(get(client, "/v1/search?village=Bản Mé", "registrar", officers))
    assert [h["household_id"] for h in chosen["households"]] == [commune.other]


def test_search_needs_a_signed_in_officer(client: Any, commune: Commune) -> None:
    assert error(client.get("/v1/search?q=lo"), 401)[0] == "UNAUTHENTICATED"


def test_folding_ignores_case_and_vietnamese_marks() -> None:
    assert folded("Lò Thị Xuân ĐIỆN") == "lo thi xuan dien"
