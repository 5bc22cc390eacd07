"""Who is entitled to what, month by month, as the approvals stood on a date.

DESIGN.md "Reconciliation": a month is entitled when the benefit is approved
and the month lies within its ``start``..``end``/``last_month``, up to and
including the month of the beneficiary's death (for a household benefit,
while the household has members alive). FORMATS 1.3 changes
(:mod:`projections.reports.courses`): a rebased month is due at the level in
force times the coefficient, a suspended month is not due, nor a month
after the beneficiary left the commune. A benefit counts as approved on a
date ``on`` when its approval's decision date is on or before ``on``; months
after the month of ``on`` are not due yet. Monthly programs give one
entitlement per month of ``amount``; one-off and in-kind benefits give one
entitlement, in their ``start`` month.

Months (``YYYY-MM``) and dates (``YYYY-MM-DD``) are fixed-width strings, so
string order is time order. Everything here is a pure function of a
:class:`~projections.model.Snapshot`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ledger.errors import InvalidField
from ledger.formats import fields
from projections.model import Benefit, Person, Snapshot, StatusProposal
from projections.reports.courses import amount_in, courses, left_months

MAX_MONTHS = 1200  # a hundred years: the bound on every month range we walk
FOREVER = "9999-12"
POOR_STATUSES = frozenset({"poor", "near_poor"})


@dataclass(frozen=True)
class Entitlement:
    """One month (or the one payment) a benefit is due."""

    benefit_id: str
    program_id: str
    month: str
    amount: int
    person_id: str | None
    household_id: str | None


# -- months and dates -----------------------------------------------------------
def check_month(value: str, field: str) -> str:
    """``value`` if it is a month ``YYYY-MM`` as statements write them (the ledger's rule);
    else :class:`InvalidField` naming ``field``."""
    fields.month(value, field)
    return value


def check_date(value: str, field: str) -> str:
    """``value`` if it is a calendar date ``YYYY-MM-DD`` (the ledger's rule); else
    :class:`InvalidField` naming ``field``."""
    fields.calendar_date(value, field)
    return value


def check_period(from_month: str, to_month: str) -> None:
    check_month(from_month, "from")
    check_month(to_month, "to")
    if from_month > to_month:
        raise InvalidField("from", f"{from_month} is after to ({to_month})")
    if len(months(from_month, to_month)) >= MAX_MONTHS:
        raise InvalidField("to", f"a period holds fewer than {MAX_MONTHS} months")


def next_month(month: str) -> str:
    year, mo = int(month[:4]), int(month[5:7])
    return f"{year + mo // 12:04d}-{mo % 12 + 1:02d}"


def month_end(month: str) -> str:
    """The last day of a month, as a date."""
    following = next_month(month)
    day = date(int(following[:4]), int(following[5:7]), 1).toordinal() - 1
    return date.fromordinal(day).isoformat()


def months(first: str, last: str) -> list[str]:
    """The months ``first..last`` inclusive (empty when ``first > last``)."""
    out: list[str] = []
    month = first
    while month <= last:
        out.append(month)
        month = next_month(month)
        if len(out) > MAX_MONTHS:
            raise InvalidField("to", f"a range of more than {MAX_MONTHS} months")
    return out


def snapshot_date(snap: Snapshot, through: str | None = None) -> str | None:
    """The default report date: the end of the period the ledger covers.

    That is the last day of the last month with payments (the latest month a
    payment is for, or was paid in), never the day the ledger was built or
    last written to: a ledger kept after the fact (imported, or a demo) would
    otherwise report on a day long after its last month, when every benefit
    has ended. A ledger with no payments yet: the day of its last entry (UTC).

    ``through`` (a reconciliation's last month) stretches it to that month's
    end when that is later, but not past the day of the last entry: a period
    asked for is reported on as it closes, not before, nor in the future.
    """
    recorded = snap.last_recorded_at[:10]
    latest = ""
    for payment in snap.payments.values():
        paid_for = payment.month or snap.benefits[payment.benefit_id].start
        latest = max(latest, paid_for, payment.paid_on[:7])
    covered = month_end(latest) if latest else recorded
    if through is not None and recorded:
        covered = max(covered, min(month_end(through), recorded))
    return covered or None


def covered_months(snap: Snapshot) -> tuple[str, str] | None:
    """The months the ledger covers, a reconciliation's default period: from the first
    month a payment is for (or was paid in) to the month of :func:`snapshot_date`.
    None for a ledger with no entries."""
    last = snapshot_date(snap)
    if last is None:
        return None
    first = last[:7]
    for payment in snap.payments.values():
        paid_for = payment.month or snap.benefits[payment.benefit_id].start
        first = min(first, paid_for[:7], payment.paid_on[:7])
    return first, last[:7]


# -- benefits --------------------------------------------------------------------
def approved_on(benefit: Benefit, on: str | None) -> bool:
    """Approved (possibly ended since) by a decision dated on or before ``on``."""
    if benefit.state not in ("approved", "ended") or benefit.decision_date is None:
        return False
    return on is None or benefit.decision_date <= on


def last_month(benefit: Benefit) -> str | None:
    """The benefit's last month by its own terms: ``end`` or ``last_month``, the earlier."""
    ends = [m for m in (benefit.end, benefit.last_month) if m is not None]
    return min(ends) if ends else None


def is_monthly(snap: Snapshot, benefit: Benefit) -> bool:
    return snap.programs[benefit.program_id].kind == "monthly"


def span(snap: Snapshot, benefit: Benefit) -> tuple[str, str]:
    """The months the benefit covers by its own terms (one month for a one-off)."""
    if not is_monthly(snap, benefit):
        return benefit.start, benefit.start
    return benefit.start, last_month(benefit) or FOREVER


def members(snap: Snapshot, household_id: str) -> list[Person]:
    return [p for p in snap.people.values() if p.household_id == household_id]


def death_month(snap: Snapshot, benefit: Benefit) -> str | None:
    """The last month the beneficiary was alive in, or None while they (someone) live.

    A household with no registered members has no recorded deaths, so its
    benefit is not cut short.
    """
    if benefit.person_id is not None:
        died = snap.people[benefit.person_id].died_on
        return died[:7] if died else None
    return _last_death(members(snap, benefit.household_id or ""))


def death_months(snap: Snapshot) -> dict[str, str | None]:
    """:func:`death_month` of every benefit, by benefit id (one pass over the people)."""
    households: dict[str, list[Person]] = {}
    for person in snap.people.values():
        households.setdefault(person.household_id, []).append(person)
    out: dict[str, str | None] = {}
    for b in snap.benefits.values():
        if b.person_id is not None:
            out[b.benefit_id] = death_month(snap, b)
        else:
            out[b.benefit_id] = _last_death(households.get(b.household_id or "", []))
    return out


def _last_death(people: list[Person]) -> str | None:
    if not people or any(p.died_on is None for p in people):
        return None
    return max(p.died_on or "" for p in people)[:7]


def benefit_months(
    snap: Snapshot, benefit: Benefit, first: str, last: str, died: str | None
) -> list[str]:
    """The months within ``first..last`` the benefit is due (approval aside), given
    the last month its beneficiary lived (:func:`death_month`)."""
    start, end = span(snap, benefit)
    end = min(end, last, died) if died is not None else min(end, last)
    return months(max(start, first), end)


def entitlements(
    snap: Snapshot, from_month: str, to_month: str, on: str | None = None
) -> list[Entitlement]:
    """Every month due within ``from_month..to_month``, as approved on ``on``.

    ``on`` None means no cut-off: every approval the snapshot holds counts.
    """
    last = to_month if on is None else min(to_month, on[:7])
    deaths, changed, left = death_months(snap), courses(snap, on), left_months(snap)
    out: list[Entitlement] = []
    for benefit in sorted(snap.benefits.values(), key=lambda b: b.index):
        if not approved_on(benefit, on):
            continue
        stops = [m for m in (deaths[benefit.benefit_id], left.get(benefit.benefit_id)) if m]
        course = changed.get(benefit.benefit_id)  # FORMATS 1.3 changes (courses.py)
        for month in benefit_months(snap, benefit, from_month, last, min(stops, default=None)):
            if course is not None and course.suspension_in(month) is not None:
                continue
            out.append(
                Entitlement(
                    benefit.benefit_id,
                    benefit.program_id,
                    month,
                    amount_in(snap, benefit, course, month),
                    benefit.person_id,
                    benefit.household_id,
                )
            )
    return out


def household_at(person: Person, index: int) -> str:
    """Where the person lived when entry ``index`` was recorded."""
    where = person.moves[0][0] if person.moves else person.household_id
    for household_id, moved_at in person.moves:
        if moved_at <= index:
            where = household_id
    return where


def beneficiary_household(snap: Snapshot, benefit: Benefit, index: int) -> str:
    """The household a benefit belongs to (the person's, at entry ``index``)."""
    if benefit.household_id is not None:
        return benefit.household_id
    return household_at(snap.people[benefit.person_id or ""], index)


# -- household status --------------------------------------------------------------
Book = dict[str, list[StatusProposal]]  # household id -> its approved status proposals


def status_book(snap: Snapshot) -> Book:
    """Approved status proposals by household, to look many households up at once."""
    book: Book = {}
    for p in snap.proposals.values():
        if p.state == "approved":
            book.setdefault(p.household_id, []).append(p)
    return book


def status_on(
    snap: Snapshot, household_id: str, day: str, on: str | None = None, book: Book | None = None
) -> str | None:
    """The approved status in force on ``day``: the latest approved proposal with
    ``effective <= day`` (decided by ``on``), or None when none was ever approved."""
    found: tuple[str, int, str] | None = None
    for p in (book if book is not None else status_book(snap)).get(household_id, []):
        if p.effective > day or (on is not None and (p.decision_date or "") > on):
            continue
        key = (p.effective, p.decided_index or 0, p.status)
        if found is None or key > found:
            found = key
    return found[2] if found else None


def poor_in_month(
    snap: Snapshot, household_id: str, month: str, on: str | None = None, book: Book | None = None
) -> bool:
    """Whether the household was on the poor or near-poor list on any day of ``month``."""
    book = book if book is not None else status_book(snap)
    days = [f"{month}-01"] + [
        p.effective
        for p in book.get(household_id, [])
        if p.effective[:7] == month and (on is None or (p.decision_date or "") <= on)
    ]
    return any(status_on(snap, household_id, day, on, book) in POOR_STATUSES for day in days)
