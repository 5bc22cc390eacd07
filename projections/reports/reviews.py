"""Poverty review rounds as the reports read them from the log (docs/formats.md 11.4).

The read models keep of a round only what it decides: a recognition is an
approved status (:mod:`projections.tables.meanings`). The rest (rounds,
assessments, postings, objections) is read from the entries of its types,
which :func:`review_log` folds into a :class:`ReviewLog`. From it:

- :func:`review_findings`: what the reconciliation flags, in a ledger that
  follows FORMATS 1.3: a status approved by ``household.status.approved``
  after the adoption, so without a review round (STATUS_SKIPPED_REVIEW); a
  household recognised although an objection to its assessment was upheld
  (OBJECTION_UPHELD_RECOGNIZED);
- :func:`posting_windows`: each village's public posting (niêm yết công
  khai) of a round, with the days left and the objections lodged and
  answered, for the public pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from projections.model import Snapshot
from projections.reports import wording as say

TYPES = (
    "ledger.formats.adopted",
    "household.registered",
    "review.opened",
    "household.assessed",
    "village.meeting.held",
    "review.posted",
    "objection.lodged",
    "objection.answered",
    "review.recognized",
)
"""The types whose entries :func:`review_log` reads."""
Record = tuple[int, str, dict[str, Any]]
"""(entry index, type, body)."""
Anomaly = dict[str, Any]


@dataclass
class ReviewLog:
    """What the review entries of a log say, up to a point of it."""

    adopted: int | None = None  # the entry that adopted FORMATS 1.3
    villages: dict[str, str] = field(default_factory=dict)  # household -> village
    rounds: dict[str, dict[str, Any]] = field(default_factory=dict)
    assessments: dict[str, dict[str, Any]] = field(default_factory=dict)
    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)
    postings: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    objections: dict[str, dict[str, Any]] = field(default_factory=dict)


def review_log(records: Iterable[Record]) -> ReviewLog:
    """Fold the entries of :data:`TYPES`, in log order."""
    log = ReviewLog()
    for index, kind, body in records:
        if kind == "ledger.formats.adopted" and body["formats"] == "1.3":
            log.adopted = index
        elif kind == "household.registered":
            log.villages[body["household_id"]] = body["village"]
        elif kind == "review.opened":
            log.rounds[body["round_id"]] = {**body, "index": index}
        elif kind == "household.assessed":
            village = log.villages.get(body["household_id"], "")
            log.assessments[body["assessment_id"]] = {**body, "village": village, "index": index}
        elif kind == "village.meeting.held":
            log.meetings[body["meeting_id"]] = {**body, "index": index}
        elif kind == "review.posted":
            log.postings[(body["round_id"], body["village"])] = {**body, "index": index}
        elif kind == "objection.lodged":
            log.objections[body["objection_id"]] = {**body, "index": index, "outcome": None}
        elif kind == "objection.answered":
            log.objections[body["objection_id"]] |= {"outcome": body["outcome"], "answered": index}
        elif kind == "review.recognized":
            log.assessments[body["assessment_id"]]["recognized"] = index
    return log


def review_findings(
    snap: Snapshot, log: ReviewLog, on: str, anomaly: Callable[..., Anomaly]
) -> list[Anomaly]:
    """STATUS_SKIPPED_REVIEW and OBJECTION_UPHELD_RECOGNIZED, decided by ``on``."""
    found: list[Anomaly] = []
    if log.adopted is None:
        return found
    for p in snap.proposals.values():
        if (
            p.state == "approved"
            and p.proposal_id not in log.assessments
            and (p.decided_index or 0) > log.adopted
            and (p.decision_date or "") <= on
        ):
            found.append(
                anomaly(
                    "STATUS_SKIPPED_REVIEW",
                    say.skipped_review(p.status, p.decision_date),
                    household_id=p.household_id,
                    proposal_id=p.proposal_id,
                )
            )
    for objection_id, objection in sorted(log.objections.items()):
        recognised = snap.proposals.get(objection["assessment_id"])
        if (
            objection["outcome"] == "upheld"
            and recognised is not None
            and (recognised.decision_date or "") <= on
        ):
            found.append(
                anomaly(
                    "OBJECTION_UPHELD_RECOGNIZED",
                    say.upheld_recognized(objection_id, recognised.status),
                    household_id=recognised.household_id,
                    proposal_id=recognised.proposal_id,
                )
            )
    return found


def posting_windows(log: ReviewLog, on: str) -> list[dict[str, Any]]:
    """Each village's latest posting of each round, latest round first, then by village.

    ``days_left``: whole days from ``on`` to the window's last day included
    (0 once it has closed); ``open``: whether ``on`` falls in it.
    """
    lodged: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for objection in log.objections.values():
        assessment = log.assessments.get(objection["assessment_id"])
        if assessment is not None:
            key = (assessment["round_id"], assessment["village"])
            lodged.setdefault(key, []).append(objection)
    rows = []
    for (round_id, village), posting in log.postings.items():
        review = log.rounds.get(round_id, {})
        objections = lodged.get((round_id, village), [])
        left = (date.fromisoformat(posting["to"]) - date.fromisoformat(on)).days + 1
        rows.append(
            {
                "round_id": round_id,
                "kind": review.get("kind"),
                "round_from": review.get("from"),
                "village": village,
                "place": posting["place"],
                "from": posting["from"],
                "to": posting["to"],
                "open": posting["from"] <= on <= posting["to"],
                "days_left": max(0, min(left, _days(posting["from"], posting["to"]))),
                "objections_lodged": len(objections),
                "objections_answered": sum(o["outcome"] is not None for o in objections),
            }
        )
    rows.sort(key=lambda r: (r["round_from"] or "", r["village"]))
    rows.sort(key=lambda r: r["round_from"] or "", reverse=True)
    return rows


def _days(first: str, last: str) -> int:
    return (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
