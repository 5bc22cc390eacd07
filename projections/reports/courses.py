"""A monthly benefit's course under FORMATS 1.3 allowance changes (docs/formats.md 11.2).

- A **rebase** approved from month F makes the benefit's amount, in every
  month M from F on (until a later rebase), the standard level of its
  program's category in force in M times the coefficient (in hundredths,
  rounded down to the đồng): the 2024-07 level raises it without a new
  proposal.
- A **suspension** approved from month S stops the months from S until the
  month before an approved **resumption** (or for good).
- A **departure** (``person.left``) stops a person's benefits after the
  month they left, like a death; a household's after the last month one of
  its members was alive and present.

A change counts on a date ``on`` when its decision is dated on or before
``on``, as a benefit's own approval does. Everything here is a pure
function of a :class:`~projections.model.Snapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from projections.model import Benefit, BenefitChange, Level, Person, Snapshot
from projections.reports import wording as say
from projections.reports.wording import Said


@dataclass
class Course:
    """The approved changes of one benefit, in decision order."""

    rebases: list[BenefitChange] = field(default_factory=list)
    # (first suspended month, first month resumed or None), in order
    suspensions: list[tuple[BenefitChange, BenefitChange | None]] = field(default_factory=list)

    def suspension_in(self, month: str) -> BenefitChange | None:
        """The approved suspension that stops ``month``, if one does."""
        for suspend, resume in self.suspensions:
            if suspend.start <= month and (resume is None or month < resume.start):
                return suspend
        return None

    def rebase_in(self, month: str) -> BenefitChange | None:
        """The rebase in force in ``month``: the latest ``from`` on or before it (ties: the
        later decision)."""
        found = [c for c in self.rebases if c.start <= month]
        return max(found, key=lambda c: (c.start, c.decided_index or 0)) if found else None


def counts_on(change: BenefitChange, on: str | None) -> bool:
    """Approved by a decision dated on or before ``on`` (None: any approval)."""
    if change.state != "approved" or change.decision_date is None:
        return False
    return on is None or change.decision_date <= on


def courses(snap: Snapshot, on: str | None = None) -> dict[str, Course]:
    """The course of every benefit with approved changes, by benefit id."""
    out: dict[str, Course] = {}
    approved = [c for c in snap.changes.values() if counts_on(c, on)]
    for change in sorted(approved, key=lambda c: c.decided_index or 0):
        course = out.setdefault(change.benefit_id, Course())
        if change.kind == "rebase":
            course.rebases.append(change)
        elif change.kind == "suspend":
            course.suspensions.append((change, None))
        elif course.suspensions and course.suspensions[-1][1] is None:
            course.suspensions[-1] = (course.suspensions[-1][0], change)
    return out


def level_in_force(snap: Snapshot, category: str, month: str) -> Level | None:
    """The standard level of ``category`` in force in ``month`` (the latest from on or
    before it)."""
    found = [
        lv for (c, effective), lv in snap.levels.items() if c == category and effective <= month
    ]
    return max(found, key=lambda lv: lv.effective) if found else None


def amount_in(snap: Snapshot, benefit: Benefit, course: Course | None, month: str) -> int:
    """What the benefit is due for ``month``: its amount, or its rebase's level × coefficient."""
    rebase = course.rebase_in(month) if course is not None else None
    if rebase is None or rebase.coefficient is None:
        return benefit.amount
    category = snap.programs[benefit.program_id].category
    level = level_in_force(snap, category, month)
    return benefit.amount if level is None else level.amount * rebase.coefficient // 100


def _gone(snap: Snapshot, person: Person) -> str | None:
    """The last month the person was alive and present, or None while they are."""
    months = [person.died_on[:7]] if person.died_on else []
    departure = snap.departures.get(person.person_id)
    if departure is not None:
        months.append(departure.date[:7])
    return min(months) if months else None


def left_month(snap: Snapshot, benefit: Benefit) -> str | None:
    """The last month a departure leaves the benefit, or None when no departure stops it.

    A person's benefit: the month they left. A household's: the last month one
    of its members was alive and present, when at least one of them left and
    none is alive and present any more (deaths alone: ``death_month``).
    """
    if benefit.person_id is not None:
        departure = snap.departures.get(benefit.person_id)
        return departure.date[:7] if departure is not None else None
    people = [p for p in snap.people.values() if p.household_id == benefit.household_id]
    if not any(p.person_id in snap.departures for p in people):
        return None
    gone = [_gone(snap, p) for p in people]
    if any(g is None for g in gone):
        return None
    return max(g for g in gone if g is not None)


def left_months(snap: Snapshot) -> dict[str, str]:
    """:func:`left_month` of every benefit a departure stops, by benefit id."""
    if not snap.departures:
        return {}
    out = {}
    for benefit in snap.benefits.values():
        month = left_month(snap, benefit)
        if month is not None:
            out[benefit.benefit_id] = month
    return out


def halt(
    snap: Snapshot, benefit: Benefit, month: str, course: Course | None, left: str | None
) -> tuple[str, Said] | None:
    """Why a payment for ``month`` is for a month the benefit was stopped in (the
    beneficiary left, or the benefit was suspended), as (code, what it says); else None."""
    if left is not None and month > left:
        departures = [snap.departures[p] for p in _people(snap, benefit) if p in snap.departures]
        last = max(departures, key=lambda d: d.date)
        said = say.after_leaving(benefit.person_id is None, left, last.to, month)
        return "PAID_AFTER_LEAVING", said
    suspension = course.suspension_in(month) if course is not None else None
    if suspension is not None:
        said = say.while_suspended(month, suspension.start, suspension.decision_number)
        return "PAID_WHILE_SUSPENDED", said
    return None


def halt_evidence(snap: Snapshot, code: str, benefit: Benefit, month: str) -> list[int]:
    """The entries proving a halt: the departures, or the suspension's proposal and decision."""
    if code == "PAID_AFTER_LEAVING":
        return [snap.departures[p].index for p in _people(snap, benefit) if p in snap.departures]
    course = courses(snap).get(benefit.benefit_id)
    suspension = course.suspension_in(month) if course is not None else None
    if suspension is None:
        return []
    return [suspension.index, *([suspension.decided_index] if suspension.decided_index else [])]


def _people(snap: Snapshot, benefit: Benefit) -> list[str]:
    if benefit.person_id is not None:
        return [benefit.person_id]
    return [p.person_id for p in snap.people.values() if p.household_id == benefit.household_id]
