"""A benefit: an entitlement proposed for a person or household, then decided."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement
from ledger.errors import AlreadyDecided, RuleViolation


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
        # FORMATS 1.3 benefit.change.*: the changes decided, change id -> approved?
        self.changes: dict[str, bool] = {}

    def check_undecided(self) -> None:
        if self.status != "proposed":
            raise AlreadyDecided(f"body.benefit_id: already {self.status}", field="body.benefit_id")

    def check_can_end(self, last_month: str) -> None:
        if self.status != "approved":
            raise RuleViolation(
                f"body.benefit_id: a {self.status} benefit cannot end", field="body.benefit_id"
            )
        if last_month < self.start:
            raise RuleViolation(
                "body.last_month: before the benefit's start", field="body.last_month"
            )

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

    @event("ChangeApproved")
    def approve_change(self, index: int, envelope: dict[str, Any]) -> None:
        self.changes[read_statement(envelope)["body"]["change_id"]] = True

    @event("ChangeRejected")
    def reject_change(self, index: int, envelope: dict[str, Any]) -> None:
        self.changes[read_statement(envelope)["body"]["change_id"]] = False
