"""What each statement type means for the read models: one entry per type, in one table.

:data:`MEANINGS` holds, for every statement type the ledger accepts, the
read model it belongs to, what it changes in a
:class:`~projections.model.Snapshot` (``snapshot``, replayed by
:mod:`projections.tables.replay`), the rows it adds or changes in that
model's tables (``rows``, written by :mod:`projections.tables.runner`), the
signing key it makes known. Where a body names ids (for each entity's
history) is the catalog's (:data:`ledger.domain.catalog.CATALOG`). The two
meanings of a type stand side by side here; a test holds the tables to a
replay at every size of the log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ledger.domain.catalog import CATALOG
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
from projections.tables import allowance_changes as allowances
from projections.tables.schema import MODELS, Page

Statement = dict[str, Any]
Body = dict[str, Any]
# (target, entry index, holder id of the signing key, statement, its body)
SnapshotChange = Callable[[Snapshot, int, str, Statement, Body], None]
RowChange = Callable[[Page, int, str, Statement, Body], None]
KeyOf = Callable[[Statement], tuple[str, str, str]]  # (key id, holder id, holder name)


@dataclass(frozen=True)
class Meaning:
    """What one statement type means for the read models (empty: only its entry is kept)."""

    model: str | None = None  # the read model whose rows it adds or changes
    snapshot: SnapshotChange | None = None
    rows: RowChange | None = None
    key: KeyOf | None = None  # the signing key it makes known, and its holder


def _fields(body: Body, *names: str) -> list[Any]:
    return [body.get(name) for name in names]


# -- keys and their holders ------------------------------------------------------------
def _authority(s: Statement) -> tuple[str, str, str]:
    return s["by"], f"authority:{s['by'][:16]}", s["body"]["name"]


def _registered_key(s: Statement) -> tuple[str, str, str]:
    key, holder = s["body"]["key"], s["body"]["holder"]
    return key["id"], holder["id"], holder["name"]


def _hold(snap: Snapshot, key_id: str, holder_id: str, name: str) -> None:
    snap.holders[key_id] = holder_id
    snap.holder_names[holder_id] = name


def _opened(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.ledger_id, snap.name = s["ledger"], b["name"]
    _hold(snap, *_authority(s))


def _opened_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_ledger", (i, s["ledger"], b["name"]))
    p.append("proj_holders", (*_authority(s), i))


def _key_registered(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    _hold(snap, *_registered_key(s))


def _key_registered_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_holders", (*_registered_key(s), i))


# -- households and people ---------------------------------------------------------------
def _household(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.households[b["household_id"]] = Household(b["household_id"], b["code"], b["village"], i)


def _household_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_households", (*_fields(b, "household_id", "code", "village"), i))


def _person(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
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


def _person_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.add("proj_people", [*_fields(b, "person_id", "relation", "sex", "birth_year"), i, None, None])
    p.append("proj_person_moves", (b["person_id"], i, b["household_id"]))
    p.append("proj_person_pii", (b["person_id"], i, b["pii"]))


def _pii(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.people[b["person_id"]].pii = b["pii"]


def _pii_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_person_pii", (b["person_id"], i, b["pii"]))


def _moved(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    person = snap.people[b["person_id"]]
    person.household_id = b["household_id"]
    person.moves.append((b["household_id"], i))


def _moved_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.append("proj_person_moves", (b["person_id"], i, b["household_id"]))


def _died(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.people[b["person_id"]].died_on = b["date"]
    snap.people[b["person_id"]].died_index = i


def _died_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.change("person_died", b["person_id"], b["date"], i)


# -- household status ------------------------------------------------------------------
def _status_proposed(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.proposals[b["proposal_id"]] = StatusProposal(
        b["proposal_id"], b["household_id"], b["status"], b["effective"], h, i
    )


def _status_proposed_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    row = _fields(b, "proposal_id", "household_id", "status", "effective")
    p.add("proj_proposals", [*row, h, i, "proposed", None, None, None, None, None])


def _status_decided(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    p = snap.proposals[b["proposal_id"]]
    p.state = "approved" if s["type"].endswith("approved") else "rejected"
    p.decided_by, p.decided_index = h, i
    if "decision" in b:
        p.decision_number, p.decision_date = b["decision"]["number"], b["decision"]["date"]
    p.reason = b.get("reason")


def _status_decided_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    state = "approved" if s["type"].endswith("approved") else "rejected"
    decision = _fields(b.get("decision") or {}, "number", "date")
    p.change("proposal_decided", b["proposal_id"], state, h, *decision, i, b.get("reason"))


def _recognized(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    """A household recognised by a review round: an approved status from the decision date."""
    snap.proposals[b["assessment_id"]] = StatusProposal(*_recognized_row(i, h, b))


def _recognized_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.add("proj_proposals", _recognized_row(i, h, b))


def _recognized_row(i: int, h: str, b: Body) -> list[Any]:
    number, date = b["decision"]["number"], b["decision"]["date"]
    row = [b["assessment_id"], b["household_id"], b["result"], date, h, i]
    return [*row, "approved", h, number, date, i, None]


# -- programs and funds ----------------------------------------------------------------
def _program(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.programs[b["program_id"]] = Program(
        b["program_id"], b["code"], b["name"], b["category"], b["kind"], i
    )


def _program_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    row = _fields(b, "program_id", "code", "name", "category", "kind")
    p.append("proj_programs", (*row, i))


def _movement(s: Statement) -> tuple[str, str]:
    """(movement id, kind) of a fund statement."""
    if s["type"] == "fund.received":
        return s["body"]["receipt_id"], "received"
    return s["body"]["return_id"], "returned"


def _fund(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    movement_id, kind = _movement(s)
    snap.funds[movement_id] = FundMovement(
        movement_id,
        b["program_id"],
        kind,
        b["amount"],
        b["date"],
        b.get("source"),
        b["reference"],
        i,
    )


def _fund_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    movement_id, kind = _movement(s)
    row = _fields(b, "program_id", "amount", "date", "source", "reference")
    p.append("proj_funds", (movement_id, row[0], kind, *row[1:], i))


# -- benefits and payments ---------------------------------------------------------------
_BENEFIT = ("benefit_id", "program_id", "person_id", "household_id", "amount", "start", "end")


def _benefit(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    snap.benefits[b["benefit_id"]] = Benefit(*[*_fields(b, *_BENEFIT, "basis"), h, i])


def _benefit_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    row = [*_fields(b, *_BENEFIT, "basis"), h, i, "proposed"]
    p.add("proj_benefits", row + [None] * 9)


def _benefit_approved(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    benefit = snap.benefits[b["benefit_id"]]
    benefit.state, benefit.approved_by, benefit.approved_index = "approved", h, i
    benefit.decision_number = b["decision"]["number"]
    benefit.decision_date = b["decision"]["date"]


def _benefit_approved_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    number, date = b["decision"]["number"], b["decision"]["date"]
    p.change("benefit_approved", b["benefit_id"], "approved", h, number, date, i)


def _benefit_rejected(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    benefit = snap.benefits[b["benefit_id"]]
    benefit.state, benefit.reason = "rejected", b["reason"]


def _benefit_rejected_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.change("benefit_rejected", b["benefit_id"], "rejected", i, b["reason"])


def _benefit_ended(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    benefit = snap.benefits[b["benefit_id"]]
    benefit.state, benefit.last_month = "ended", b["last_month"]
    benefit.ended_index, benefit.reason = i, b["reason"]


def _benefit_ended_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.change("benefit_ended", b["benefit_id"], "ended", b["last_month"], i, b["reason"])


_PAYMENT = ("payment_id", "benefit_id", "month", "amount", "paid_on", "method", "recipient")


def _payment(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    row = [*_fields(b, *_PAYMENT), b["receipt"]["kind"], h, i]
    snap.payments[b["payment_id"]] = Payment(*row)


def _payment_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.add("proj_payments", [*_fields(b, *_PAYMENT), b["receipt"]["kind"], h, i, None, None])


def _reversed(snap: Snapshot, i: int, h: str, s: Statement, b: Body) -> None:
    payment = snap.payments[b["payment_id"]]
    payment.reversed_index, payment.reversal_reason = i, b["reason"]


def _reversed_rows(p: Page, i: int, h: str, s: Statement, b: Body) -> None:
    p.change("payment_reversed", b["payment_id"], i, b["reason"])


# -- the table ---------------------------------------------------------------------------
MEANINGS: Mapping[str, Meaning] = MappingProxyType(
    {
        "ledger.opened": Meaning("holders", _opened, _opened_rows, _authority),
        "ledger.formats.adopted": Meaning(),
        "key.registered": Meaning(
            "holders",
            _key_registered,
            _key_registered_rows,
            _registered_key,
        ),
        "key.revoked": Meaning(),
        "household.registered": Meaning("households", _household, _household_rows),
        "person.registered": Meaning("people", _person, _person_rows),
        "person.pii.updated": Meaning("people", _pii, _pii_rows),
        "person.moved": Meaning("people", _moved, _moved_rows),
        "person.died": Meaning("people", _died, _died_rows),
        "household.status.proposed": Meaning("proposals", _status_proposed, _status_proposed_rows),
        "household.status.approved": Meaning("proposals", _status_decided, _status_decided_rows),
        "household.status.rejected": Meaning("proposals", _status_decided, _status_decided_rows),
        "program.defined": Meaning("programs", _program, _program_rows),
        "fund.received": Meaning("funds", _fund, _fund_rows),
        "fund.returned": Meaning("funds", _fund, _fund_rows),
        "benefit.proposed": Meaning(
            "benefits",
            _benefit,
            _benefit_rows,
        ),
        "benefit.approved": Meaning("benefits", _benefit_approved, _benefit_approved_rows),
        "benefit.rejected": Meaning("benefits", _benefit_rejected, _benefit_rejected_rows),
        "benefit.ended": Meaning("benefits", _benefit_ended, _benefit_ended_rows),
        # Paying agents (docs/formats.md 11.3): read from the log by projections.reports.agents.
        "payroll.sent": Meaning(),
        "payroll.settled": Meaning(),
        "payroll.settlement.recorded": Meaning(),
        "agent.refunded": Meaning(),
        "payment.recorded": Meaning("payments", _payment, _payment_rows),
        "payment.reversed": Meaning("payments", _reversed, _reversed_rows),
        "identity.reviewed": Meaning(),  # read by the reconciliation, from the log
        # Poverty review rounds (docs/formats.md 11.4): a recognition is an approved status
        # (keyed by the assessment); the rest is read from the log (projections.reports.reviews).
        "review.opened": Meaning(),
        "household.assessed": Meaning(),
        "village.meeting.held": Meaning(),
        "assessment.voted": Meaning(),
        "review.posted": Meaning(),
        "objection.lodged": Meaning(),
        "objection.answered": Meaning(),
        "review.recognized": Meaning("proposals", _recognized, _recognized_rows),
        "inspection.attested": Meaning(),
        # FORMATS 1.3 grievances and confirmations (docs/formats.md 11.5): read by the
        # reconciliation and the public pages from the log (projections.reports.grievances)
        "grievance.lodged": Meaning(),
        "grievance.assigned": Meaning(),
        "grievance.answered": Meaning(),
        "grievance.closed": Meaning(),
        "receipt.confirmed": Meaning(),
        # FORMATS 1.3 allowance changes (docs/formats.md 11.2)
        "allowance.level.set": Meaning("allowances", allowances.level, allowances.level_rows),
        "benefit.change.proposed": Meaning(
            "allowances", allowances.proposed, allowances.proposed_rows
        ),
        "benefit.change.approved": Meaning(
            "allowances", allowances.decided, allowances.decided_rows
        ),
        "benefit.change.rejected": Meaning(
            "allowances", allowances.decided, allowances.decided_rows
        ),
        "person.left": Meaning("allowances", allowances.left, allowances.left_rows),
    }
)
assert MEANINGS.keys() == CATALOG.keys(), "every statement type has its meaning"
assert all(
    (m.model is None) == (m.snapshot is None) == (m.rows is None) for m in MEANINGS.values()
), "a type that changes a snapshot writes rows of its model, and the reverse"
assert all(m.model is None or m.model in MODELS for m in MEANINGS.values())


def named_ids(kind: str, body: Body) -> list[str]:
    """Every id a statement's body names (its ``id``, ``*_id`` and ``recipient`` fields), once."""
    row = CATALOG.get(kind)
    if row is None:
        found: dict[str, None] = {}
        _walk(body, found)
        return list(found)
    ids = []
    for field in row.ids:
        value = body.get(field) if type(field) is str else body.get(field[0], {}).get(field[1])
        if value is not None and value not in ids:
            ids.append(value)
    return ids


def _walk(value: Any, found: dict[str, None]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if key == "id" or key.endswith("_id") or key == "recipient":
                    found[item] = None
            else:
                _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)
