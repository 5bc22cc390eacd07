"""A benefit: an entitlement proposed for a person or household, then decided."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement


class Benefit(Entity):
    kind = "benefit"

    @event("Proposed")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.program_id: str = body["program_id"]
        self.person_id: str | None = body.get("person_id")
        self.household_id: str | None = body.get("household_id")
        self.amount: int = body["amount"]
        self.start: str = body["start"]
        self.status = "proposed"
        self.approved_by: str | None = None

    @event("Approved")
    def approve(self, index: int, envelope: dict[str, Any]) -> None:
        self.status = "approved"
        self.approved_by = read_statement(envelope)["by"]

    @event("Rejected")
    def reject(self, index: int, envelope: dict[str, Any]) -> None:
        self.status = "rejected"

    @event("Ended")
    def end(self, index: int, envelope: dict[str, Any]) -> None:
        self.status = "ended"
