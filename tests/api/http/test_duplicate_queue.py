"""``GET /v1/duplicates``: the queue of ``ansinh report duplicates``, for roles that see
names; each pair with its decision once an approver signs identity.reviewed."""

from __future__ import annotations

from typing import Any

from tests.api.http.commune import get, ok
from tests.api.http.test_auth import error
from tests.conftest import Officers, Story
from tests.support.drafts import Draft, adopted


def test_the_queue_lists_suspected_pairs_with_names_and_decisions(
    client: Any, story: Story, officers: Officers
) -> None:
    household = story.household()
    first, later = story.person(household), story.person(household)  # the same national id
    doc = ok(get(client, "/v1/duplicates", "registrar", officers))
    (pair,) = doc["pairs"]
    assert (pair["first_person_id"], pair["person_id"]) == (first, later)
    assert pair["why"] == "national_id" and pair["decision"] is None
    assert pair["name"] == pair["first_name"] == "Lò Thị Xuân"
    assert "000000000001" not in str(doc)  # the national id itself is never shown
    assert doc["to_review"] == 1
    story.submit(adopted(story).sub(officers))
    review = {
        "person_id": first,
        "other_person_id": later,
        "outcome": "different_people",
        "basis": "Đối chiếu căn cước",
    }
    story.submit(Draft("approver", "identity.reviewed", review).sub(officers))
    doc = ok(get(client, "/v1/duplicates", "approver", officers))
    assert doc["pairs"][0]["decision"] == "different_people" and doc["to_review"] == 0


def test_the_queue_needs_a_role_that_sees_names(client: Any, story: Story) -> None:
    assert error(client.get("/v1/duplicates"), 401)[0] == "UNAUTHENTICATED"
