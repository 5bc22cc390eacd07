"""Households, the people in them, and proposals to change a household's status."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement
from ledger.errors import AlreadyDecided, RuleViolation


class Household(Entity):
    kind = "household"

    @event("Registered")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.code: str = body["code"]
        self.village: str = body["village"]


class Person(Entity):
    """A person, known to the log only by a commitment to their personal data."""

    kind = "person"

    @event("Registered")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.household_id: str = body["household_id"]
        self.pii: str = body["pii"]
        self.died_on: str | None = None

    @event("PiiUpdated")
    def update_pii(self, index: int, envelope: dict[str, Any]) -> None:
        self.pii = read_statement(envelope)["body"]["pii"]

    def check_alive(self) -> None:
        if self.died_on is not None:
            raise RuleViolation(
                f"body.person_id: death already recorded ({self.died_on})", field="body.person_id"
            )

    def check_moving_to(self, household_id: str) -> None:
        if self.household_id == household_id:
            raise RuleViolation(
                "body.household_id: the person already lives there", field="body.household_id"
            )

    @event("Moved")
    def move(self, index: int, envelope: dict[str, Any]) -> None:
        self.household_id = read_statement(envelope)["body"]["household_id"]

    @event("Died")
    def die(self, index: int, envelope: dict[str, Any]) -> None:
        self.died_on = read_statement(envelope)["body"]["date"]


class StatusProposal(Entity):
    """A proposal to recognise a household as poor, near-poor or not poor."""

    kind = "status proposal"

    @event("Proposed")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.household_id: str = body["household_id"]
        self.decision: str | None = None

    def check_undecided(self) -> None:
        if self.decision is not None:
            raise AlreadyDecided(
                f"body.proposal_id: already {self.decision}", field="body.proposal_id"
            )

    @event("Approved")
    def approve(self, index: int, envelope: dict[str, Any]) -> None:
        self.decision = "approved"

    @event("Rejected")
    def reject(self, index: int, envelope: dict[str, Any]) -> None:
        self.decision = "rejected"


PAIRS = UUID("0b6c2f4e-3d1a-5e7f-8a9b-1c2d3e4f5a6b")


def pair_id(person_id: str, other_person_id: str) -> UUID:
    """The id of the review of two people: one per pair, in either order (FORMATS 1.2)."""
    return uuid5(PAIRS, " ".join(sorted((person_id, other_person_id))))


class IdentityReview(Entity):
    """An officer's decision on a suspected duplicate: the same person, or two people."""

    kind = "identity review"

    @event("Reviewed")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.person_ids: list[str] = sorted((body["person_id"], body["other_person_id"]))
        self.outcome: str = body["outcome"]
