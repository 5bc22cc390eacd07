"""A cash payment on a benefit, and its reversal."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity
from ledger.errors import RuleViolation


class Payment(Entity):
    kind = "payment"

    @event("Recorded")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.benefit_id: str = body["benefit_id"]
        self.amount: int = body["amount"]
        self.reversed = False

    def check_not_reversed(self) -> None:
        if self.reversed:
            raise RuleViolation("body.payment_id: already reversed", field="body.payment_id")

    @event("Reversed")
    def reverse(self, index: int, envelope: dict[str, Any]) -> None:
        self.reversed = True


class Attestation(Entity):
    """An inspector's signed statement about a tree size and root."""

    kind = "attestation"

    @event("Attested")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.tree_size: int = body["tree_size"]
