"""`GET /v1/duplicates`: the queue of suspected duplicate identities, for officers who may
see national ids, with each pair's decision (docs/formats.md 10.3)."""

from __future__ import annotations

from typing import Any

from tests.api.http.commune import HEAD_NAME, Commune, get, ok, person
from tests.api.http.test_auth import error
from tests.conftest import Officers, Story
from tests.support.drafts import adopted


def _namesake(story: Story) -> str:
    """Someone of the head's name and birth year, in another household of her village."""
    return person(story, story.household("Bản Huổi"), HEAD_NAME, "014150000999")


def test_a_namesake_in_the_same_village_is_queued_until_an_approver_decides(
    client: Any, story: Story, commune: Commune, officers: Officers
) -> None:
    twin = _namesake(story)
    doc = ok(get(client, "/v1/duplicates", "approver", officers))
    (pair,) = doc["pairs"]
    assert (pair["person"]["person_id"], pair["first"]["person_id"]) == (twin, commune.head)
    assert pair["why"] == "name" and pair["decision"] is None
    assert pair["person"]["full_name"] == pair["first"]["full_name"] == HEAD_NAME
    assert pair["first"]["birth_year"] == 1950 and pair["first"]["village"] == "Bản Huổi"
    assert pair["first"]["code"] and pair["person"]["code"] != pair["first"]["code"]
    assert (doc["to_review"], doc["decidable"], doc["formats"]) == (1, False, "1.1")

    story.submit(adopted(story).sub(story.o))
    body = {
        "person_id": twin,
        "other_person_id": commune.head,
        "outcome": "different_people",
        "basis": "Khác cha mẹ, khác số định danh",
    }
    story.submit(story.o.sub("approver", "identity.reviewed", body))
    doc = ok(get(client, "/v1/duplicates", "registrar", officers))
    assert [p["decision"] for p in doc["pairs"]] == ["different_people"]
    assert (doc["to_review"], doc["decidable"]) == (0, True)


def test_the_queue_is_refused_to_readers_who_may_not_see_national_ids(
    client: Any, story: Story, commune: Commune, officers: Officers
) -> None:
    _namesake(story)
    assert error(client.get("/v1/duplicates"), 401)[0] == "UNAUTHENTICATED"
    code, message = error(get(client, "/v1/duplicates", "cashier", officers), 403)
    assert code == "ROLE_NOT_ALLOWED" and "cashier" in message
