"""Drafts of this procedure's FORMATS 1.3 types, each with its prerequisites recorded.

A periodic round of 2024: opened 1 September, a meeting of Bản Huổi on
10 October, the results posted 15 to 21 October, recognition on 5 November.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import Story, new_id
from tests.support.drafts import Draft, adopted_1_3

VILLAGE = "Bản Huổi"
PLAN = {"number": "112/KH-UBND", "date": "2024-08-20"}
RECOGNITION = {"number": "245/QĐ-UBND", "date": "2024-11-05"}
MEETING_DATE = "2024-10-10"
POSTED = ("2024-10-15", "2024-10-21")
POOR = {
    "request": "none",
    "area": "rural",
    "income_per_capita_month": 1_200_000,
    "deprivations": ["health_insurance", "housing_quality", "sanitation"],
    "result": "poor",
}


def round_opened(s: Story, **changes: Any) -> Draft:
    adopted_1_3(s)
    body = {
        "round_id": new_id(),
        "kind": "periodic",
        "from": "2024-09-01",
        "to": "2024-12-14",
        "plan": PLAN,
        **changes,
    }
    return Draft("approver", "review.opened", body)


def open_round(s: Story) -> str:
    draft = round_opened(s)
    s.submit(draft.sub(s.o))
    return str(draft.body["round_id"])


def assessment(s: Story, round_id: str | None = None, household_id: str | None = None) -> Draft:
    round_id = round_id or open_round(s)
    body = {
        "assessment_id": new_id(),
        "round_id": round_id,
        "household_id": household_id or s.household(VILLAGE),
        **POOR,
    }
    return Draft("registrar", "household.assessed", body)


def assess(s: Story, round_id: str | None = None, household_id: str | None = None) -> Draft:
    draft = assessment(s, round_id, household_id)
    s.submit(draft.sub(s.o))
    return draft


def meeting(s: Story, round_id: str, village: str = VILLAGE, present: int = 40) -> Draft:
    body = {
        "meeting_id": new_id(),
        "round_id": round_id,
        "village": village,
        "date": MEETING_DATE,
        "chair": "Trưởng bản Lò Văn Piêng",
        "supervisor": "Ban công tác Mặt trận bản Huổi",
        "present": present,
        "minutes_sha256": "5e" * 32,
    }
    return Draft("registrar", "village.meeting.held", body)


def hold_meeting(s: Story, round_id: str, village: str = VILLAGE, present: int = 40) -> str:
    draft = meeting(s, round_id, village, present)
    s.submit(draft.sub(s.o))
    return str(draft.body["meeting_id"])


def vote(assessment_id: str, meeting_id: str, agree: int = 31) -> Draft:
    body = {"assessment_id": assessment_id, "meeting_id": meeting_id, "agree": agree}
    return Draft("registrar", "assessment.voted", body)


def posting(
    s: Story, round_id: str, village: str = VILLAGE, window: tuple[str, str] = POSTED
) -> Draft:
    body = {
        "posting_id": new_id(),
        "round_id": round_id,
        "village": village,
        "place": "Nhà văn hóa bản Huổi",
        "from": window[0],
        "to": window[1],
    }
    return Draft("registrar", "review.posted", body)


def objection(assessment_id: str, lodged_on: str = "2024-10-16") -> Draft:
    body = {
        "objection_id": new_id(),
        "assessment_id": assessment_id,
        "lodged_on": lodged_on,
        "summary": "Hộ có xe máy mới và nhà xây năm 2023",
    }
    return Draft("registrar", "objection.lodged", body)


def answer(objection: Draft, outcome: str = "dismissed", answered_on: str = "2024-10-24") -> Draft:
    body = {
        "objection_id": objection.body["objection_id"],
        "assessment_id": objection.body["assessment_id"],
        "outcome": outcome,
        "answer": "Tổ rà soát đã xác minh lại tại hộ",
        "answered_on": answered_on,
    }
    return Draft("approver", "objection.answered", body)


def recognition(assessed: Draft, decision: dict[str, str] | None = None) -> Draft:
    body = {
        "assessment_id": assessed.body["assessment_id"],
        "household_id": assessed.body["household_id"],
        "result": assessed.body["result"],
        "decision": decision or RECOGNITION,
    }
    return Draft("approver", "review.recognized", body)


def voted_assessment(s: Story, agree: int = 31, present: int = 40) -> tuple[Draft, str]:
    """An assessment the meeting of its village voted on (agree of present); its meeting."""
    assessed = assess(s)
    meeting_id = hold_meeting(s, str(assessed.body["round_id"]), present=present)
    s.submit(vote(str(assessed.body["assessment_id"]), meeting_id, agree).sub(s.o))
    return assessed, meeting_id


def posted_assessment(s: Story) -> Draft:
    """An assessment voted on by a majority, its village's results posted 15-21 October 2024."""
    assessed, _ = voted_assessment(s)
    s.submit(posting(s, str(assessed.body["round_id"])).sub(s.o))
    return assessed


def _meeting(s: Story) -> Draft:
    return meeting(s, open_round(s))


def _vote(s: Story) -> Draft:
    assessed = assess(s)
    return vote(
        str(assessed.body["assessment_id"]), hold_meeting(s, str(assessed.body["round_id"]))
    )


def _posting(s: Story) -> Draft:
    round_id = open_round(s)
    hold_meeting(s, round_id)
    return posting(s, round_id)


def _objection(s: Story) -> Draft:
    return objection(str(posted_assessment(s).body["assessment_id"]))


def _answer(s: Story) -> Draft:
    lodged = _objection(s)
    s.submit(lodged.sub(s.o))
    return answer(lodged)


def _recognition(s: Story) -> Draft:
    return recognition(posted_assessment(s))


BUILDERS: dict[str, Callable[[Story], Draft]] = {
    "review.opened": round_opened,
    "household.assessed": assessment,
    "village.meeting.held": _meeting,
    "assessment.voted": _vote,
    "review.posted": _posting,
    "objection.lodged": _objection,
    "objection.answered": _answer,
    "review.recognized": _recognition,
}
