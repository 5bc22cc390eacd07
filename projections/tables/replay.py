"""Build a :class:`~projections.model.Snapshot` by replaying log entries in order.

This is the reference meaning of every statement for the read models; the
projection tables must agree with it (a test compares them). It reads only
signed payloads, so it works on any past prefix of the log (``as_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.domain.base import read_statement
from ledger.domain.log import Entry
from projections.model import (
    Benefit,
    FundMovement,
    Household,
    Payment,
    Person,
    Program,
    Snapshot,
    StatusProposal,
)


def replay(entries: Iterable[Entry], as_of: int | None = None) -> Snapshot:
    """The snapshot after the first ``as_of`` entries (default: all given)."""
    snap = Snapshot()
    for entry in entries:
        if as_of is not None and entry.index >= as_of:
            break
        apply(snap, entry.index, entry.recorded_at, read_statement(entry.envelope))
    return snap


def apply(snap: Snapshot, index: int, recorded_at: str, statement: dict[str, Any]) -> None:
    """Apply one accepted statement (entries must come in index order)."""
    kind, body = statement["type"], statement["body"]
    holder = snap.holders.get(statement["by"], f"key:{statement['by'][:16]}")
    snap.as_of = index + 1
    snap.last_recorded_at = recorded_at
    handler = _HANDLERS.get(kind)
    if handler is not None:
        handler(snap, index, holder, statement, body)


def _opened(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.ledger_id, snap.name = s["ledger"], b["name"]
    holder = f"authority:{s['by'][:16]}"
    snap.holders[s["by"]] = holder
    snap.holder_names[holder] = b["name"]


def _key_registered(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.holders[b["key"]["id"]] = b["holder"]["id"]
    snap.holder_names[b["holder"]["id"]] = b["holder"]["name"]


def _household(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.households[b["household_id"]] = Household(b["household_id"], b["code"], b["village"], i)


def _person(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.people[b["person_id"]] = Person(
        b["person_id"],
        b["household_id"],
        b["relation"],
        b["sex"],
        b["birth_year"],
        b["pii"],
        i,
        moves=[(b["household_id"], i)],
    )


def _pii(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.people[b["person_id"]].pii = b["pii"]


def _moved(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    person = snap.people[b["person_id"]]
    person.household_id = b["household_id"]
    person.moves.append((b["household_id"], i))


def _died(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.people[b["person_id"]].died_on = b["date"]


def _status_proposed(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.proposals[b["proposal_id"]] = StatusProposal(
        b["proposal_id"], b["household_id"], b["status"], b["effective"], h, i
    )


def _status_decided(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    p = snap.proposals[b["proposal_id"]]
    p.state = "approved" if s["type"].endswith("approved") else "rejected"
    p.decided_by, p.decided_index = h, i
    if "decision" in b:
        p.decision_number, p.decision_date = b["decision"]["number"], b["decision"]["date"]
    p.reason = b.get("reason")


def _program(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.programs[b["program_id"]] = Program(
        b["program_id"], b["code"], b["name"], b["category"], b["kind"], i
    )


def _fund(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    received = s["type"] == "fund.received"
    movement_id = b["receipt_id"] if received else b["return_id"]
    snap.funds[movement_id] = FundMovement(
        movement_id,
        b["program_id"],
        "received" if received else "returned",
        b["amount"],
        b["date"],
        b.get("source"),
        b["reference"],
        i,
    )


def _benefit(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.benefits[b["benefit_id"]] = Benefit(
        b["benefit_id"],
        b["program_id"],
        b.get("person_id"),
        b.get("household_id"),
        b["amount"],
        b["start"],
        b.get("end"),
        b["basis"],
        h,
        i,
    )


def _benefit_decided(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    benefit = snap.benefits[b["benefit_id"]]
    kind = s["type"]
    if kind == "benefit.approved":
        benefit.state, benefit.approved_by, benefit.approved_index = "approved", h, i
        benefit.decision_number = b["decision"]["number"]
        benefit.decision_date = b["decision"]["date"]
    elif kind == "benefit.rejected":
        benefit.state, benefit.reason = "rejected", b["reason"]
    else:
        benefit.state, benefit.last_month = "ended", b["last_month"]
        benefit.ended_index, benefit.reason = i, b["reason"]


def _payment(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    snap.payments[b["payment_id"]] = Payment(
        b["payment_id"],
        b["benefit_id"],
        b.get("month"),
        b["amount"],
        b["paid_on"],
        b["method"],
        b["recipient"],
        b["receipt"]["kind"],
        h,
        i,
    )


def _reversed(snap: Snapshot, i: int, h: str, s: dict[str, Any], b: dict[str, Any]) -> None:
    payment = snap.payments[b["payment_id"]]
    payment.reversed_index, payment.reversal_reason = i, b["reason"]


_HANDLERS = {
    "ledger.opened": _opened,
    "key.registered": _key_registered,
    "household.registered": _household,
    "person.registered": _person,
    "person.pii.updated": _pii,
    "person.moved": _moved,
    "person.died": _died,
    "household.status.proposed": _status_proposed,
    "household.status.approved": _status_decided,
    "household.status.rejected": _status_decided,
    "program.defined": _program,
    "fund.received": _fund,
    "fund.returned": _fund,
    "benefit.proposed": _benefit,
    "benefit.approved": _benefit_decided,
    "benefit.rejected": _benefit_decided,
    "benefit.ended": _benefit_decided,
    "payment.recorded": _payment,
    "payment.reversed": _reversed,
}
