"""The console's read of poverty review rounds (docs/formats.md 11.4), for its pickers.

``GET /v1/reviews`` (signed in): the rounds, the village meetings, each
assessment with its household (code and village), result and whether it
was recognised, and each objection with its answer, as of ``as_of``. The
console chooses a round, a meeting, an assessment or an objection by what
an officer knows (a household code, a village, a date), never by typing an
id. Read through :mod:`api.reading`, as every other read.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.http.answers import SIGNED, answer
from api.http.deps import AsOfQ, ServiceDep, SignedInDep
from api.http.models import ReadMeta
from api.reading import read_at, review_rounds

router = APIRouter(prefix="/v1", tags=["console"])


class RoundOut(BaseModel):
    round_id: str
    kind: str = Field(description="periodic | regular")
    start: str = Field(description="the round's first day (body.from)")
    end: str = Field(description="its last day (body.to)")


class MeetingOut(BaseModel):
    meeting_id: str
    round_id: str
    village: str
    date: str
    present: int


class HouseholdOf(BaseModel):
    household_id: str
    code: str | None
    village: str | None


class AssessmentOut(BaseModel):
    assessment_id: str
    round_id: str
    household: HouseholdOf
    result: str = Field(description="poor | near_poor | not_poor")
    recognized: bool


class ObjectionOut(BaseModel):
    objection_id: str
    assessment_id: str
    lodged_on: str
    outcome: str | None = Field(description="upheld | dismissed; null while unanswered")


class ReviewsOut(ReadMeta):
    rounds: list[RoundOut]
    meetings: list[MeetingOut]
    assessments: list[AssessmentOut]
    objections: list[ObjectionOut]


@router.get("/reviews", response_model=ReviewsOut, responses=SIGNED)
def reviews(
    service: ServiceDep, officer: SignedInDep, response: Response, as_of: AsOfQ = None
) -> dict[str, Any]:
    """The poverty review rounds recorded (rà soát hộ nghèo), latest first."""
    read = read_at(service, as_of)
    log, snap = review_rounds(read), read.snap
    rounds = sorted(log.rounds.values(), key=lambda r: r["index"], reverse=True)
    assessments = []
    for a in sorted(log.assessments.values(), key=lambda a: a["index"], reverse=True):
        home = snap.households.get(a["household_id"])
        household = {
            "household_id": a["household_id"],
            "code": home.code if home else None,
            "village": home.village if home else None,
        }
        assessments.append(
            {
                "assessment_id": a["assessment_id"],
                "round_id": a["round_id"],
                "household": household,
                "result": a["result"],
                "recognized": "recognized" in a,
            }
        )
    doc = {
        "rounds": [
            {"round_id": r["round_id"], "kind": r["kind"], "start": r["from"], "end": r["to"]}
            for r in rounds
        ],
        "meetings": [
            {k: m[k] for k in ("meeting_id", "round_id", "village", "date", "present")}
            for m in sorted(log.meetings.values(), key=lambda m: m["index"], reverse=True)
        ],
        "assessments": assessments,
        "objections": [
            {k: o[k] for k in ("objection_id", "assessment_id", "lodged_on", "outcome")}
            for o in sorted(log.objections.values(), key=lambda o: o["index"], reverse=True)
        ],
    }
    return answer(read, response, doc)
