"""What a verifier checks of the paying agents' statements (docs/formats.md 11.3).

From the log alone, entry by entry: a list is sent to the holder of an
unrevoked agent key; the agent's own key settles its lines; each line is
settled once, within the list's lines and total; a paid line is dated, not
before the list was sent; a refund stays within what the agent holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.errors import AlreadyDecided, Duplicate, InvalidField, RuleViolation, UnknownEntity
from ledger.formats.procedures.agents import TYPES


@dataclass
class _Sent:
    agent: str
    sent_on: str
    lines: int
    total: int
    settled: dict[str, int] = field(default_factory=dict)  # benefit_id -> amount
    paid: int = 0
    refund_ids: set[str] = field(default_factory=set)
    refunded: int = 0


@dataclass
class Agents:
    """The agent keys and the lists sent, as the log has them so far."""

    keys: dict[str, tuple[str, bool]] = field(default_factory=dict)  # key id -> (holder, agent)
    sendings: dict[str, _Sent] = field(default_factory=dict)

    def track(self, kind: str, body: dict[str, Any]) -> None:
        """Keys registered and revoked: who may be sent a list."""
        if kind == "key.registered" and "key" in body:  # (a replay of roles alone has none)
            self.keys[body["key"]["id"]] = (body["holder"]["id"], "agent" in body["roles"])
        elif kind == "key.revoked":
            self.keys.pop(body["key_id"], None)

    def problem(self, kind: str, body: dict[str, Any], holder: str) -> str | None:
        """Why the entry may not stand here, or None; applies it."""
        assert kind in TYPES
        if kind == "payroll.sent":
            return self._sent(body)
        sending = self.sendings.get(body["sending_id"])
        if sending is None:
            return f"{UnknownEntity.code}: body.sending_id: no list {body['sending_id']} was sent"
        if kind == "agent.refunded":
            return self._refunded(sending, body)
        return self._settled(sending, kind, body, holder)

    def _sent(self, body: dict[str, Any]) -> str | None:
        if body["sending_id"] in self.sendings:
            return f"{Duplicate.code}: body.sending_id: a list {body['sending_id']} was sent before"
        if not any(h == body["agent"] and agent for h, agent in self.keys.values()):
            return (
                f"{RuleViolation.code}: body.agent: {body['agent']} holds no unrevoked key "
                "with the role agent"
            )
        self.sendings[body["sending_id"]] = _Sent(
            body["agent"], body["sent_on"], body["lines"], body["total"]
        )
        return None

    def _settled(self, s: _Sent, kind: str, body: dict[str, Any], holder: str) -> str | None:
        if kind == "payroll.settled" and holder != s.agent:
            return f"{RuleViolation.code}: by: {holder} is not {s.agent}, the list's agent"
        paid = body["outcome"] == "paid"
        if paid != ("paid_on" in body):
            return f"{InvalidField.code}: body.paid_on: present exactly when the line is paid"
        if paid and body["paid_on"] < s.sent_on:
            return f"{RuleViolation.code}: body.paid_on: before the list was sent ({s.sent_on})"
        if body["benefit_id"] in s.settled:
            return f"{AlreadyDecided.code}: body.benefit_id: this line is settled already"
        if len(s.settled) >= s.lines:
            return f"{RuleViolation.code}: body.sending_id: the list has {s.lines} lines"
        if sum(s.settled.values()) + body["amount"] > s.total:
            return f"{RuleViolation.code}: body.amount: beyond the list's total of {s.total}"
        s.settled[body["benefit_id"]] = body["amount"]
        s.paid += body["amount"] if paid else 0
        return None

    def _refunded(self, s: _Sent, body: dict[str, Any]) -> str | None:
        if body["refund_id"] in s.refund_ids:
            return f"{Duplicate.code}: body.refund_id: already a refund of this list"
        if body["date"] < s.sent_on:
            return f"{RuleViolation.code}: body.date: before the list was sent ({s.sent_on})"
        held = s.total - s.paid - s.refunded
        if body["amount"] > held:
            return f"{RuleViolation.code}: body.amount: the agent holds {held} đồng of this list"
        s.refund_ids.add(body["refund_id"])
        s.refunded += body["amount"]
        return None
