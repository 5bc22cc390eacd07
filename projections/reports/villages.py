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
from projections.reports.tally import Key, Row, tally, zeros


def village_rows(
    snap: Snapshot,
    due: Mapping[Key, Entitlement],
    groups: Mapping[Key, Sequence[Payment]],
) -> list[dict[str, Any]]:
    """Per village and program: entitled, paid, unpaid, overpaid (đồng) and counts, of the
    entitlements ``due`` and the payment ``groups`` by (benefit, month) of one period;
    ordered by village, then program code."""
    villages: dict[str, str] = {}  # benefit id -> village
    rows: dict[Key, Row] = {}

    def row(benefit_id: str, month: str) -> Row:
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
                **zeros(),
            }
        return rows[key]

    tally(due, groups, row)
    return [
        rows[k]
        for k in sorted(rows, key=lambda k: (rows[k]["village"], rows[k]["program_code"], k))
    ]
