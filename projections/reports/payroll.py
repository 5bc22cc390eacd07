"""The monthly payroll sheet (danh sách chi trả): who is due what, and what was paid.

One row per benefit due in the month (or paid for it without being due):
the amount due, what unreversed payments paid for it by ``on``, their ids,
dates and the officers who recorded them, and the line's lookup code (mã tra
cứu, :mod:`projections.reports.receipts`) the beneficiary can check it by.
The default ``on`` is the later of the month's last day and the end of the
ledger's last month paid, so a sheet drawn up ahead of the month lists its
dues and one drawn up later its arrears. Names come only from the vault, given as ``names``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from projections.model import Payment, Snapshot
from projections.reports.basis import basis
from projections.reports.entitlements import (
    beneficiary_household,
    check_date,
    check_month,
    entitlements,
    month_end,
    snapshot_date,
)
from projections.reports.funds import counted_payments
from projections.reports.receipts import receipt_code


def status_of(due: int, paid: int) -> str:
    """paid | unpaid | underpaid | overpaid | not_due."""
    if due == 0:
        return "not_due"
    if paid == due:
        return "paid"
    if paid == 0:
        return "unpaid"
    return "underpaid" if paid < due else "overpaid"


def payroll(
    snap: Snapshot,
    month: str,
    on: str | None = None,
    names: Mapping[str, str] | None = None,
    checkpoint: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The payroll of ``month`` as it stood on ``on``."""
    check_month(month, "month")
    if on is not None:
        check_date(on, "on")
    else:
        on = max(month_end(month), snapshot_date(snap) or "")
    due = {e.benefit_id: e.amount for e in entitlements(snap, month, month, on)}
    paid: dict[str, list[Payment]] = defaultdict(list)
    for payment in counted_payments(snap, on):
        if (payment.month or snap.benefits[payment.benefit_id].start) == month:
            paid[payment.benefit_id].append(payment)
    rows = []
    holders: dict[str, str] = {}
    for benefit_id in set(due) | set(paid):
        benefit = snap.benefits[benefit_id]
        program = snap.programs[benefit.program_id]
        household = snap.households[beneficiary_household(snap, benefit, snap.as_of)]
        payments = sorted(paid.get(benefit_id, []), key=lambda p: (p.paid_on, p.index))
        amount_due, amount_paid = due.get(benefit_id, 0), sum(p.amount for p in payments)
        by = list(dict.fromkeys(p.recorded_by for p in payments))
        holders.update({h: snap.holder_names.get(h, h) for h in by})
        row: dict[str, Any] = {
            "program_id": program.program_id,
            "program_code": program.code,
            "program_name": program.name,
            "village": household.village,
            "household_code": household.code,
            "benefit_id": benefit_id,
            "receipt_code": receipt_code(snap.ledger_id, benefit_id, month),
            "person_id": benefit.person_id,
            "due": amount_due,
            "paid": amount_paid,
            "status": status_of(amount_due, amount_paid),
            "payment_ids": [p.payment_id for p in payments],
            "paid_on": [p.paid_on for p in payments],
            "paid_by": by,
        }
        if names is not None:
            row["name"] = names.get(benefit.person_id or "")
        rows.append(row)
    rows.sort(key=lambda r: (r["program_code"], r["village"], r["household_code"], r["benefit_id"]))
    return {
        **basis(snap, checkpoint),
        "month": month,
        "on": on,
        "rows": rows,
        "holders": dict(sorted(holders.items())),
        "totals": {
            "due": sum(r["due"] for r in rows),
            "paid": sum(r["paid"] for r in rows),
            "unpaid": sum(max(0, r["due"] - r["paid"]) for r in rows),
            "rows": len(rows),
        },
    }
