"""The aggregates of a poverty review round (docs/formats.md 11.4).

A round holds what is recorded for the whole commune or for a village: the
village meetings and the public postings. An assessment holds what is
recorded for one household in one round: the meeting's vote, the objections
to it and their answers, and the chairman's recognition. Each statement
records one event, on the aggregate its catalog row names; a rule reads the
others it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement
from ledger.errors import AlreadyDecided, Duplicate, RuleViolation, UnknownEntity

POVERTY_LINE = {"rural": 1_500_000, "urban": 2_000_000}
"""Income per person per month at or below which a household may be poor (Decree 07/2021)."""
POOR_DEPRIVATIONS = 3
"""Indicators lacking from which a household under the income line is poor, not near-poor."""


def standard_result(area: str, income: int, deprivations: int) -> str:
    """What the multidimensional standard makes of a household's score."""
    if income > POVERTY_LINE[area]:
        return "not_poor"
    return "poor" if deprivations >= POOR_DEPRIVATIONS else "near_poor"


@dataclass(frozen=True)
class Meeting:
    meeting_id: str
    village: str
    date: str
    present: int


@dataclass(frozen=True)
class Posting:
    posting_id: str
    village: str
    place: str
    start: str
    end: str


class ReviewRound(Entity):
    """A round of the poverty review, periodic (yearly) or regular (monthly)."""

    kind = "review round"

    @event("Opened")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.round_kind: str = body["kind"]
        self.start: str = body["from"]
        self.end: str = body["to"]
        self.meetings: dict[str, Meeting] = {}
        self.postings: dict[str, Posting] = {}  # by village: the latest one
        self.posting_ids: set[str] = set()

    def check_dates(self) -> None:
        """A periodic round runs within 1 September .. 14 December of one year."""
        if self.round_kind != "periodic":
            return
        year = self.start[:4]
        if self.start < f"{year}-09-01":
            raise RuleViolation(
                "body.from: a periodic review runs from 1 September to 14 December",
                field="body.from",
            )
        if self.end > f"{year}-12-14":
            raise RuleViolation(
                f"body.to: a periodic review that opens in {year} ends by {year}-12-14",
                field="body.to",
            )

    def check_meeting(self, meeting_id: str, date: str) -> None:
        if meeting_id in self.meetings:
            raise Duplicate(
                f"body.meeting_id: {meeting_id} is already a meeting of this round",
                field="body.meeting_id",
            )
        if not self.start <= date <= self.end:
            raise RuleViolation(
                f"body.date: outside the round ({self.start} to {self.end})", field="body.date"
            )

    @event("MeetingHeld")
    def hold_meeting(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.meetings[body["meeting_id"]] = Meeting(
            body["meeting_id"], body["village"], body["date"], body["present"]
        )

    def meeting(self, meeting_id: str) -> Meeting:
        found = self.meetings.get(meeting_id)
        if found is None:
            raise RuleViolation(
                f"body.meeting_id: {meeting_id} is not a village meeting of the assessment's round",
                field="body.meeting_id",
            )
        return found

    def check_posting(self, posting_id: str, village: str, start: str) -> None:
        if posting_id in self.posting_ids:
            raise Duplicate(
                f"body.posting_id: {posting_id} is already a posting of this round",
                field="body.posting_id",
            )
        held = [m.date for m in self.meetings.values() if m.village == village]
        if not held:
            raise RuleViolation(
                f"body.village: no village meeting of {village} is recorded in this round "
                "(the meeting comes before the posting)",
                field="body.village",
            )
        if start < min(held):
            raise RuleViolation(
                f"body.from: before the village meeting of {min(held)}", field="body.from"
            )

    @event("Posted")
    def post(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.postings[body["village"]] = Posting(
            body["posting_id"], body["village"], body["place"], body["from"], body["to"]
        )
        self.posting_ids.add(body["posting_id"])

    def posting(self, village: str, field: str) -> Posting:
        found = self.postings.get(village)
        if found is None:
            raise RuleViolation(
                f"{field}: the results of {village} have not been posted in this round",
                field=field,
            )
        return found


@dataclass
class Objection:
    lodged_on: str
    outcome: str | None = None


class Assessment(Entity):
    """One household's assessment in a round, up to the chairman's recognition."""

    kind = "assessment"

    @event("Assessed")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.round_id: str = body["round_id"]
        self.household_id: str = body["household_id"]
        self.result: str = body["result"]
        self.vote: tuple[str, int] | None = None  # (meeting_id, agree) at the latest meeting
        self.objections: dict[str, Objection] = {}
        self.recognized_on: str | None = None

    @staticmethod
    def check_result(body: dict[str, Any]) -> None:
        deprivations = len(body.get("deprivations", ()))
        expected = standard_result(body["area"], body["income_per_capita_month"], deprivations)
        if body["result"] != expected:
            raise RuleViolation(
                f"body.result: an income of {body['income_per_capita_month']} đ "
                f"({body['area']}) with {deprivations} deprivations is {expected} "
                "by the standard",
                field="body.result",
            )

    @event("Voted")
    def record_vote(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.vote = (body["meeting_id"], body["agree"])

    def check_objection_new(self, objection_id: str) -> None:
        if objection_id in self.objections:
            raise Duplicate(
                f"body.objection_id: {objection_id} is already an objection to this assessment",
                field="body.objection_id",
            )

    @event("ObjectionLodged")
    def lodge(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.objections[body["objection_id"]] = Objection(body["lodged_on"])

    def check_answerable(self, objection_id: str, answered_on: str) -> None:
        objection = self.objections.get(objection_id)
        if objection is None:
            raise UnknownEntity(
                f"body.objection_id: no objection {objection_id} to this assessment",
                field="body.objection_id",
            )
        if objection.outcome is not None:
            raise AlreadyDecided(
                f"body.objection_id: already answered ({objection.outcome})",
                field="body.objection_id",
            )
        if answered_on < objection.lodged_on:
            raise RuleViolation(
                f"body.answered_on: before the objection was lodged ({objection.lodged_on})",
                field="body.answered_on",
            )

    @event("ObjectionAnswered")
    def answer(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.objections[body["objection_id"]].outcome = body["outcome"]

    def check_recognizable(self, review: ReviewRound) -> None:
        """Decided once; a majority of the village meeting; no objection left unanswered."""
        field = "body.assessment_id"
        if self.recognized_on is not None:
            raise AlreadyDecided(
                f"{field}: already recognised on {self.recognized_on}", field=field
            )
        if self.vote is None:
            raise RuleViolation(f"{field}: no village meeting has voted on it", field=field)
        meeting_id, agree = self.vote
        present = review.meetings[meeting_id].present
        if agree * 2 < present:
            raise RuleViolation(
                f"{field}: {agree} of {present} present agreed at the village meeting, under "
                "half: the household is reviewed again",
                field=field,
            )
        open_ = sorted(k for k, o in self.objections.items() if o.outcome is None)
        if open_:
            raise RuleViolation(f"{field}: objection {open_[0]} is unanswered", field=field)

    def check_named(self, household_id: str, result: str) -> None:
        """The decision names the assessment's household and result, as the written one does."""
        if household_id != self.household_id:
            raise RuleViolation(
                f"body.household_id: the assessment is of household {self.household_id}",
                field="body.household_id",
            )
        if result != self.result:
            raise RuleViolation(
                f"body.result: the assessment's result is {self.result}", field="body.result"
            )

    @event("Recognized")
    def recognize(self, index: int, envelope: dict[str, Any]) -> None:
        self.recognized_on = read_statement(envelope)["body"]["decision"]["date"]
