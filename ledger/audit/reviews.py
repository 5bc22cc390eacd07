"""What a verifier checks of poverty review rounds from the log alone (docs/formats.md 11.4).

The village of each household, each village meeting and the latest posting
of each village in a round, and per assessment its vote, its objections and
whether it was recognised: enough to hold each recognition to the ledger's
rules (after the posting window of the household's village, by a majority
of the meeting, with every objection answered, once, and by another holder
than the assessment's), each answer to one open objection, and each vote to
a meeting of the assessment's round and village.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.errors import AlreadyDecided, RuleViolation, SelfApproval

BODIES = frozenset(
    {
        "household.registered",
        "review.opened",
        "household.assessed",
        "village.meeting.held",
        "assessment.voted",
        "review.posted",
        "objection.lodged",
        "objection.answered",
        "review.recognized",
    }
)
"""The types whose bodies these checks read."""


@dataclass
class _Assessment:
    round_id: str
    village: str
    holder: str
    vote: tuple[int, int] | None = None  # (agree, present)
    objections: dict[str, str | None] = field(default_factory=dict)  # id -> outcome
    recognized: bool = False


@dataclass
class Rounds:
    """The state of every round, entry by entry."""

    villages: dict[str, str] = field(default_factory=dict)  # household -> village
    meetings: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    postings: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    assessments: dict[str, _Assessment] = field(default_factory=dict)

    def problem(self, kind: str, body: dict[str, Any], holder: str) -> str | None:
        """Why entry ``kind`` (with ``body``, signed by ``holder``) may not stand; applies it."""
        if kind == "household.registered":
            self.villages[body.get("household_id", "")] = body["village"]
        elif kind == "household.assessed":
            village = self.villages.get(body["household_id"], "")
            self.assessments[body["assessment_id"]] = _Assessment(body["round_id"], village, holder)
        elif kind == "village.meeting.held":
            key = (body["round_id"], body["meeting_id"])
            self.meetings[key] = (body["village"], body["present"])
        elif kind == "review.posted":
            self.postings[(body["round_id"], body["village"])] = (body["from"], body["to"])
        elif kind in ("assessment.voted", "objection.lodged", "objection.answered"):
            return self._on_assessment(kind, body)
        elif kind == "review.recognized":
            return self._recognized(body, holder)
        return None

    def _on_assessment(self, kind: str, body: dict[str, Any]) -> str | None:
        assessment = self.assessments.get(body["assessment_id"])
        if assessment is None:
            return f"{RuleViolation.code}: body.assessment_id: no such assessment before it"
        if kind == "assessment.voted":
            meeting = self.meetings.get((assessment.round_id, body["meeting_id"]))
            if meeting is None or meeting[0] != assessment.village:
                return (
                    f"{RuleViolation.code}: body.meeting_id: not a meeting of the "
                    "assessment's round and village"
                )
            assessment.vote = (body["agree"], meeting[1])
        elif kind == "objection.lodged":
            window = self.postings.get((assessment.round_id, assessment.village))
            if window is None or body["lodged_on"] < window[0]:
                return f"{RuleViolation.code}: body.lodged_on: before the results were posted"
            assessment.objections[body["objection_id"]] = None
        else:
            objection_id = body["objection_id"]
            if objection_id not in assessment.objections:
                return f"{RuleViolation.code}: body.objection_id: no such objection before it"
            if assessment.objections[objection_id] is not None:
                return f"{AlreadyDecided.code}: body.objection_id: answered already"
            assessment.objections[objection_id] = body["outcome"]
        return None

    def _recognized(self, body: dict[str, Any], holder: str) -> str | None:
        assessment = self.assessments.get(body["assessment_id"])
        field_ = "body.assessment_id"
        if assessment is None:
            return f"{RuleViolation.code}: {field_}: no such assessment before it"
        if assessment.recognized:
            return f"{AlreadyDecided.code}: {field_}: recognised already"
        if holder == assessment.holder:
            return f"{SelfApproval.code}: {holder} recognises their own assessment"
        vote = assessment.vote
        if vote is None or vote[0] * 2 < vote[1]:
            return f"{RuleViolation.code}: {field_}: no majority of the village meeting"
        if any(outcome is None for outcome in assessment.objections.values()):
            return f"{RuleViolation.code}: {field_}: an objection is unanswered"
        window = self.postings.get((assessment.round_id, assessment.village))
        if window is None or body["decision"]["date"] <= window[1]:
            return (
                f"{RuleViolation.code}: body.decision.date: before the posting window "
                "of the household's village closed"
            )
        assessment.recognized = True
        return None
