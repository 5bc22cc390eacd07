"""A reconciliation finding named by its id, as the report prints it (``Mã phát hiện``)."""

from __future__ import annotations

from ledger.application import LedgerApplication
from ledger.errors import InvalidField
from projections import query
from projections.model import Snapshot
from projections.reports.entitlements import snapshot_date
from projections.reports.reconciliation import paid_for, reconcile


def finding_evidence(ledger: LedgerApplication, finding_id: str) -> list[int]:
    """The evidence entries of the finding ``finding_id`` (12 hex digits), looked for in
    the reconciliation of every month the ledger covers: a finding's id depends on what
    it is about (its code, ids and month), not on the period a report was asked for."""
    wanted = finding_id.strip().lower()
    if len(wanted) != 12 or any(c not in "0123456789abcdef" for c in wanted):
        raise InvalidField("finding", f"{finding_id!r} is not a finding id (12 hex digits)")
    snap = query.snapshot(ledger)
    span = covered_months(snap)
    if span is None:
        raise InvalidField("finding", "this ledger has no benefits or payments: no findings")
    first, last = span
    for anomaly in reconcile(snap, first, last)["anomalies"]:
        if anomaly["finding_id"] == wanted:
            return list(anomaly["evidence"])
    raise InvalidField(
        "finding",
        f"no finding {finding_id} in the reconciliation of {first}..{last} "
        "(the id is the first column of the report's findings)",
    )


def covered_months(snap: Snapshot) -> tuple[str, str] | None:
    """The first and last months the ledger's benefits and payments are for."""
    months = {b.start for b in snap.benefits.values()}
    months |= {paid_for(snap, p) for p in snap.payments.values()}
    if not months:
        return None
    last = max(months)
    on = snapshot_date(snap)
    if on is not None:
        last = max(last, on[:7])
    return min(months), last
