"""The snapshot as of any log size, read from the read models' tables.

:func:`snapshot_as_of` reads each table as of N entries: rows created at N
or later are left out, and each change made at N or later is undone in the
SELECT itself (every row keeps the index of each change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from projections import model


def _when(change: str, value: str) -> str:
    """A column's value if the change that set it was made before entry N; else NULL."""
    return f"CASE WHEN {change} < :n THEN {value} END"


# What each dataclass of the snapshot is, as of N entries, in its field order.
_PROPOSAL = ", ".join(
    [
        "proposal_id, household_id, status, effective, proposed_by, idx",
        "CASE WHEN decided_idx < :n THEN state ELSE 'proposed' END",
        *(_when("decided_idx", c) for c in ("decided_by", "decision_number", "decision_date")),
        _when("decided_idx", "decided_idx"),
        _when("decided_idx", "reason"),
    ]
)
_BENEFIT = ", ".join(
    [
        "benefit_id, program_id, person_id, household_id, amount, start_month, end_month, basis",
        "proposed_by, idx, CASE WHEN ended_idx < :n THEN 'ended' WHEN rejected_idx < :n THEN "
        "'rejected' WHEN approved_idx < :n THEN 'approved' ELSE 'proposed' END",
        *(_when("approved_idx", c) for c in ("approved_by", "decision_number", "decision_date")),
        _when("approved_idx", "approved_idx"),
        _when("ended_idx", "last_month"),
        _when("ended_idx", "ended_idx"),
        "CASE WHEN ended_idx < :n THEN ended_reason "
        "WHEN rejected_idx < :n THEN rejected_reason END",
    ]
)
_PAYMENT = (
    "payment_id, benefit_id, month, amount, paid_on, method, recipient, receipt_kind, "
    f"recorded_by, idx, {_when('reversed_idx', 'reversed_idx')}, "
    f"{_when('reversed_idx', 'reversal_reason')}"
)
_CHANGE = ", ".join(
    [
        "change_id, benefit_id, kind, from_month, coefficient, reason, proposed_by, idx",
        "CASE WHEN decided_idx < :n THEN state ELSE 'proposed' END",
        *(_when("decided_idx", c) for c in ("decided_by", "decision_number", "decision_date")),
        _when("decided_idx", "decided_idx"),
        _when("decided_idx", "rejected_reason"),
    ]
)


class _Loader:
    """Reads the tables as of entry N: later rows left out, later changes undone."""

    def __init__(self, c: Any, sql: Callable[[str], str], n: int) -> None:
        self.c, self.sql, self.n = c, sql, n

    def rows(self, table: str, columns: str = "*", order: str = "idx") -> list[Any]:
        select = f"SELECT {columns} FROM {{p}}{table} WHERE idx < :n ORDER BY {order}"
        self.c.execute(self.sql(select), {"n": self.n})
        return list(self.c.fetchall())

    def snapshot(self) -> model.Snapshot:
        snap = model.Snapshot()
        last = self.rows("proj_entry_meta", "idx, recorded_at", "idx DESC LIMIT 1")
        if not last:
            return snap
        snap.as_of, snap.last_recorded_at = last[0][0] + 1, last[0][1]
        for ledger_id, name in self.rows("proj_ledger", "ledger_id, name"):
            snap.ledger_id, snap.name = ledger_id, name
        for key_id, holder_id, name in self.rows("proj_holders", "key_id, holder_id, holder_name"):
            snap.holders[key_id], snap.holder_names[holder_id] = holder_id, name
        snap.households = {r[0]: model.Household(*r) for r in self.rows("proj_households")}
        moves: dict[str, list[tuple[str, int]]] = {}
        for person_id, idx, household_id in self.rows("proj_person_moves"):
            moves.setdefault(person_id, []).append((household_id, idx))
        pii = {person_id: value for person_id, _, value in self.rows("proj_person_pii")}
        columns = (
            f"person_id, relation, sex, birth_year, idx, {_when('died_idx', 'died_on')}, "
            f"{_when('died_idx', 'died_idx')}"
        )
        for pid, relation, sex, year, idx, died_on, died_idx in self.rows("proj_people", columns):
            home = moves[pid][-1][0]
            snap.people[pid] = model.Person(
                pid, home, relation, sex, year, pii[pid], idx, died_on, moves[pid], died_idx
            )
        snap.proposals = {
            r[0]: model.StatusProposal(*r) for r in self.rows("proj_proposals", _PROPOSAL)
        }
        snap.programs = {r[0]: model.Program(*r) for r in self.rows("proj_programs")}
        snap.benefits = {r[0]: model.Benefit(*r) for r in self.rows("proj_benefits", _BENEFIT)}
        snap.payments = {r[0]: model.Payment(*r) for r in self.rows("proj_payments", _PAYMENT)}
        snap.funds = {r[0]: model.FundMovement(*r) for r in self.rows("proj_funds")}
        snap.levels = {(r[0], r[1]): model.Level(*r) for r in self.rows("proj_levels")}
        snap.changes = {r[0]: model.BenefitChange(*r) for r in self.rows("proj_changes", _CHANGE)}
        snap.departures = {r[0]: model.Departure(*r) for r in self.rows("proj_departures")}
        return snap


def snapshot_as_of(c: Any, sql: Callable[[str], str], n: int) -> model.Snapshot:
    """The snapshot after ``n`` entries, read with cursor ``c`` (``sql`` adapts a query)."""
    return _Loader(c, sql, n).snapshot()
