"""The approved lists a village sees: poor and near-poor households, beneficiaries.

Public fields only (DESIGN.md "Rules of the domain"): household code,
village, category, amount. No names (they live in the vault), no person ids,
ethnicity, health detail or bank account. A household is listed with the
approved status in force on ``on``; a benefit when it is approved by ``on``
and ``on`` falls within its months (a one-off or in-kind benefit: within the
calendar year of its month, up to ``on``), while its beneficiary lives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from projections.model import Benefit, Snapshot
from projections.reports.basis import basis
from projections.reports.courses import amount_in, courses, left_months
from projections.reports.entitlements import (
    approved_on,
    beneficiary_household,
    check_date,
    death_months,
    is_monthly,
    last_month,
    snapshot_date,
    span,
    status_book,
    status_on,
)

STATUS_ORDER = {"poor": 0, "near_poor": 1}


def household_lists(snap: Snapshot, on: str) -> list[dict[str, Any]]:
    """Poor and near-poor households on ``on``, by village, status and code."""
    rows = []
    book = status_book(snap)
    for household in snap.households.values():
        status = status_on(snap, household.household_id, on, on, book)
        if status not in STATUS_ORDER:
            continue
        rows.append(
            {
                "village": household.village,
                "household_code": household.code,
                "household_id": household.household_id,
                "status": status,
                "effective": _in_force(snap, household.household_id, on),
            }
        )
    return sorted(
        rows, key=lambda r: (r["village"], STATUS_ORDER[r["status"]], r["household_code"])
    )


def _in_force(snap: Snapshot, household_id: str, on: str) -> str:
    """The effective date of the status in force on ``on``."""
    return max(
        p.effective
        for p in snap.proposals.values()
        if p.household_id == household_id
        and p.state == "approved"
        and p.effective <= on
        and (p.decision_date or "") <= on
    )


def listed(snap: Snapshot, benefit: Benefit, on: str, died: str | None) -> bool:
    """Whether the benefit belongs on the public list of ``on``, given the last
    month its beneficiary lived (:func:`~projections.reports.entitlements.death_month`)."""
    if not approved_on(benefit, on):
        return False
    if is_monthly(snap, benefit):
        start, end = span(snap, benefit)
        end = min(end, died) if died is not None else end
    else:
        start, end = benefit.start, f"{benefit.start[:4]}-12"
        if died is not None and died < start:
            return False
    return start <= on[:7] <= end


def beneficiary_lists(snap: Snapshot, on: str) -> list[dict[str, Any]]:
    """Each program's beneficiaries on ``on``, by program code, village and household."""
    rows = []
    deaths, changed, left = death_months(snap), courses(snap, on), left_months(snap)
    for benefit in snap.benefits.values():
        if not listed(snap, benefit, on, deaths[benefit.benefit_id]):
            continue
        course = changed.get(benefit.benefit_id)  # FORMATS 1.3: suspended, or left
        if course is not None and course.suspension_in(on[:7]) is not None:
            continue
        if benefit.benefit_id in left and left[benefit.benefit_id] < on[:7]:
            continue
        program = snap.programs[benefit.program_id]
        household = snap.households[beneficiary_household(snap, benefit, snap.as_of)]
        rows.append(
            {
                "program_id": program.program_id,
                "program_code": program.code,
                "program_name": program.name,
                "category": program.category,
                "village": household.village,
                "household_code": household.code,
                "benefit_id": benefit.benefit_id,
                "amount": amount_in(snap, benefit, course, on[:7]),
                "start": benefit.start,
                "end": last_month(benefit) if is_monthly(snap, benefit) else benefit.start,
            }
        )
    return sorted(
        rows,
        key=lambda r: (r["program_code"], r["village"], r["household_code"], r["benefit_id"]),
    )


def lists(
    snap: Snapshot, on: str | None = None, checkpoint: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The approved lists of ``on`` (default: the end of the last month paid)."""
    on = check_date(on, "on") if on is not None else snapshot_date(snap) or "9999-12-31"
    return {
        **basis(snap, checkpoint),
        "on": on,
        "households": household_lists(snap, on),
        "beneficiaries": beneficiary_lists(snap, on),
    }
