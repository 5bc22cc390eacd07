"""The ledger's rules and aggregates for one FORMATS 1.3 procedure.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5).

A *case* is what a villager raised: a grievance lodged by an officer
(``grievance.lodged``), or what they said on the public lookup page
(``receipt.confirmed``). A confirmation that the money was received is a
case that is closed as it opens; one saying it was not received, or not in
full, is a grievance like any other, under the confirmation's id. A
grievance is assigned to a registrar by an approver, answered by that
registrar, and closed by an approver who did not answer it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement
from ledger.domain.charter import Charter, KeyRecord
from ledger.domain.handlers import Unit, check_maker_checker
from ledger.domain.rows import StatementType, body_id, row
from ledger.errors import AlreadyDecided, RuleViolation
from ledger.formats.dsse import SignedStatement
from ledger.formats.procedures.grievances import due_after, late_due

ANSWERING_ROLE = "registrar"
"""The role of the officer a grievance is assigned to, who answers it."""


class Case(Entity):
    """A grievance, or a beneficiary's confirmation from the public lookup page."""

    kind = "grievance"

    @event("Lodged")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        if read_statement(envelope)["type"] == "receipt.confirmed":
            self.lodged_on: str = body["confirmed_on"]
            self.grievance = body["outcome"] != "received"
            self.due: str | None = due_after(self.lodged_on) if self.grievance else None
        else:
            self.lodged_on = body["lodged_on"]
            self.grievance = True
            self.due = body["due"]
        self.assigned_to: str | None = None
        self.answered_by: str | None = None  # the answering key
        self.answered_on: str | None = None
        self.closed: str | None = None

    def check_grievance(self) -> None:
        if not self.grievance:
            raise RuleViolation(
                "body.grievance_id: a confirmation that the money was received, not a grievance",
                field="body.grievance_id",
            )

    def check_open(self) -> None:
        self.check_grievance()
        if self.closed is not None:
            raise AlreadyDecided(
                f"body.grievance_id: already closed ({self.closed})", field="body.grievance_id"
            )

    def check_unanswered(self) -> None:
        if self.answered_on is not None:
            raise AlreadyDecided(
                f"body.grievance_id: already answered on {self.answered_on}",
                field="body.grievance_id",
            )

    def check_not_before_lodged(self, day: str, field: str) -> None:
        if day < self.lodged_on:
            raise RuleViolation(
                f"{field}: before the grievance was lodged ({self.lodged_on})", field=field
            )

    @event("Assigned")
    def assign(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.assigned_to = body["to"]
        self.due = body.get("due", self.due)

    @event("Answered")
    def answer(self, index: int, envelope: dict[str, Any]) -> None:
        statement = read_statement(envelope)
        self.answered_by = statement["by"]
        self.answered_on = statement["body"]["answered_on"]

    @event("Closed")
    def close(self, index: int, envelope: dict[str, Any]) -> None:
        self.closed = read_statement(envelope)["body"]["outcome"]


def _answering_keys(charter: Charter, holder: str) -> list[KeyRecord]:
    return [
        k
        for k in charter.keys.values()
        if k.holder_id == holder and not k.revoked and ANSWERING_ROLE in k.roles
    ]


def grievance_lodged(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    subject_id = s.body["subject"].get("id")
    if subject_id is not None:
        u.load(Entity, subject_id, "body.subject.id")
    u.create(Case, s.body["grievance_id"], "body.grievance_id", s, i)


def receipt_confirmed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.create(Case, s.body["confirmation_id"], "body.confirmation_id", s, i)


def _case(u: Unit, s: SignedStatement) -> Case:
    case = u.load(Case, s.body["grievance_id"], "body.grievance_id", change=True)
    case.check_open()
    return case


def grievance_assigned(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    case = _case(u, s)
    case.check_unanswered()
    charter: Charter | None = getattr(u, "charter", None)  # the keys, as they stand
    assert charter is not None
    to = s.body["to"]
    if not _answering_keys(charter, to):
        raise RuleViolation(
            f"body.to: {to} holds no {ANSWERING_ROLE} key in this ledger (registered, "
            "not revoked): a grievance is answered by a registrar",
            field="body.to",
        )
    due = s.body.get("due")
    if due is not None:
        problem = late_due(due, case.lodged_on)
        if problem is not None:
            raise RuleViolation(f"body.due: {problem}", field="body.due")
    case.assign(index=i, envelope=s.envelope)


def grievance_answered(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    case = _case(u, s)
    case.check_unanswered()
    if case.assigned_to is None:
        raise RuleViolation(
            "body.grievance_id: not assigned yet (an approver assigns it to a registrar first)",
            field="body.grievance_id",
        )
    if k.holder_id != case.assigned_to:
        raise RuleViolation(
            f"by: the grievance is assigned to {case.assigned_to}, not to {k.holder_id}",
            field="by",
        )
    case.check_not_before_lodged(s.body["answered_on"], "body.answered_on")
    case.answer(index=i, envelope=s.envelope)


def grievance_closed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    case = _case(u, s)
    closed_on = s.body["closed_on"]
    case.check_not_before_lodged(closed_on, "body.closed_on")
    if case.answered_by is None:
        if s.body["outcome"] != "withdrawn":
            raise RuleViolation(
                "body.outcome: the grievance has no answer yet; only a withdrawn one closes "
                "unanswered",
                field="body.outcome",
            )
    else:
        check_maker_checker(u, s, case.answered_by, "grievance's answer")
        assert case.answered_on is not None
        if closed_on < case.answered_on:
            raise RuleViolation(
                f"body.closed_on: before the grievance was answered ({case.answered_on})",
                field="body.closed_on",
            )
    case.close(index=i, envelope=s.envelope)


_grievance = body_id("grievance_id")
ROWS: list[tuple[str, StatementType]] = [
    row(
        "grievance.lodged",
        "registrar",
        ("grievance_id", ("subject", "id")),
        Case,
        "Lodged",
        _grievance,
        grievance_lodged,
    ),
    row(
        "grievance.assigned",
        "approver",
        ("grievance_id",),
        Case,
        "Assigned",
        _grievance,
        grievance_assigned,
    ),
    row(
        "grievance.answered",
        "registrar",
        ("grievance_id",),
        Case,
        "Answered",
        _grievance,
        grievance_answered,
    ),
    row(
        "grievance.closed",
        "approver",
        ("grievance_id",),
        Case,
        "Closed",
        _grievance,
        grievance_closed,
    ),
    row(
        "receipt.confirmed",
        "intake",
        ("confirmation_id",),
        Case,
        "Lodged",
        body_id("confirmation_id"),
        receipt_confirmed,
    ),
]
"""Catalog rows of this procedure's types (:mod:`ledger.domain.catalog`)."""
