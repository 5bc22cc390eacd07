"""The 2025 poverty review of the demo commune: one periodic round, September to November 2024.

:func:`review_round_2024` adds to a :class:`~api.demo.scribe.Scribe` the
statements of one round (docs/formats.md 11.4) over the households given:
the chairman's plan opens it on 3 September; each household is assessed
(income grown a little since the 2022 survey, deprivations lessened, the
result the standard's); each village meets in October, chaired by its head
and supervised by the Fatherland Front, and votes on each household; the
results are posted in the village for seven days; one objection is upheld,
so that household is assessed again, voted on at a second meeting and
posted again; every household's latest assessment is recognised on 25
November 2024 (decision 389/QĐ-UBND). The ledger must follow FORMATS 1.3
before the first of these statements; keys ``registrar`` and ``approver``
(different holders) sign them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from api.demo.data import Home
from api.demo.scribe import Scribe
from ledger.domain.procedures.rounds import standard_result
from ledger.formats.procedures.reviews import DEPRIVATIONS

if TYPE_CHECKING:
    from api.demo.later.years import LaterYears

INDICATORS = sorted(DEPRIVATIONS)
PLAN = {"number": "95/KH-UBND", "date": "2024-08-26"}
DECISION = {"number": "389/QĐ-UBND", "date": "2024-11-25"}
WINDOW_DAYS = 7


@dataclass
class RoundSummary:
    """What the round recorded, for the demo's own checks and its story."""

    round_id: str
    assessments: dict[str, str] = field(default_factory=dict)  # household -> latest assessment
    results: dict[str, str] = field(default_factory=dict)  # household -> result recognised
    meetings: dict[str, str] = field(default_factory=dict)  # village -> first meeting's date
    windows: dict[str, tuple[str, str]] = field(default_factory=dict)  # village -> latest
    upheld: str = ""  # the household whose objection was upheld


def _day(start: str, days: int) -> str:
    return (date.fromisoformat(start) + timedelta(days=days)).isoformat()


def review_round_2024(scribe: Scribe, homes: Sequence[Home]) -> RoundSummary:
    """Add the round's statements to ``scribe``; ``homes``: the households reviewed
    (registered before 3 September 2024; at least one)."""
    rng, round_id = scribe.rng, scribe.new_id()
    summary = RoundSummary(round_id)
    opened: dict[str, Any] = {"round_id": round_id, "kind": "periodic"}
    opened |= {"from": "2024-09-01", "to": "2024-12-14", "plan": PLAN}
    scribe.add("2024-09-03", "approver", "review.opened", **opened)
    by_village: dict[str, list[Home]] = {}
    for home in homes:
        by_village.setdefault(home.village, []).append(home)
        income = home.income_vnd * rng.randint(100, 125) // 100 // 1000 * 1000
        lacking = max(0, home.deprivations - rng.randint(0, 1))
        day = f"2024-09-{16 + home.village_no % 12:02d}"
        _assess(scribe, summary, home, day, income, lacking)
    chosen = rng.choice(list(homes))
    for village, members in sorted(by_village.items()):
        no = members[0].village_no
        meeting_day = f"2024-10-{1 + no:02d}"
        summary.meetings[village] = meeting_day
        _meet_and_post(scribe, summary, village, members, meeting_day)
    _upheld_objection(scribe, summary, chosen)
    for home in homes:
        body: dict[str, Any] = {
            "assessment_id": summary.assessments[home.household_id],
            "household_id": home.household_id,
            "result": summary.results[home.household_id],
            "decision": DECISION,
        }
        scribe.add(DECISION["date"], "approver", "review.recognized", **body)
    return summary


def in_later_years(later: LaterYears, homes: Sequence[Home] | None = None) -> RoundSummary:
    """The round as :func:`api.demo.later.run` would call it, after the adoption of 1.3:
    over ``homes`` (default: every household of the commune)."""
    return review_round_2024(later.s, later.c.homes if homes is None else homes)


