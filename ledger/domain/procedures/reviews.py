"""The ledger's rules and aggregates for one FORMATS 1.3 procedure.

Poverty review rounds: assessments, the village meeting, public posting,
objections, recognition (docs/formats.md 11.4). The aggregates are in
:mod:`ledger.domain.procedures.rounds`.
"""

from __future__ import annotations

from typing import Any

from ledger.domain.charter import KeyRecord
from ledger.domain.handlers import Unit, check_maker_checker
from ledger.domain.procedures.rounds import Assessment, ReviewRound
from ledger.domain.registry import Household
from ledger.domain.rows import StatementType, body_id, row
from ledger.errors import RuleViolation
from ledger.formats.dsse import SignedStatement


def opened(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    review = u.create(ReviewRound, s.body["round_id"], "body.round_id", s, i)
    review.check_dates()


def assessed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(ReviewRound, s.body["round_id"], "body.round_id")
    u.load(Household, s.body["household_id"], "body.household_id")
    Assessment.check_result(s.body)
    u.create(Assessment, s.body["assessment_id"], "body.assessment_id", s, i)


def meeting_held(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    review = u.load(ReviewRound, s.body["round_id"], "body.round_id", change=True)
    review.check_meeting(s.body["meeting_id"], s.body["date"])
    review.hold_meeting(index=i, envelope=s.envelope)


def voted(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    assessment = u.load(Assessment, s.body["assessment_id"], "body.assessment_id", change=True)
    review = u.load(ReviewRound, assessment.round_id, "body.assessment_id")
    meeting = review.meeting(s.body["meeting_id"])
    household = u.load(Household, assessment.household_id, "body.assessment_id")
    if meeting.village != household.village:
        raise RuleViolation(
            f"body.meeting_id: a meeting of {meeting.village}, the household lives in "
            f"{household.village}",
            field="body.meeting_id",
        )
    if s.body["agree"] > meeting.present:
        raise RuleViolation(
            f"body.agree: more than the {meeting.present} present at the meeting",
            field="body.agree",
        )
    if assessment.recognized_on is not None:
        raise RuleViolation("body.assessment_id: already recognised", field="body.assessment_id")
    assessment.record_vote(index=i, envelope=s.envelope)


def posted(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    review = u.load(ReviewRound, s.body["round_id"], "body.round_id", change=True)
    review.check_posting(s.body["posting_id"], s.body["village"], s.body["from"])
    review.post(index=i, envelope=s.envelope)


def _round_and_village(u: Unit, assessment: Assessment) -> tuple[ReviewRound, str]:
    review = u.load(ReviewRound, assessment.round_id, "body.assessment_id")
    household = u.load(Household, assessment.household_id, "body.assessment_id")
    return review, household.village


def objection_lodged(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    assessment = u.load(Assessment, s.body["assessment_id"], "body.assessment_id", change=True)
    assessment.check_objection_new(s.body["objection_id"])
    if assessment.recognized_on is not None:
        raise RuleViolation(
            "body.assessment_id: already recognised (a complaint now is a grievance)",
            field="body.assessment_id",
        )
    review, village = _round_and_village(u, assessment)
    posting = review.posting(village, "body.lodged_on")
    if s.body["lodged_on"] < posting.start:
        raise RuleViolation(
            f"body.lodged_on: before the posting window opens ({posting.start})",
            field="body.lodged_on",
        )
    assessment.lodge(index=i, envelope=s.envelope)


def objection_answered(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    assessment = u.load(Assessment, s.body["assessment_id"], "body.assessment_id", change=True)
    assessment.check_answerable(s.body["objection_id"], s.body["answered_on"])
    assessment.answer(index=i, envelope=s.envelope)


def recognized(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    assessment = u.load(Assessment, s.body["assessment_id"], "body.assessment_id", change=True)
    review, village = _round_and_village(u, assessment)
    assessment.check_recognizable(review)
    assessment.check_named(s.body["household_id"], s.body["result"])
    check_maker_checker(u, s, assessment.created_by, "assessment")
    posting = review.posting(village, "body.assessment_id")
    if s.body["decision"]["date"] <= posting.end:
        raise RuleViolation(
            f"body.decision.date: the posting window of {village} closes on {posting.end} "
            "(recognition comes after it)",
            field="body.decision.date",
        )
    assessment.recognize(index=i, envelope=s.envelope)


_round, _assessment = body_id("round_id"), body_id("assessment_id")
ROWS: list[tuple[str, StatementType]] = [
    row("review.opened", "approver", ("round_id",), ReviewRound, "Opened", _round, opened),
    row(
        "household.assessed",
        "registrar",
        ("assessment_id", "round_id", "household_id"),
        Assessment,
        "Assessed",
        _assessment,
        assessed,
    ),
    row(
        "village.meeting.held",
        "registrar",
        ("meeting_id", "round_id"),
        ReviewRound,
        "MeetingHeld",
        _round,
        meeting_held,
    ),
    row(
        "assessment.voted",
        "registrar",
        ("assessment_id", "meeting_id"),
        Assessment,
        "Voted",
        _assessment,
        voted,
    ),
    row(
        "review.posted",
        "registrar",
        ("posting_id", "round_id"),
        ReviewRound,
        "Posted",
        _round,
        posted,
    ),
    row(
        "objection.lodged",
        "registrar",
        ("objection_id", "assessment_id"),
        Assessment,
        "ObjectionLodged",
        _assessment,
        objection_lodged,
    ),
    row(
        "objection.answered",
        "approver",
        ("objection_id", "assessment_id"),
        Assessment,
        "ObjectionAnswered",
        _assessment,
        objection_answered,
    ),
    row(
        "review.recognized",
        "approver",
        ("assessment_id", "household_id"),
        Assessment,
        "Recognized",
        _assessment,
        recognized,
    ),
]
"""Catalog rows of this procedure's types (:mod:`ledger.domain.catalog`)."""
