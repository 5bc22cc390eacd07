"""Programs of support and the money that flows into and back out of them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity
from ledger.errors import InvalidField


class Program(Entity):
    kind = "program"

    @event("Defined")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.code: str = body["code"]
        self.category: str = body["category"]
        self.program_kind: str = body["kind"]

    def check_payment_month(self, names_month: bool) -> None:
        """A payment of a monthly program names its month; any other payment does not."""
        if self.program_kind == "monthly" and not names_month:
            raise InvalidField(
                "body.month", "missing: a payment of a monthly program names its month"
            )
        if self.program_kind != "monthly" and names_month:
            raise InvalidField("body.month", f"must be absent for a {self.program_kind} program")


class FundMovement(Entity):
    """Money received for a program, or returned from it."""

    kind = "fund movement"

    @event("Recorded")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.program_id: str = body["program_id"]
        self.amount: int = body["amount"]
