"""The reconciliation per village (thôn, bản) and program: what each village was due and paid.

The commune reports its reconciliation to the district by village as well as
by program: the same entitlements and counted payments as the per-program
rows (:func:`projections.reports.reconciliation.reconcile`), summed by the
village of each benefit's household (a personal benefit: the household the
beneficiary belongs to in the snapshot, as the payroll places it). The rows
of one period therefore add up to the same totals, by village or by program.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from projections.model import Payment, Snapshot
from projections.reports.entitlements import Entitlement, beneficiary_household

MEASURES = ("entitled", "paid", "unpaid", "overpaid")
COUNTS = ("entitled_count", "paid_count", "unpaid_count")
Key = tuple[str, str]  # (benefit_id, month)


def village_rows(
    snap: Snapshot,
    due: Mapping[Key, Entitlement],
    groups: Mapping[Key, Sequence[Payment]],
) -> list[dict[str, Any]]:
    """Per village and program: entitled, paid, unpaid, overpaid (đồng) and counts, of the
    entitlements ``due`` and the payment ``groups`` by (benefit, month) of one period;
    ordered by village, then program code."""
    villages: dict[str, str] = {}  # benefit id -> village

    def row(rows: dict[Key, dict[str, Any]], benefit_id: str) -> dict[str, Any]:
        if benefit_id not in villages:
            benefit = snap.benefits[benefit_id]
            home = beneficiary_household(snap, benefit, snap.as_of)
            villages[benefit_id] = snap.households[home].village
        program = snap.programs[snap.benefits[benefit_id].program_id]
        key = (villages[benefit_id], program.program_id)
        if key not in rows:
            rows[key] = {
                "village": key[0],
                "program_id": program.program_id,
                "program_code": program.code,
                "program_name": program.name,
                **dict.fromkeys(MEASURES + COUNTS, 0),
            }
        return rows[key]

    rows: dict[Key, dict[str, Any]] = {}
    paid_in = {key: sum(p.amount for p in payments) for key, payments in groups.items()}
    for key, e in due.items():
        r = row(rows, e.benefit_id)
        paid = paid_in.get(key)
        r["entitled"] += e.amount
        r["entitled_count"] += 1
        r["unpaid"] += max(0, e.amount - (paid or 0))
        r["unpaid_count"] += paid is None
    for key, payments in groups.items():
        r = row(rows, key[0])
        owed = due.get(key)
        r["paid"] += paid_in[key]
        r["paid_count"] += len(payments)
        r["overpaid"] += max(0, paid_in[key] - (owed.amount if owed is not None else 0))
    return [
        rows[k]
        for k in sorted(rows, key=lambda k: (rows[k]["village"], rows[k]["program_code"], k))
    ]
