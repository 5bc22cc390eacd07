"""Reconciliation (đối soát): what was due, what was paid, and what looks wrong.

``reconcile(snapshot, from_month, to_month, on)`` compares, per program and
month, the entitlements due by ``on`` with the unreversed payments made by
``on``, totals each program's funds, and lists anomalies (DESIGN.md
"Reconciliation"). Two timelines: ``snapshot`` fixes what the ledger knew
(``as_of``), ``on`` the business date the report stands on (default: the
end of the period the ledger covers, the last day of its last month paid,
or of ``to_month`` when later and past). The same sums per village and
program (:mod:`projections.reports.villages`) come with it.

A payment is "for" its ``month``, or for its benefit's ``start`` month when it
pays a one-off. Only payments for months within the period are reconciled;
funds run from the ledger's start to ``on``. Reversed payments count for
nothing. The result is plain JSON-ready data in a fixed order, so one
snapshot always gives the same bytes.

Each anomaly keeps DESIGN.md's shape (``code``, ``detail`` in English, the
ids) and says more, so that it can be acted on (:mod:`.findings`): the
household code, village, program, months, amounts and the log entries that
prove it (``evidence``), a short ``finding_id``, and ``detail_vi``: the same
finding in Vietnamese (:mod:`.wording`). ``detail`` stays English and stable;
a view picks the text of its language.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from projections.model import Benefit, Payment, Snapshot
from projections.reports import wording as say
from projections.reports.agents import CODES as AGENT_CODES
from projections.reports.agents import Item, agent_findings
from projections.reports.basis import basis
from projections.reports.codes import person_codes
from projections.reports.courses import courses, halt, left_months
from projections.reports.duplicates import Pair, duplicate_findings
from projections.reports.entitlements import (
    Book,
    Entitlement,
    approved_on,
    beneficiary_household,
    check_date,
    check_period,
    death_months,
    entitlements,
    household_at,
    poor_in_month,
    snapshot_date,
    span,
    status_book,
    status_on,
)
from projections.reports.findings import annotate
from projections.reports.funds import counted_payments, funds
from projections.reports.grievances import Case, grievance_findings
from projections.reports.reviews import ReviewLog, review_findings
from projections.reports.tally import tally, zeros
from projections.reports.villages import village_rows

CODES = (
    "NO_APPROVED_BENEFIT",
    "OUTSIDE_BENEFIT_PERIOD",
    "DUPLICATE_PAYMENT",
    "OVERPAYMENT",
    "UNDERPAYMENT",
    "PAID_AFTER_DEATH",
    "RECIPIENT_NOT_ELIGIBLE",
    "HOUSEHOLD_NOT_ELIGIBLE",
    "UNPAID_ENTITLEMENT",
    "FUND_OVERDRAWN",
    "SELF_APPROVED_PAYMENT",
    "OVERLAPPING_BENEFITS",
    "DUPLICATE_IDENTITY",
    "UNRESOLVED_DUPLICATE",
    "GRIEVANCE_OVERDUE",  # FORMATS 1.3 (docs/formats.md 11.5): projections.reports.grievances
    "PAYMENT_DISPUTED",
    "PAID_WHILE_SUSPENDED",  # FORMATS 1.3 (docs/formats.md 11.2)
    "PAID_AFTER_LEAVING",
    "STATUS_SKIPPED_REVIEW",  # FORMATS 1.3 (11.4): projections.reports.reviews
    "OBJECTION_UPHELD_RECOGNIZED",
    *AGENT_CODES,  # FORMATS 1.3 (11.3): projections.reports.agents
)
_ID_FIELDS = (
    "payment_id",
    "benefit_id",
    "person_id",
    "household_id",
    "month",
    "program_id",
    "grievance_id",
)
Anomaly = dict[str, Any]
Key = tuple[str, str]  # (benefit_id, month)


vnd = say.vnd


def anomaly(code: str, detail: say.Said, **ids: str | None) -> Anomaly:
    """An anomaly saying ``detail`` (English, Vietnamese) with the ids that are known
    (absent ones are left out)."""
    assert code in CODES, code
    found: Anomaly = {"code": code, "detail": detail[0], "detail_vi": detail[1]}
    found.update({k: v for k, v in ids.items() if v is not None})
    return found


def reconcile(
    snap: Snapshot,
    from_month: str,
    to_month: str,
    on: str | None = None,
    identities: Mapping[str, str] | None = None,
    checkpoint: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
    reviews: Mapping[Pair, str] | None = None,
    cases: Mapping[str, Case] | None = None,
    rounds: ReviewLog | None = None,
    sendings: Iterable[Item] | None = None,
) -> dict[str, Any]:
    """The reconciliation of ``from_month..to_month`` as it stood on ``on``.

    ``identities`` ({person_id: national_id}, from the vault) enables
    DUPLICATE_IDENTITY; with ``names`` ({person_id: full_name}) people of the
    same name, birth year and village are suspected too (UNRESOLVED_DUPLICATE
    until reviewed); ``reviews`` ({sorted pair: outcome}) are the
    ``identity.reviewed`` decisions (:mod:`projections.reports.duplicates`).
    ``cases`` (grievances and confirmations read from the log,
    :mod:`projections.reports.grievances`) enable GRIEVANCE_OVERDUE and
    PAYMENT_DISPUTED. ``rounds``: the poverty review rounds read from the log
    (:mod:`.reviews`). ``sendings``: the paying agents' lists, settlements and refunds
    read from the log (:mod:`.agents`): LIST_SENT_LATE, AGENT_HOLDS_FUNDS and
    PAYMENT_NOT_ACKNOWLEDGED of the months reconciled.
    ``checkpoint`` ({tree_size, root, ...}) names the log state the snapshot
    was computed from and is copied into the result.
    """
    check_period(from_month, to_month)
    on = check_date(on, "on") if on is not None else snapshot_date(snap, to_month)
    due = {(e.benefit_id, e.month): e for e in entitlements(snap, from_month, to_month, on)}
    groups = _payment_groups(snap, from_month, to_month, on)
    deaths, book = death_months(snap), status_book(snap)
    found: list[Anomaly] = []
    changed, left = courses(snap, on), left_months(snap)
    for (benefit_id, month), payments in groups.items():
        benefit, died = snap.benefits[benefit_id], deaths[benefit_id]
        entitled = due.get((benefit_id, month))
        stopped = None
        if entitled is None and approved_on(benefit, on) and not (died and month > died):
            start, end = span(snap, benefit)
            if start <= month <= end:  # FORMATS 1.3: suspended, or after leaving
                stopped = halt(snap, benefit, month, changed.get(benefit_id), left.get(benefit_id))
        if stopped is None:
            found += _group_anomalies(snap, benefit, month, payments, entitled, on, died)
        for payment in payments:
            found += _payment_anomalies(snap, benefit, payment, month, (on, died, book))
            if stopped is not None:
                code, why = stopped
                found.append(anomaly(code, why, **_payment_ids(benefit, payment, month)))
    for key, e in due.items():
        if key not in groups:
            found.append(
                anomaly(
                    "UNPAID_ENTITLEMENT",
                    say.unpaid(e.amount, e.month, on),
                    **_benefit_ids(snap.benefits[e.benefit_id]),
                    month=e.month,
                )
            )
    found += _overlaps(snap, from_month, to_month, on)
    fund_rows = funds(snap, on)
    found += _overdrawn(fund_rows)
    if identities is not None:
        found += duplicate_findings(snap, identities, names, reviews or {}, anomaly)
    if cases and on is not None:
        found += grievance_findings(snap, cases, on, anomaly)
    if rounds is not None:
        found += review_findings(snap, rounds, on or "9999-12-31", anomaly)
    if sendings is not None:
        found += agent_findings(snap, sendings, on, from_month, to_month)
    found.sort(key=lambda a: (a["code"], *(a.get(k, "") for k in _ID_FIELDS), a["detail"]))
    annotate(snap, found, {k: e.amount for k, e in due.items()}, groups, fund_rows)
    programs = _program_rows(snap, due, groups)
    return {
        **basis(snap, checkpoint),
        "period": {"from": from_month, "to": to_month, "on": on},
        "identities_checked": identities is not None,
        "programs": programs,
        "totals": {
            k: sum(row[k] for row in programs) for k in ("entitled", "paid", "unpaid", "overpaid")
        },
        "villages": village_rows(snap, due, groups),
        "funds": fund_rows,
        "anomalies": found,
    }


def paid_for(snap: Snapshot, payment: Payment) -> str:
    """The month a payment is for (a one-off: its benefit's start month)."""
    return payment.month or snap.benefits[payment.benefit_id].start


def _payment_groups(
    snap: Snapshot, first: str, last: str, on: str | None
) -> dict[Key, list[Payment]]:
    """Counted payments for months in the period, by (benefit, month), earliest first."""
    groups: dict[Key, list[Payment]] = defaultdict(list)
    for payment in counted_payments(snap, on):
        month = paid_for(snap, payment)
        if first <= month <= last:
            groups[(payment.benefit_id, month)].append(payment)
    for payments in groups.values():
        if len(payments) > 1:
            payments.sort(key=lambda p: (p.paid_on, p.index))
    # Unordered: every result built from the groups is sorted on its own terms.
    return groups


def _benefit_ids(benefit: Benefit) -> dict[str, str | None]:
    return {
        "benefit_id": benefit.benefit_id,
        "program_id": benefit.program_id,
        "person_id": benefit.person_id,
        "household_id": benefit.household_id,
    }


def _payment_ids(benefit: Benefit, payment: Payment, month: str) -> dict[str, str | None]:
    return {**_benefit_ids(benefit), "payment_id": payment.payment_id, "month": month}


def _group_anomalies(
    snap: Snapshot,
    benefit: Benefit,
    month: str,
    payments: list[Payment],
    due: Entitlement | None,
    on: str | None,
    died: str | None,
) -> list[Anomaly]:
    """Amount, duplicate and period checks of the payments for one benefit-month."""
    if due is None:
        if not approved_on(benefit, on):
            return []  # each payment is NO_APPROVED_BENEFIT
        start, end = span(snap, benefit)
        if not start <= month <= end:
            code, why = "OUTSIDE_BENEFIT_PERIOD", say.outside(month, start, end)
        elif died is not None and month > died:
            return []  # each payment is PAID_AFTER_DEATH
        else:
            code, why = "OVERPAYMENT", say.not_yet_due(month, on)
        return [anomaly(code, why, **_payment_ids(benefit, p, month)) for p in payments]
    first, *rest = payments
    out = []
    if first.amount != due.amount:
        code = "OVERPAYMENT" if first.amount > due.amount else "UNDERPAYMENT"
        why = say.wrong_amount(first.amount, month, due.amount)
        out.append(anomaly(code, why, **_payment_ids(benefit, first, month)))
    for p in rest:
        ids = {**_payment_ids(benefit, p, month), "first_payment_id": first.payment_id}
        why = say.duplicate(month, first.payment_id, first.index)
        out.append(anomaly("DUPLICATE_PAYMENT", why, **ids))
    return out


def _payment_anomalies(
    snap: Snapshot,
    benefit: Benefit,
    payment: Payment,
    month: str,
    context: tuple[str | None, str | None, Book],
) -> list[Anomaly]:
    """Checks each payment needs on its own: approval, deaths, recipient, status, approver.

    ``context``: the report date, the last month the beneficiary lived, the status book.
    """
    on, died, book = context
    ids = _payment_ids(benefit, payment, month)
    out: list[Anomaly] = []
    if not approved_on(benefit, payment.paid_on):
        why = (
            say.approved_late(benefit.decision_date, payment.paid_on)
            if approved_on(benefit, None)
            else say.not_approved(benefit.state)
        )
        out.append(anomaly("NO_APPROVED_BENEFIT", why, **ids))
    if died is not None and month > died:
        why = say.after_death(benefit.person_id is None, died, month)
        out.append(anomaly("PAID_AFTER_DEATH", why, **ids))
    recipient = snap.people[payment.recipient]
    if (
        recipient.died_on is not None
        and recipient.died_on < payment.paid_on
        and not (died is not None and month > died and recipient.person_id == benefit.person_id)
    ):
        why = say.recipient_died(recipient.died_on, payment.paid_on)
        out.append(anomaly("PAID_AFTER_DEATH", why, **{**ids, "person_id": recipient.person_id}))
    home = beneficiary_household(snap, benefit, payment.index)
    if (
        payment.receipt_kind != "proxy"
        and payment.recipient != benefit.person_id
        and household_at(recipient, payment.index) != home
    ):
        code = person_codes(snap).get(payment.recipient, payment.recipient)
        why = say.wrong_recipient(payment.recipient, code)
        extra = {"person_id": payment.recipient, "household_id": home}
        out.append(anomaly("RECIPIENT_NOT_ELIGIBLE", why, **{**ids, **extra}))
    if snap.programs[benefit.program_id].category == "poverty" and not poor_in_month(
        snap, home, month, on, book
    ):
        why = say.not_poor(month, status_on(snap, home, f"{month}-01", on, book))
        out.append(anomaly("HOUSEHOLD_NOT_ELIGIBLE", why, **{**ids, "household_id": home}))
    if benefit.approved_by is not None and payment.recorded_by == benefit.approved_by:
        by = payment.recorded_by
        why = say.self_approved(by, snap.holder_names.get(by) or by)
        out.append(anomaly("SELF_APPROVED_PAYMENT", why, **ids))
    return out


def _overlaps(snap: Snapshot, first: str, last: str, on: str | None) -> list[Anomaly]:
    """Two benefits of one program over the same months, or two Tết gifts in a year."""
    live = [b for b in sorted(snap.benefits.values(), key=lambda b: b.index) if approved_on(b, on)]
    same_program: dict[tuple[str, str], list[Benefit]] = defaultdict(list)
    gifts: dict[tuple[str, str], list[Benefit]] = defaultdict(list)
    for b in live:
        holder = b.person_id or b.household_id or ""
        same_program[(b.program_id, holder)].append(b)
        if snap.programs[b.program_id].category == "tet_gift":
            gifts[(holder, b.start[:4])].append(b)
    out, seen = [], set()
    for group in same_program.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                (sa, ea), (sb, eb) = span(snap, a), span(snap, b)
                lo, hi = max(sa, sb, first), min(ea, eb, last)
                if lo <= hi:
                    seen.add((a.benefit_id, b.benefit_id))
                    ids = {**_benefit_ids(b), "month": lo, "first_benefit_id": a.benefit_id}
                    why = say.overlap(a.benefit_id, lo, hi)
                    out.append(anomaly("OVERLAPPING_BENEFITS", why, **ids, months_to=hi))
    for (_, year), group in gifts.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                in_period = first <= a.start <= last or first <= b.start <= last
                if in_period and (a.benefit_id, b.benefit_id) not in seen:
                    ids = {**_benefit_ids(b), "month": b.start, "first_benefit_id": a.benefit_id}
                    why = say.second_gift(year, a.benefit_id)
                    out.append(anomaly("OVERLAPPING_BENEFITS", why, **ids))
    return out


def _overdrawn(fund_rows: list[dict[str, Any]]) -> list[Anomaly]:
    return [
        anomaly(
            "FUND_OVERDRAWN",
            say.overdrawn(row["paid"], row["received"], row["returned"]),
            program_id=row["program_id"],
        )
        for row in fund_rows
        if row["balance"] < 0
    ]


def _program_rows(
    snap: Snapshot, due: dict[Key, Entitlement], groups: dict[Key, list[Payment]]
) -> list[dict[str, Any]]:
    """Per program and month: entitled, paid, unpaid, overpaid (đồng) and counts."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def row(benefit_id: str, month: str) -> dict[str, Any]:
        program_id = snap.benefits[benefit_id].program_id
        if (program_id, month) not in rows:
            p = snap.programs[program_id]
            rows[(program_id, month)] = {
                "program_id": p.program_id,
                "program_code": p.code,
                "program_name": p.name,
                "category": p.category,
                "kind": p.kind,
                "month": month,
                **zeros(),
            }
        return rows[(program_id, month)]

    tally(due, groups, row)
    return [rows[k] for k in sorted(rows, key=lambda k: (rows[k]["program_code"], k))]
