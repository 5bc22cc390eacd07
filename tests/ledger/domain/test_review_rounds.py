"""Poverty review rounds (docs/formats.md 11.4): each rule the ledger holds a round to.

A round of 2024 in Bản Huổi: the meeting on 10 October, the results posted
15 to 21 October, recognition on 5 November (``tests.support.steps.reviews``).
"""

from __future__ import annotations

import pytest

from ledger.formats.problems import body_problems
from projections import query
from projections.reports.entitlements import status_on
from projections.tables.replay import replay
from tests.conftest import Story
from tests.ledger.domain.refusals import refused
from tests.support.drafts import Draft, adopted_1_3
from tests.support.steps import reviews as r


def _refused(story: Story, draft: Draft, code: str, field: str) -> str:
    err = refused(story, draft.sub(story.o), code)
    assert err.field == field, err.message
    return err.message


def _submit(story: Story, draft: Draft) -> Draft:
    story.submit(draft.sub(story.o))
    return draft


def _id(draft: Draft, field: str = "assessment_id") -> str:
    return str(draft.body[field])


def test_review_types_are_refused_until_the_ledger_follows_1_3(story: Story) -> None:
    body = {
        "round_id": r.new_id(),
        "kind": "periodic",
        "from": "2024-09-01",
        "to": "2024-12-14",
        "plan": r.PLAN,
    }
    draft = Draft("approver", "review.opened", body)
    message = _refused(story, draft, "INVALID_FIELD", "type")
    assert "review.opened needs FORMATS 1.3" in message
    adopted_1_3(story)
    _submit(story, draft)


def test_a_periodic_round_runs_from_1_september_to_14_december(story: Story) -> None:
    message = _refused(
        story, r.round_opened(story, **{"from": "2024-08-15"}), "RULE_VIOLATION", "body.from"
    )
    assert "1 September" in message
    message = _refused(story, r.round_opened(story, to="2024-12-20"), "RULE_VIOLATION", "body.to")
    assert "2024-12-14" in message
    _submit(story, r.round_opened(story, kind="regular", **{"from": "2024-03-01"}, to="2024-03-31"))


def _malformed(draft: Draft) -> list[str]:
    return [f"{p.field}: {p.message}" for p in body_problems(draft.type, draft.body)]


def test_a_round_that_ends_before_it_starts_is_malformed(story: Story) -> None:
    draft = r.round_opened(story, to="2024-08-31")
    assert _malformed(draft) == ["body.to: body.to: must not be before from"]


@pytest.mark.parametrize(
    ("income", "deprivations", "result"),
    [
        (1_500_000, ["nutrition", "sanitation", "telecom_use"], "poor"),
        (1_500_000, ["nutrition", "sanitation"], "near_poor"),
        (1_500_001, ["nutrition", "sanitation", "telecom_use"], "not_poor"),
        (900_000, None, "near_poor"),
    ],
)
def test_an_assessment_s_result_is_what_the_standard_gives_its_score(
    story: Story, income: int, deprivations: list[str] | None, result: str
) -> None:
    draft = r.assessment(story)
    draft.body.update(income_per_capita_month=income, result=result)
    if deprivations is None:
        del draft.body["deprivations"]
    else:
        draft.body["deprivations"] = deprivations
    wrong = {"poor": "near_poor", "near_poor": "poor", "not_poor": "poor"}[result]
    bad = Draft(draft.who, draft.type, {**draft.body, "result": wrong})
    message = _refused(story, bad, "RULE_VIOLATION", "body.result")
    assert f"is {result} by the standard" in message
    _submit(story, draft)


def test_the_urban_line_is_two_million_dong(story: Story) -> None:
    draft = r.assessment(story)
    draft.body.update(area="urban", income_per_capita_month=1_800_000)
    _submit(story, draft)


def test_an_assessment_names_a_known_round_and_household(story: Story) -> None:
    draft = r.assessment(story)
    _refused(
        story,
        Draft(draft.who, draft.type, {**draft.body, "round_id": r.new_id()}),
        "UNKNOWN_ENTITY",
        "body.round_id",
    )
    _refused(
        story,
        Draft(draft.who, draft.type, {**draft.body, "household_id": r.new_id()}),
        "UNKNOWN_ENTITY",
        "body.household_id",
    )


def test_a_village_meeting_is_held_within_its_round(story: Story) -> None:
    draft = r.meeting(story, r.open_round(story))
    draft.body["date"] = "2024-12-15"
    _refused(story, draft, "RULE_VIOLATION", "body.date")


