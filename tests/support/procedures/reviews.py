"""The independent verifier's checks for one FORMATS 1.3 procedure, from docs/formats.md alone.

Poverty review rounds: assessments, the village meeting, public posting,
objections, recognition (docs/formats.md 11.4).
Standard library only, like ``tests/ledger/audit/independent.py`` which calls
:func:`check` for every entry after its signature, version and role checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES: dict[str, str] = {
    "review.opened": "approver",
    "household.assessed": "registrar",
    "village.meeting.held": "registrar",
    "assessment.voted": "registrar",
    "review.posted": "registrar",
    "objection.lodged": "registrar",
    "objection.answered": "approver",
    "review.recognized": "approver",
}
"""The role each type of this procedure needs."""

LINE = {"rural": 1_500_000, "urban": 2_000_000}  # đồng per person per month


def check(
    kind: str,
    body: dict[str, Any],
    holder: str,
    state: dict[str, Any],
    need: Callable[[bool, str], None],
) -> None:
    """Check one entry of ``kind`` against ``state`` (this procedure's own, kept across entries)."""
    villages: dict[str, str] = state.setdefault("villages", {})  # household -> village
    rounds: dict[str, dict[str, Any]] = state.setdefault("rounds", {})
    assessments: dict[str, dict[str, Any]] = state.setdefault("assessments", {})
    if kind == "household.registered":
        villages[body["household_id"]] = body["village"]
    elif kind == "review.opened":
        need(body["round_id"] not in rounds, "round opened twice")
        need(body["from"] <= body["to"], "round ends before it starts")
        if body["kind"] == "periodic":
            year = body["from"][:4]
            need(body["from"] >= f"{year}-09-01", "periodic round before 1 September")
            need(body["to"] <= f"{year}-12-14", "periodic round after 14 December")
        rounds[body["round_id"]] = {"from": body["from"], "to": body["to"], "meetings": {}}
        rounds[body["round_id"]]["postings"] = {}
    elif kind == "household.assessed":
        need(body["round_id"] in rounds, "assessment in an unknown round")
        need(body["household_id"] in villages, "assessment of an unknown household")
        income, lacking = body["income_per_capita_month"], len(body.get("deprivations", []))
        expected = "not_poor" if income > LINE[body["area"]] else "near_poor"
        if expected == "near_poor" and lacking >= 3:
            expected = "poor"
        need(body["result"] == expected, "assessment result is not the standard's")
        assessments[body["assessment_id"]] = {
            "round": body["round_id"],
            "village": villages.get(body["household_id"]),
            "by": holder,
            "vote": None,
            "objections": {},
            "recognized": False,
        }
    elif kind == "village.meeting.held":
        review = rounds.get(body["round_id"])
        need(review is not None, "meeting in an unknown round")
        assert review is not None
        need(review["from"] <= body["date"] <= review["to"], "meeting outside its round")
        review["meetings"][body["meeting_id"]] = (body["village"], body["date"], body["present"])
    elif kind == "assessment.voted":
        assessment = assessments.get(body["assessment_id"])
        need(assessment is not None, "vote on an unknown assessment")
        assert assessment is not None
        meeting = rounds[assessment["round"]]["meetings"].get(body["meeting_id"])
        need(meeting is not None, "vote at a meeting not of the assessment's round")
        assert meeting is not None
        need(meeting[0] == assessment["village"], "vote at another village's meeting")
        need(body["agree"] <= meeting[2], "more agree than were present")
        need(not assessment["recognized"], "vote on a recognised assessment")
        assessment["vote"] = (body["agree"], meeting[2])
    elif kind == "review.posted":
        review = rounds.get(body["round_id"])
        need(review is not None, "posting in an unknown round")
        assert review is not None
        held = [d for v, d, _ in review["meetings"].values() if v == body["village"]]
        need(bool(held) and body["from"] >= min(held), "posted before the village meeting")
        need(body["from"] <= body["to"], "posting window ends before it opens")
        review["postings"][body["village"]] = (body["from"], body["to"])
    elif kind in ("objection.lodged", "objection.answered", "review.recognized"):
        _decisions(kind, body, holder, rounds, assessments, need)


def _decisions(
    kind: str,
    body: dict[str, Any],
    holder: str,
    rounds: dict[str, dict[str, Any]],
    assessments: dict[str, dict[str, Any]],
    need: Callable[[bool, str], None],
) -> None:
    assessment = assessments.get(body["assessment_id"])
    need(assessment is not None, f"{kind} of an unknown assessment")
    assert assessment is not None
    window = rounds[assessment["round"]]["postings"].get(assessment["village"])
    objections: dict[str, Any] = assessment["objections"]
    if kind == "objection.lodged":
        need(window is not None and body["lodged_on"] >= window[0], "objection before posting")
        need(body["objection_id"] not in objections, "objection lodged twice")
        need(not assessment["recognized"], "objection to a recognised assessment")
        objections[body["objection_id"]] = {"on": body["lodged_on"], "outcome": None}
    elif kind == "objection.answered":
        objection = objections.get(body["objection_id"])
        need(objection is not None, "answers an unknown objection")
        assert objection is not None
        need(objection["outcome"] is None, "objection answered twice")
        need(body["answered_on"] >= objection["on"], "answered before it was lodged")
        objection["outcome"] = body["outcome"]
    else:
        need(not assessment["recognized"], "assessment recognised twice")
        need(holder != assessment["by"], "recognised by the holder who assessed it (maker-checker)")
        vote = assessment["vote"]
        need(vote is not None and vote[0] * 2 >= vote[1], "recognised without a meeting majority")
        need(all(o["outcome"] for o in objections.values()), "recognised with an objection open")
        need(
            window is not None and body["decision"]["date"] > window[1],
            "recognised before the posting window closed",
        )
        assessment["recognized"] = True
