"""``GET /v1/reviews``: the review rounds as the console's pickers read them (11.4)."""

from __future__ import annotations

from typing import Any

from tests.api.http.commune import get, ok
from tests.api.http.test_auth import error
from tests.conftest import Officers, Story
from tests.support.drafts import Draft
from tests.support.steps import reviews as r


def test_the_review_rounds_need_a_signed_in_officer(client: Any, story: Story) -> None:
    assert error(client.get("/v1/reviews"), 401)[0] == "UNAUTHENTICATED"


def test_rounds_meetings_assessments_and_objections_are_listed(
    client: Any, story: Story, officers: Officers
) -> None:
    assessed = r.posted_assessment(story)
    lodged: Draft = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    story.submit(r.answer(lodged, outcome="upheld").sub(story.o))
    found = ok(get(client, "/v1/reviews", "registrar", officers))
    (round_,) = found["rounds"]
    assert round_ == {
        "round_id": assessed.body["round_id"],
        "kind": "periodic",
        "start": "2024-09-01",
        "end": "2024-12-14",
    }
    (meeting,) = found["meetings"]
    assert (meeting["village"], meeting["date"], meeting["present"]) == (
        r.VILLAGE,
        "2024-10-10",
        40,
    )
    (assessment,) = found["assessments"]
    assert assessment["assessment_id"] == assessed.body["assessment_id"]
    assert assessment["household"]["household_id"] == assessed.body["household_id"]
    assert assessment["household"]["village"] == r.VILLAGE
    assert (assessment["result"], assessment["recognized"]) == ("poor", False)
    (objection,) = found["objections"]
    assert (objection["objection_id"], objection["outcome"]) == (
        lodged.body["objection_id"],
        "upheld",
    )
    story.submit(r.recognition(assessed).sub(story.o))
    again = ok(get(client, "/v1/reviews", "approver", officers))
    assert again["assessments"][0]["recognized"] is True