def test_a_meeting_id_is_used_once_in_a_round(story: Story) -> None:
    round_id = r.open_round(story)
    first = _submit(story, r.meeting(story, round_id))
    again = r.meeting(story, round_id)
    again.body["meeting_id"] = first.body["meeting_id"]
    _refused(story, again, "DUPLICATE", "body.meeting_id")


def test_votes_for_an_assessment_of_another_round_are_refused(story: Story) -> None:
    assessed = r.assess(story)
    other_meeting = r.hold_meeting(story, r.open_round(story))
    message = _refused(
        story, r.vote(_id(assessed), other_meeting), "RULE_VIOLATION", "body.meeting_id"
    )
    assert "not a village meeting of the assessment's round" in message


def test_votes_at_another_village_s_meeting_are_refused(story: Story) -> None:
    assessed = r.assess(story)
    meeting_id = r.hold_meeting(story, _id(assessed, "round_id"), village="Bản Mé")
    message = _refused(
        story, r.vote(_id(assessed), meeting_id), "RULE_VIOLATION", "body.meeting_id"
    )
    assert "Bản Mé" in message


def test_more_agreeing_than_were_present_is_refused(story: Story) -> None:
    assessed = r.assess(story)
    meeting_id = r.hold_meeting(story, _id(assessed, "round_id"), present=20)
    _refused(story, r.vote(_id(assessed), meeting_id, agree=21), "RULE_VIOLATION", "body.agree")


def test_results_are_posted_only_after_the_village_meeting(story: Story) -> None:
    round_id = r.open_round(story)
    message = _refused(story, r.posting(story, round_id), "RULE_VIOLATION", "body.village")
    assert "no village meeting" in message
    r.hold_meeting(story, round_id)
    early = r.posting(story, round_id, window=("2024-10-09", "2024-10-20"))
    _refused(story, early, "RULE_VIOLATION", "body.from")


def test_a_posting_window_that_closes_before_it_opens_is_malformed(story: Story) -> None:
    round_id = r.open_round(story)
    r.hold_meeting(story, round_id)
    draft = r.posting(story, round_id, window=("2024-10-21", "2024-10-15"))
    assert _malformed(draft) == ["body.to: body.to: must not be before from"]


def test_an_objection_before_the_results_are_posted_is_refused(story: Story) -> None:
    assessed, _ = r.voted_assessment(story)
    message = _refused(story, r.objection(_id(assessed)), "RULE_VIOLATION", "body.lodged_on")
    assert "have not been posted" in message
    _submit(story, r.posting(story, _id(assessed, "round_id")))
    _refused(story, r.objection(_id(assessed), "2024-10-14"), "RULE_VIOLATION", "body.lodged_on")


def test_an_objection_after_the_window_closes_is_accepted_and_still_must_be_answered(
    story: Story,
) -> None:
    assessed = r.posted_assessment(story)
    late = _submit(story, r.objection(_id(assessed), "2024-10-28"))
    message = _refused(story, r.recognition(assessed), "RULE_VIOLATION", "body.assessment_id")
    assert f"objection {late.body['objection_id']} is unanswered" in message
    _submit(story, r.answer(late, answered_on="2024-10-30"))
    _submit(story, r.recognition(assessed))


def test_an_objection_is_answered_once_and_not_before_it_was_lodged(story: Story) -> None:
    lodged = _submit(story, r.objection(_id(r.posted_assessment(story))))
    _refused(
        story, r.answer(lodged, answered_on="2024-10-15"), "RULE_VIOLATION", "body.answered_on"
    )
    _submit(story, r.answer(lodged))
    _refused(story, r.answer(lodged, outcome="upheld"), "ALREADY_DECIDED", "body.objection_id")


def test_an_answer_names_an_objection_to_that_assessment(story: Story) -> None:
    lodged = r.objection(_id(r.posted_assessment(story)))
    _refused(story, r.answer(lodged), "UNKNOWN_ENTITY", "body.objection_id")


def test_recognition_refused_before_posting_window_closes(story: Story) -> None:
    assessed = r.posted_assessment(story)
    on_last_day = {"number": "245/QĐ-UBND", "date": "2024-10-21"}
    message = _refused(
        story, r.recognition(assessed, on_last_day), "RULE_VIOLATION", "body.decision.date"
    )
    assert "closes on 2024-10-21" in message
    _submit(story, r.recognition(assessed, {"number": "245/QĐ-UBND", "date": "2024-10-22"}))


def test_recognition_refused_with_an_objection_unanswered(story: Story) -> None:
    assessed = r.posted_assessment(story)
    lodged = _submit(story, r.objection(_id(assessed)))
    _refused(story, r.recognition(assessed), "RULE_VIOLATION", "body.assessment_id")
    _submit(story, r.answer(lodged))
    _submit(story, r.recognition(assessed))


