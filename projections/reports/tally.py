"""Adding up one period's entitlements and payments into report rows.

The reconciliation sums them per program and month, and per village and
program (:mod:`projections.reports.villages`); both add the same way, so
their rows add up to the same totals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from projections.model import Payment
from projections.reports.entitlements import Entitlement

MEASURES = ("entitled", "paid", "unpaid", "overpaid")
COUNTS = ("entitled_count", "paid_count", "unpaid_count")
Key = tuple[str, str]  # (benefit_id, month)
Row = dict[str, Any]


def zeros() -> Row:
    """A row's sums before anything is added: every measure and count 0."""
    return dict.fromkeys(MEASURES + COUNTS, 0)


def tally(
    due: Mapping[Key, Entitlement],
    groups: Mapping[Key, Sequence[Payment]],
    row: Callable[[str, str], Row],
) -> None:
    """Add the entitlements ``due`` and the payment ``groups`` (by benefit and month) into
    ``row(benefit_id, month)``: entitled, paid, unpaid, overpaid (đồng) and their counts."""
    paid_in = {
        key: payments[0].amount if len(payments) == 1 else sum(p.amount for p in payments)
        for key, payments in groups.items()
    }
    for key, e in due.items():
        r = row(*key)
        paid = paid_in.get(key)
        r["entitled"] += e.amount
        r["entitled_count"] += 1
        r["unpaid"] += max(0, e.amount - (paid or 0))
        r["unpaid_count"] += paid is None
    for key, payments in groups.items():
        r = row(*key)
        paid = paid_in[key]
        entitled = owed.amount if (owed := due.get(key)) is not None else 0
        r["paid"] += paid
        r["paid_count"] += len(payments)
        r["overpaid"] += max(0, paid - entitled)
