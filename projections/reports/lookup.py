"""What a payroll line's lookup code (mã tra cứu, :mod:`projections.reports.receipts`)
finds: every line a ledger knows, by its code, with what the public may see of it.

A line is a benefit and a month: each month a benefit is due, or was paid
for, as the payroll of that month shows it now. What is kept of it: the
program, the month, the amount due, what was paid, when, and how the receipt
was acknowledged (signature, thumbprint, bank reference, proxy). Never a
name, a household, a village or an id.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from projections.model import Payment, Snapshot
from projections.reports.entitlements import entitlements, month_end, next_month, snapshot_date
from projections.reports.funds import counted_payments
from projections.reports.payroll import status_of
from projections.reports.receipts import receipt_code


def receipt_lines(snap: Snapshot) -> dict[str, dict[str, Any]]:
    """Every payroll line of the ledger, by code: each month a benefit is due (through the
    month after the ledger's last date, so a sheet printed ahead is found) or was paid
    for, as the payroll of that month shows it now."""
    today = snapshot_date(snap)
    starts = [b.start for b in snap.benefits.values() if b.start]
    if today is None or not starts:
        return {}
    through = next_month(today[:7])
    on = max(month_end(through), today)
    due = {(e.benefit_id, e.month): e.amount for e in entitlements(snap, min(starts), through, on)}
    paid: dict[tuple[str, str], list[Payment]] = defaultdict(list)
    for payment in counted_payments(snap, on):
        month = payment.month or snap.benefits[payment.benefit_id].start
        paid[(payment.benefit_id, month)].append(payment)
    lines: dict[str, dict[str, Any]] = {}
    for benefit_id, month in sorted(set(due) | set(paid)):
        program = snap.programs[snap.benefits[benefit_id].program_id]
        payments = sorted(paid.get((benefit_id, month), []), key=lambda p: (p.paid_on, p.index))
        code = receipt_code(snap.ledger_id, benefit_id, month)
        lines[code] = {
            "code": code,
            "month": month,
            "program_code": program.code,
            "program_name": program.name,
            "due": due.get((benefit_id, month), 0),
            "paid": sum(p.amount for p in payments),
            "status": status_of(due.get((benefit_id, month), 0), sum(p.amount for p in payments)),
            "payments": [
                {"paid_on": p.paid_on, "amount": p.amount, "receipt": p.receipt_kind}
                for p in payments
            ],
        }
    return lines