def test_recognition_refused_before_the_results_are_posted(story: Story) -> None:
    assessed, _ = r.voted_assessment(story)
    message = _refused(story, r.recognition(assessed), "RULE_VIOLATION", "body.assessment_id")
    assert "have not been posted" in message


def test_recognition_refused_without_a_meeting_vote(story: Story) -> None:
    assessed = r.assess(story)
    message = _refused(story, r.recognition(assessed), "RULE_VIOLATION", "body.assessment_id")
    assert "no village meeting has voted" in message


def test_recognition_refused_when_under_half_of_those_present_agreed(story: Story) -> None:
    assessed, meeting_id = r.voted_assessment(story, agree=19, present=40)
    _submit(story, r.posting(story, _id(assessed, "round_id")))
    message = _refused(story, r.recognition(assessed), "RULE_VIOLATION", "body.assessment_id")
    assert "19 of 40" in message and "reviewed again" in message
    _submit(story, r.vote(_id(assessed), meeting_id, agree=20))  # exactly half is enough
    _submit(story, r.recognition(assessed))


def test_an_assessment_is_recognised_once(story: Story) -> None:
    recognized = _submit(story, r.recognition(r.posted_assessment(story)))
    _refused(story, recognized, "ALREADY_DECIDED", "body.assessment_id")


def test_the_assessor_s_holder_cannot_recognise_the_assessment(story: Story) -> None:
    story.submit(story.o.register("registrar2", ["approver"], holder="staff-registrar"))
    assessed = r.posted_assessment(story)
    draft = r.recognition(assessed)
    assert refused(story, draft.sub(story.o, who="registrar2"), "SELF_APPROVAL").field == "by"


def test_no_objection_or_vote_after_recognition(story: Story) -> None:
    assessed = r.posted_assessment(story)
    _submit(story, r.recognition(assessed))
    _refused(
        story, r.objection(_id(assessed), "2024-11-06"), "RULE_VIOLATION", "body.assessment_id"
    )


def test_an_upheld_objection_does_not_stop_recognition(story: Story) -> None:
    assessed = r.posted_assessment(story)
    lodged = _submit(story, r.objection(_id(assessed)))
    _submit(story, r.answer(lodged, outcome="upheld"))
    _submit(story, r.recognition(assessed))  # the reconciliation flags it


def test_review_types_need_their_roles(story: Story) -> None:
    draft = r.round_opened(story)
    assert refused(story, draft.sub(story.o, who="registrar"), "ROLE_NOT_ALLOWED").field == "by"


def test_the_recognition_names_the_assessment_s_household_and_result(story: Story) -> None:
    assessed = r.posted_assessment(story)
    other = r.recognition(assessed)
    other.body["household_id"] = story.household()
    _refused(story, other, "RULE_VIOLATION", "body.household_id")
    other = r.recognition(assessed)
    other.body["result"] = "near_poor"
    message = _refused(story, other, "RULE_VIOLATION", "body.result")
    assert "the assessment's result is poor" in message


def test_a_recognised_household_is_poor_from_the_decision_date(story: Story) -> None:
    assessed = r.posted_assessment(story)
    household_id = str(assessed.body["household_id"])
    _submit(story, r.recognition(assessed))
    snap = query.snapshot(story.app)
    assert status_on(snap, household_id, "2024-11-04") is None
    assert status_on(snap, household_id, "2024-11-05") == "poor"
    assert replay(story.app.entries(0, snap.as_of), snap.as_of).proposals == snap.proposals


def test_a_posting_id_is_used_once_in_a_round_even_after_a_later_posting(story: Story) -> None:
    round_id = r.open_round(story)
    r.hold_meeting(story, round_id)
    first = _submit(story, r.posting(story, round_id))
    _submit(story, r.posting(story, round_id, window=("2024-10-22", "2024-10-28")))
    again = r.posting(story, round_id, window=("2024-10-29", "2024-11-04"))
    again.body["posting_id"] = first.body["posting_id"]
    _refused(story, again, "DUPLICATE", "body.posting_id")


def test_a_later_posting_of_the_village_sets_the_window_recognition_waits_for(
    story: Story,
) -> None:
    assessed = r.posted_assessment(story)
    round_id = _id(assessed, "round_id")
    _submit(story, r.posting(story, round_id, window=("2024-10-25", "2024-11-10")))
    _refused(story, r.recognition(assessed), "RULE_VIOLATION", "body.decision.date")
    later = {"number": "245/QĐ-UBND", "date": "2024-11-11"}
    _submit(story, r.recognition(assessed, later))
