"""Each program's money: received, paid out, returned, and what is left.

Funds are a running account, so they are counted from the ledger's start up
to the report date ``on`` (not only within a reporting period): movements
dated on or before ``on``, and unreversed payments paid on or before ``on``.
"""

from __future__ import annotations

from typing import Any

from projections.model import Payment, Snapshot


def counted_payments(snap: Snapshot, on: str | None = None) -> list[Payment]:
    """Unreversed payments made on or before ``on``, in log order."""
    return sorted(
        (p for p in snap.payments.values() if not p.reversed and (on is None or p.paid_on <= on)),
        key=lambda p: p.index,
    )


def funds(snap: Snapshot, on: str | None = None) -> list[dict[str, Any]]:
    """Per program (by code): ``received``, ``paid``, ``returned``, ``balance`` in đồng."""
    rows: dict[str, dict[str, Any]] = {}
    for program in sorted(snap.programs.values(), key=lambda p: (p.code, p.program_id)):
        rows[program.program_id] = {
            "program_id": program.program_id,
            "program_code": program.code,
            "program_name": program.name,
            "received": 0,
            "paid": 0,
            "returned": 0,
            "balance": 0,
        }
    for movement in snap.funds.values():
        if on is None or movement.date <= on:
            rows[movement.program_id][movement.kind] += movement.amount
    for payment in counted_payments(snap, on):
        rows[snap.benefits[payment.benefit_id].program_id]["paid"] += payment.amount
    for row in rows.values():
        row["balance"] = row["received"] - row["returned"] - row["paid"]
    return list(rows.values())
