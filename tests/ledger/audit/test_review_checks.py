"""The independent verifier's checks of poverty review rounds, entry by entry (11.4).

Fed the entries a ledger would refuse, it says why, from docs/formats.md alone.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.procedures import reviews as checks

H, R, A, M, OBJ = "h1", "r1", "a1", "m1", "o1"
ROUND = {"round_id": R, "kind": "periodic", "from": "2024-09-01", "to": "2024-12-14"}
ASSESSED = {
    "assessment_id": A,
    "round_id": R,
    "household_id": H,
    "area": "rural",
    "income_per_capita_month": 1_200_000,
    "deprivations": ["nutrition", "sanitation", "telecom_use"],
    "result": "poor",
}
MEETING = {"meeting_id": M, "round_id": R, "village": "Bản Huổi", "date": "2024-10-10",
           "present": 40}  # fmt: skip
POSTED = {"round_id": R, "village": "Bản Huổi", "from": "2024-10-15", "to": "2024-10-21"}
LODGED = {"objection_id": OBJ, "assessment_id": A, "lodged_on": "2024-10-16"}
ANSWERED = {"objection_id": OBJ, "assessment_id": A, "outcome": "dismissed",
            "answered_on": "2024-10-20"}  # fmt: skip
RECOGNIZED = {"assessment_id": A, "decision": {"number": "1/QĐ", "date": "2024-10-22"}}
ROUND_STEPS: list[tuple[str, dict[str, Any], str]] = [
    ("household.registered", {"household_id": H, "village": "Bản Huổi"}, "registrar"),
    ("review.opened", ROUND, "chairman"),
    ("household.assessed", ASSESSED, "registrar"),
    ("village.meeting.held", MEETING, "registrar"),
    ("assessment.voted", {"assessment_id": A, "meeting_id": M, "agree": 30}, "registrar"),
    ("review.posted", POSTED, "registrar"),
    ("objection.lodged", LODGED, "registrar"),
    ("objection.answered", ANSWERED, "chairman"),
    ("review.recognized", RECOGNIZED, "chairman"),
]


class Failed(Exception):
    pass


def _need(ok: bool, why: str) -> None:
    if not ok:
        raise Failed(why)


def _run(steps: list[tuple[str, dict[str, Any], str]]) -> list[str]:
    """Why the first entry that fails does (as the verifier, it stops there), or nothing."""
    state: dict[str, Any] = {}
    for kind, body, holder in steps:
        try:
            checks.check(kind, body, holder, state, _need)
        except Failed as failed:
            return [str(failed)]
    return []


def _with(position: int, changes: dict[str, Any], holder: str | None = None) -> list[str]:
    steps = list(ROUND_STEPS)
    kind, body, who = steps[position]
    steps[position] = (kind, {**body, **changes}, holder or who)
    return _run(steps)


def test_a_whole_round_passes() -> None:
    assert _run(ROUND_STEPS) == []


@pytest.mark.parametrize(
    ("position", "changes", "why"),
    [
        (1, {"from": "2024-08-31"}, "periodic round before 1 September"),
        (1, {"to": "2024-12-15"}, "periodic round after 14 December"),
        (2, {"result": "near_poor"}, "assessment result is not the standard's"),
        (3, {"date": "2024-12-20"}, "meeting outside its round"),
        (4, {"agree": 41}, "more agree than were present"),
        (4, {"meeting_id": "m2"}, "vote at a meeting not of the assessment's round"),
        (5, {"from": "2024-10-09"}, "posted before the village meeting"),
        (6, {"lodged_on": "2024-10-14"}, "objection before posting"),
        (7, {"answered_on": "2024-10-15"}, "answered before it was lodged"),
        (8, {"decision": {"number": "1/QĐ", "date": "2024-10-21"}}, "posting window closed"),
    ],
)
def test_each_rule_broken_is_named(position: int, changes: dict[str, Any], why: str) -> None:
    assert why in " / ".join(_with(position, changes))


def test_a_recognition_by_the_assessor_s_holder_fails() -> None:
    failed = _with(8, {}, holder="registrar")
    assert failed == ["recognised by the holder who assessed it (maker-checker)"]


def test_a_recognition_with_the_objection_open_or_twice_fails() -> None:
    open_objection = [step for step in ROUND_STEPS if step[0] != "objection.answered"]
    assert _run(open_objection) == ["recognised with an objection open"]
    assert _run([*ROUND_STEPS, ROUND_STEPS[-1]]) == ["assessment recognised twice"]


def test_a_recognition_without_a_majority_fails() -> None:
    assert _with(4, {"agree": 19}) == ["recognised without a meeting majority"]
