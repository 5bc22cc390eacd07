"""What the FORMATS 1.3 allowance changes mean for the read models (docs/formats.md 11.2).

The snapshot changes and row changes of ``allowance.level.set``,
``benefit.change.*`` and ``person.left``, listed in
:data:`projections.tables.meanings.MEANINGS` under the model ``allowances``.
"""

from __future__ import annotations

from typing import Any

from projections.model import BenefitChange, Departure, Level, Snapshot
from projections.tables.schema import Page

Statement = dict[str, Any]
Body = dict[str, Any]
_LEVEL = ("category", "effective", "amount", "legal_basis")
_CHANGE = ("change_id", "benefit_id", "kind", "from", "coefficient", "reason")


def level(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.levels[(b["category"], b["effective"])] = Level(
        b["category"], b["effective"], b["amount"], b["legal_basis"], i
    )


def level_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_levels", (*[b[f] for f in _LEVEL], i))


def proposed(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.changes[b["change_id"]] = BenefitChange(
        b["change_id"],
        b["benefit_id"],
        b["kind"],
        b["from"],
        b.get("coefficient"),
        b["reason"],
        h,
        i,
    )


def proposed_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.add("proj_changes", [*[b.get(f) for f in _CHANGE], h, i, "proposed"] + [None] * 5)


def _decision(s: Statement, b: Body) -> tuple[str, str | None, str | None, str | None]:
    """(state, decision number, decision date, rejection reason)."""
    if s["type"] == "benefit.change.approved":
        return "approved", b["decision"]["number"], b["decision"]["date"], None
    return "rejected", None, None, b["reason"]


def decided(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    change = snap.changes[b["change_id"]]
    state, number, date, reason = _decision(s, b)
    change.state, change.decided_by, change.decided_index = state, h, i
    change.decision_number, change.decision_date, change.rejected_reason = number, date, reason


def decided_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    state, number, date, reason = _decision(s, b)
    p.change("change_decided", b["change_id"], state, h, number, date, i, reason)


def left(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.departures[b["person_id"]] = Departure(b["person_id"], b["date"], b["to"], i)


def left_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_departures", (b["person_id"], b["date"], b["to"], i))
