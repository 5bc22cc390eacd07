"""A reconciliation finding named by its id, as the report prints it (``Mã phát hiện``)."""

from __future__ import annotations

from ledger.application import LedgerApplication
from ledger.errors import InvalidField
from projections import query
from projections.reports.entitlements import covered_months
from projections.reports.reconciliation import reconcile


def finding_evidence(ledger: LedgerApplication, finding_id: str) -> list[int]:
    """The evidence entries of the finding ``finding_id`` (12 hex digits), looked for in
    the reconciliation of every month the ledger covers: a finding's id depends on what
    it is about (its code, ids and month), not on the period a report was asked for."""
    wanted = finding_id.strip().lower()
    if len(wanted) != 12 or any(c not in "0123456789abcdef" for c in wanted):
        raise InvalidField("finding", f"{finding_id!r} is not a finding id (12 hex digits)")
    snap = query.snapshot(ledger)
    span = covered_months(snap)
    if span is None or not snap.benefits:
        raise InvalidField("finding", "this ledger has no benefits or payments: no findings")
    # from the first month any benefit starts: a month due and never paid is a finding too
    first = min(span[0], *(b.start for b in snap.benefits.values()))
    last = span[1]
    for anomaly in reconcile(snap, first, last)["anomalies"]:
        if anomaly["finding_id"] == wanted:
            return list(anomaly["evidence"])
    raise InvalidField(
        "finding",
        f"no finding {finding_id} in the reconciliation of {first}..{last} "
        "(the id is the first column of the report's findings)",
    )
