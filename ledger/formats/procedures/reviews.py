"""Bodies of the FORMATS 1.3 types of one procedure.

Poverty review rounds: assessments, the village meeting, public posting,
objections, recognition (docs/formats.md 11.4).
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.formats.fields import (
    Check,
    calendar_date,
    fail,
    integer,
    join,
    label,
    obj,
    one_of,
    optional,
    set_of,
    sha256_hex,
    uuid,
)
from ledger.formats.kinds import Kinds

TYPES: tuple[str, ...] = (
    "review.opened",
    "household.assessed",
    "village.meeting.held",
    "assessment.voted",
    "review.posted",
    "objection.lodged",
    "objection.answered",
    "review.recognized",
)
"""The types this module gives bodies to, as listed in ``versions.INTRODUCED``."""

ROUND_KINDS = ("periodic", "regular")
REQUESTS = ("none", "form_01", "form_04")
AREAS = ("rural", "urban")
RESULTS = ("poor", "near_poor", "not_poor")
OUTCOMES = ("upheld", "dismissed")
DEPRIVATIONS = frozenset(
    {
        "employment",
        "dependants",
        "nutrition",
        "health_insurance",
        "adult_education",
        "child_schooling",
        "housing_quality",
        "housing_area",
        "drinking_water",
        "sanitation",
        "telecom_use",
        "information_access",
    }
)
"""The 12 deprivation indicators of the multidimensional poverty standard (Decree 07/2021)."""


def _to_not_before_from(body: dict[str, object], path: str) -> None:
    # Dates are fixed-width YYYY-MM-DD, so string order is time order.
    start, end = body["from"], body["to"]
    if isinstance(start, str) and isinstance(end, str) and end < start:
        fail(join(path, "to"), "must not be before from")


label(_to_not_before_from, "rule", rule="not_before", fields=["to", "from"])


def bodies(kinds: Kinds) -> Mapping[str, Check]:
    """The body of each type, with the field kinds of one version."""
    short_text, free_text = kinds.short_text, kinds.text
    decision = obj({"number": short_text, "date": calendar_date})
    people = integer(1, 100_000, "a number of people")
    return {
        "review.opened": obj(
            {
                "round_id": uuid,
                "kind": one_of(*ROUND_KINDS),
                "from": calendar_date,
                "to": calendar_date,
                "plan": decision,
            },
            _to_not_before_from,
        ),
        "household.assessed": obj(
            {
                "assessment_id": uuid,
                "round_id": uuid,
                "household_id": uuid,
                "request": one_of(*REQUESTS),
                "area": one_of(*AREAS),
                "income_per_capita_month": kinds.money,
                "deprivations": optional(set_of(DEPRIVATIONS)),
                "result": one_of(*RESULTS),
            }
        ),
        "village.meeting.held": obj(
            {
                "meeting_id": uuid,
                "round_id": uuid,
                "village": free_text,
                "date": calendar_date,
                "chair": free_text,
                "supervisor": free_text,
                "present": people,
                "minutes_sha256": sha256_hex,
            }
        ),
        "assessment.voted": obj(
            {
                "assessment_id": uuid,
                "meeting_id": uuid,
                "agree": integer(0, 100_000, "a number of people"),
            }
        ),
        "review.posted": obj(
            {
                "posting_id": uuid,
                "round_id": uuid,
                "village": free_text,
                "place": free_text,
                "from": calendar_date,
                "to": calendar_date,
            },
            _to_not_before_from,
        ),
        "objection.lodged": obj(
            {
                "objection_id": uuid,
                "assessment_id": uuid,
                "lodged_on": calendar_date,
                "objector": optional(sha256_hex),
                "summary": free_text,
            }
        ),
        "objection.answered": obj(
            {
                "objection_id": uuid,
                "assessment_id": uuid,
                "outcome": one_of(*OUTCOMES),
                "answer": free_text,
                "answered_on": calendar_date,
            }
        ),
        "review.recognized": obj(
            {
                "assessment_id": uuid,
                "household_id": uuid,
                "result": one_of(*RESULTS),
                "decision": decision,
            }
        ),
    }
