"""The ledger's rules and aggregates for one FORMATS 1.3 procedure.

Paying agents: lists sent before the 25th, the agent's settlement, money
returned (docs/formats.md 11.3).

A list sent to an agent is one aggregate, a :class:`Sending`: it is created
by ``payroll.sent`` and every later statement about it (each line the agent
settles, each refund) is one event on it, so it alone knows which lines are
settled and how much money the agent may still hold.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement
from ledger.domain.benefits import Benefit
from ledger.domain.charter import Charter, KeyRecord
from ledger.domain.handlers import Unit
from ledger.domain.rows import StatementType, body_id, row
from ledger.errors import AlreadyDecided, Duplicate, InvalidField, RuleViolation, UnknownEntity
from ledger.formats.dsse import SignedStatement

SETTLING = ("payroll.settled", "payroll.settlement.recorded")
"""The agent's word on one line: signed by the agent, or recorded by a cashier from its file."""


class Sending(Entity):
    """A month's payroll list sent to a paying agent, and what became of its lines."""

    kind = "list sent to an agent"

    @event("Sent")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.agent: str = body["agent"]
        self.month: str = body["month"]
        self.sent_on: str = body["sent_on"]
        self.lines: int = body["lines"]
        self.total: int = body["total"]
        self.settled: dict[str, tuple[str, int]] = {}  # benefit_id -> (outcome, amount)
        self.paid = 0  # the amounts of the lines settled paid
        self.refund_ids: set[str] = set()
        self.refunded = 0

    @property
    def held(self) -> int:
        """The money of this list the agent has neither paid out nor handed back."""
        return self.total - self.paid - self.refunded

    def check_line(self, benefit_id: str, amount: int) -> None:
        """A line is settled once, and the settled lines stay within the list."""
        if benefit_id in self.settled:
            outcome = self.settled[benefit_id][0]
            raise AlreadyDecided(
                f"body.benefit_id: this line of the list is settled already ({outcome}); "
                "one settlement per line",
                field="body.benefit_id",
            )
        if len(self.settled) >= self.lines:
            raise RuleViolation(
                f"body.sending_id: the list has {self.lines} lines, all settled already",
                field="body.sending_id",
            )
        settled_amount = sum(amount for _, amount in self.settled.values())
        if settled_amount + amount > self.total:
            raise RuleViolation(
                f"body.amount: the settled lines would come to {settled_amount + amount} đồng, "
                f"more than the list's total of {self.total}",
                field="body.amount",
            )

    def check_not_before_sent(self, day: str, field: str) -> None:
        if day < self.sent_on:
            raise RuleViolation(
                f"{field}: {day} is before the list was sent ({self.sent_on})", field=field
            )

    @event("LineSettled")
    def settle_line(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.settled[body["benefit_id"]] = (body["outcome"], body["amount"])
        if body["outcome"] == "paid":
            self.paid += body["amount"]

    def check_refund(self, refund_id: str, amount: int) -> None:
        if refund_id in self.refund_ids:
            raise Duplicate(
                f"body.refund_id: {refund_id} is already a refund of this list",
                field="body.refund_id",
            )
        if amount > self.held:
            raise RuleViolation(
                f"body.amount: the agent holds {self.held} đồng of this list (its total, less "
                "the lines it settled paid and the refunds before)",
                field="body.amount",
            )

    @event("Refunded")
    def refund(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.refund_ids.add(body["refund_id"])
        self.refunded += body["amount"]


def agent_keys(charter: Charter, holder_id: str) -> list[KeyRecord]:
    """The keys of ``holder_id`` that may sign as a paying agent now: role agent, not revoked."""
    return [
        k
        for k in charter.keys.values()
        if k.holder_id == holder_id and "agent" in k.roles and not k.revoked
    ]


def payroll_sent(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    charter: Charter | None = getattr(u, "charter", None)
    assert charter is not None
    agent = s.body["agent"]
    if not agent_keys(charter, agent):
        if not any(key.holder_id == agent for key in charter.keys.values()):
            raise UnknownEntity(
                f"body.agent: no key is registered to holder {agent}", field="body.agent"
            )
        raise RuleViolation(
            f"body.agent: {agent} holds no unrevoked key with the role agent", field="body.agent"
        )
    u.create(Sending, s.body["sending_id"], "body.sending_id", s, i)


def line_settled(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    body = s.body
    sending = u.load(Sending, body["sending_id"], "body.sending_id", change=True)
    if s.type == "payroll.settled" and k.holder_id != sending.agent:
        raise RuleViolation(
            f"by: key of {k.holder_id}; this list was sent to {sending.agent}, whose own key "
            "signs its settlement (or a cashier records it from its file)",
            field="by",
        )
    u.load(Benefit, body["benefit_id"], "body.benefit_id")
    if body["outcome"] == "paid":
        if "paid_on" not in body:
            raise InvalidField("body.paid_on", "missing: a paid line says when it was paid")
        sending.check_not_before_sent(body["paid_on"], "body.paid_on")
    elif "paid_on" in body:
        raise InvalidField("body.paid_on", f"must be absent for a line {body['outcome']}")
    sending.check_line(body["benefit_id"], body["amount"])
    sending.settle_line(index=i, envelope=s.envelope)


def agent_refunded(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    sending = u.load(Sending, s.body["sending_id"], "body.sending_id", change=True)
    sending.check_not_before_sent(s.body["date"], "body.date")
    sending.check_refund(s.body["refund_id"], s.body["amount"])
    sending.refund(index=i, envelope=s.envelope)


_sending = body_id("sending_id")
ROWS: list[tuple[str, StatementType]] = [
    row("payroll.sent", "cashier", ("sending_id",), Sending, "Sent", _sending, payroll_sent),
    row(
        "payroll.settled",
        "agent",
        ("sending_id", "benefit_id"),
        Sending,
        "LineSettled",
        _sending,
        line_settled,
    ),
    row(
        "payroll.settlement.recorded",
        "cashier",
        ("sending_id", "benefit_id"),
        Sending,
        "LineSettled",
        _sending,
        line_settled,
    ),
    row(
        "agent.refunded",
        "cashier",
        ("refund_id", "sending_id"),
        Sending,
        "Refunded",
        _sending,
        agent_refunded,
    ),
]
"""Catalog rows of this procedure's types (:mod:`ledger.domain.catalog`)."""
