"""Grievances and beneficiaries' confirmations, as the log tells them (docs/formats.md 11.5).

:func:`cases_of` folds the entries of the five types, in log order, into one
:class:`Case` per grievance or confirmation. From them:

- :func:`grievance_findings`: ``GRIEVANCE_OVERDUE``, a grievance neither
  answered nor closed whose due date is before the report date; and
  ``PAYMENT_DISPUTED``, a paid payroll line whose lookup code got a
  ``not_received`` or ``wrong_amount`` confirmation whose grievance is not
  closed. Each with the entries that prove it.
- :func:`public_summary`: what the public pages show: counts per month and
  kind, the open ones' due dates, confirmations per outcome. Never who
  lodged a grievance, what it says, or what it is about beyond its kind.

The entries are read from the log (the read models keep no rows of them):
:func:`api.reading.grievance_cases` reads those recorded within a snapshot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ledger.formats.procedures.grievances import due_after
from projections.model import Snapshot
from projections.reports import wording as say
from projections.reports.receipts import receipt_code

TYPES = (
    "grievance.lodged",
    "grievance.assigned",
    "grievance.answered",
    "grievance.closed",
    "receipt.confirmed",
)
"""The statement types a case is made of."""
Anomaly = dict[str, Any]


@dataclass
class Case:
    """A grievance, or a confirmation from the public page (``outcome`` set)."""

    case_id: str
    subject: str  # list | payment | exclusion | benefit | other
    lodged_on: str
    due: str | None
    code: str | None = None  # the payroll line's lookup code
    subject_id: str | None = None
    channel: str = "lookup_page"
    outcome: str | None = None  # of a confirmation: received | not_received | wrong_amount
    assigned_to: str | None = None
    answered_on: str | None = None
    closed: str | None = None  # resolved | unfounded | withdrawn
    closed_on: str | None = None
    entries: list[int] = field(default_factory=list)

    @property
    def grievance(self) -> bool:
        return self.outcome != "received"

    @property
    def open(self) -> bool:
        return self.grievance and self.closed is None


def cases_of(statements: Iterable[tuple[int, str, dict[str, Any]]]) -> dict[str, Case]:
    """Each case of ``(index, type, body)`` entries, in log order."""
    cases: dict[str, Case] = {}
    for index, kind, body in statements:
        if kind == "grievance.lodged":
            subject = body["subject"]
            case = Case(
                body["grievance_id"],
                subject["kind"],
                body["lodged_on"],
                body["due"],
                code=subject.get("code"),
                subject_id=subject.get("id"),
                channel=body["channel"],
            )
            cases[case.case_id] = case
        elif kind == "receipt.confirmed":
            disputed = body["outcome"] != "received"
            day = body["confirmed_on"]
            case = Case(
                body["confirmation_id"],
                "payment",
                day,
                due_after(day) if disputed else None,  # 30 days (docs/formats.md 11.5)
                code=body["code"],
                outcome=body["outcome"],
            )
            cases[case.case_id] = case
        elif kind in TYPES:
            case = cases[body["grievance_id"]]
            if kind == "grievance.assigned":
                case.assigned_to = body["to"]
                case.due = body.get("due", case.due)
            elif kind == "grievance.answered":
                case.answered_on = body["answered_on"]
            else:
                case.closed, case.closed_on = body["outcome"], body["closed_on"]
        else:
            continue
        case.entries.append(index)
    return cases


def paid_lines(snap: Snapshot) -> dict[str, tuple[str, str, list[str]]]:
    """Each paid payroll line by its code: (benefit id, month, unreversed payment ids)."""
    lines: dict[str, tuple[str, str, list[str]]] = {}
    for payment in sorted(snap.payments.values(), key=lambda p: p.index):
        if payment.reversed:
            continue
        benefit = snap.benefits[payment.benefit_id]
        month = payment.month or benefit.start
        code = receipt_code(snap.ledger_id, benefit.benefit_id, month)
        lines.setdefault(code, (benefit.benefit_id, month, []))[2].append(payment.payment_id)
    return lines


def grievance_findings(
    snap: Snapshot, cases: Mapping[str, Case], on: str, anomaly: Callable[..., Anomaly]
) -> list[Anomaly]:
    """GRIEVANCE_OVERDUE and PAYMENT_DISPUTED as of the report date ``on``."""
    out: list[Anomaly] = []
    lines = paid_lines(snap) if any(c.code for c in cases.values()) else {}
    for case in cases.values():
        if not case.open:
            continue
        if case.answered_on is None and case.due is not None and case.due < on:
            detail = say.grievance_overdue(case.subject, case.lodged_on, case.due, on)
            found = anomaly("GRIEVANCE_OVERDUE", detail, **_about(snap, case, lines))
            found["log_entries"] = list(case.entries)
            out.append(found)
        paid = lines.get(case.code or "") if case.outcome else None
        if paid is not None:
            _, month, payment_ids = paid
            amount = sum(snap.payments[p].amount for p in payment_ids)
            detail = say.payment_disputed(str(case.outcome), month, amount, case.lodged_on)
            found = anomaly("PAYMENT_DISPUTED", detail, **_about(snap, case, lines))
            found["log_entries"] = [
                *case.entries,
                *(snap.payments[p].index for p in payment_ids),
            ]
            out.append(found)
    return out


def _about(
    snap: Snapshot, case: Case, lines: Mapping[str, tuple[str, str, list[str]]]
) -> dict[str, str | None]:
    """The ids a finding about ``case`` names: its own, and the line or entity it is about."""
    ids: dict[str, str | None] = {"grievance_id": case.case_id}
    line = lines.get(case.code or "")
    if line is not None:
        benefit = snap.benefits[line[0]]
        ids |= {"benefit_id": benefit.benefit_id, "program_id": benefit.program_id}
        ids |= {"month": line[1], "person_id": benefit.person_id}
        ids["household_id"] = benefit.household_id
    elif case.subject_id in snap.households:
        ids["household_id"] = case.subject_id
    elif case.subject_id in snap.people:
        ids["person_id"] = case.subject_id
    elif case.subject_id in snap.benefits:
        ids["benefit_id"] = case.subject_id
    return ids


def public_summary(cases: Mapping[str, Case], on: str) -> dict[str, Any]:
    """What the public pages show: counts and deadlines, never who or what exactly."""
    by_month: dict[str, Counter[str]] = defaultdict(Counter)
    confirmations: Counter[str] = Counter()
    open_ones = []
    for case in cases.values():
        if case.outcome is not None:
            confirmations[case.outcome] += 1
        if not case.grievance:
            continue
        by_month[case.lodged_on[:7]][case.subject] += 1
        if case.closed is None:
            open_ones.append(
                {
                    "subject": case.subject,
                    "lodged_on": case.lodged_on,
                    "due": case.due,
                    "answered": case.answered_on is not None,
                    "overdue": case.answered_on is None and case.due is not None and case.due < on,
                }
            )
    open_ones.sort(key=lambda c: (c["due"] or "", c["lodged_on"], c["subject"]))
    closed = Counter(c.closed for c in cases.values() if c.grievance and c.closed is not None)
    return {
        "on": on,
        "months": [
            {
                "month": month,
                "total": sum(kinds.values()),
                "by_subject": dict(sorted(kinds.items())),
            }
            for month, kinds in sorted(by_month.items())
        ],
        "open": open_ones,
        "closed": dict(sorted(closed.items())),
        "confirmations": dict(sorted(confirmations.items())),
    }


def confirmations_of(cases: Mapping[str, Case], code: str) -> Counter[str]:
    """How many confirmations a payroll line got, by outcome (no more is shown of them)."""
    return Counter(c.outcome for c in cases.values() if c.code == code and c.outcome)