def _assess(
    scribe: Scribe, summary: RoundSummary, home: Home, day: str, income: int, lacking: int
) -> None:
    assessment_id = scribe.new_id()
    result = standard_result("rural", income, lacking)
    body: dict[str, Any] = {
        "assessment_id": assessment_id,
        "round_id": summary.round_id,
        "household_id": home.household_id,
        "request": "form_04" if home.escaped else "none",
        "area": "rural",
        "income_per_capita_month": income,
        "result": result,
    }
    if lacking:
        body["deprivations"] = sorted(scribe.rng.sample(INDICATORS, lacking))
    scribe.add(day, "registrar", "household.assessed", **body)
    summary.assessments[home.household_id] = assessment_id
    summary.results[home.household_id] = result


def _meet_and_post(
    scribe: Scribe, summary: RoundSummary, village: str, homes: Sequence[Home], day: str
) -> None:
    """One meeting of ``village`` on ``day`` voting on ``homes``, then the posting."""
    rng, meeting_id = scribe.rng, scribe.new_id()
    present = rng.randint(35, 70)
    scribe.add(
        day,
        "registrar",
        "village.meeting.held",
        meeting_id=meeting_id,
        round_id=summary.round_id,
        village=village,
        date=day,
        chair=f"Trưởng {village.lower()}",
        supervisor=f"Ban công tác Mặt trận {village.lower()}",
        present=present,
        minutes_sha256=scribe.evidence(),
    )
    for home in homes:
        agree = rng.randint(min(present, (present + 1) // 2 + 3), present)  # a majority each
        vote: dict[str, Any] = {"assessment_id": summary.assessments[home.household_id]}
        vote |= {"meeting_id": meeting_id, "agree": agree}
        scribe.add(day, "registrar", "assessment.voted", **vote)
    start = _day(day, 2)
    end = _day(start, WINDOW_DAYS - 1)
    summary.windows[village] = (start, end)
    posted: dict[str, Any] = {"posting_id": scribe.new_id(), "round_id": summary.round_id}
    posted |= {"village": village, "place": f"Nhà văn hóa {village.lower()}"}
    posted |= {"from": start, "to": end}
    scribe.add(start, "registrar", "review.posted", **posted)


def _upheld_objection(scribe: Scribe, summary: RoundSummary, home: Home) -> None:
    """A neighbour's objection to ``home``'s income, upheld: assessed, voted, posted again."""
    start, end = summary.windows[home.village]
    objection_id = scribe.new_id()
    first = summary.assessments[home.household_id]
    scribe.add(_day(start, 2), "registrar", "objection.lodged", objection_id=objection_id,
               assessment_id=first, lodged_on=_day(start, 2),
               summary="Thu nhập của hộ cao hơn mức đã kê khai (có thu từ bán cà phê)")  # fmt: skip
    answered = _day(end, 2)
    scribe.add(answered, "approver", "objection.answered", objection_id=objection_id,
               assessment_id=first, outcome="upheld", answered_on=answered,
               answer="Tổ rà soát xác minh lại: có thu từ cà phê, tính lại thu nhập")  # fmt: skip
    summary.upheld = home.household_id
    day = _day(answered, 1)
    _assess(scribe, summary, home, day, max(home.income_vnd * 2, 2_400_000), 0)
    _meet_and_post(scribe, summary, home.village, [home], _day(day, 3))


END_DECISION = {"number": "392/QĐ-UBND", "date": "2024-11-28"}


def end_support(later: LaterYears, summary: RoundSummary) -> list[str]:
    """The electricity support of each household the round no longer recognises as poor
    ends with November 2024 (the approver's decision of 28/11), and is not paid after:
    the support is for poor households. Returns the benefits ended."""
    ended = []
    for g in later.continuing():
        if g.program != "HN-DIEN" or g.benefit_id in later.stopped:
            continue
        result = summary.results.get(g.home.household_id)
        if result is None or result == "poor":
            continue
        reason = f"Hộ không còn là hộ nghèo theo Quyết định {DECISION['number']}"
        later.s.add(END_DECISION["date"], "approver", "benefit.ended", benefit_id=g.benefit_id,
                    last_month="2024-11", reason=reason)  # fmt: skip
        later.stopped[g.benefit_id] = "2024-12"
        ended.append(g.benefit_id)
    return ended
