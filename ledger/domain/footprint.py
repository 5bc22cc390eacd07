"""Which aggregate events each statement leaves in the event store.

Acceptance turns every statement into exactly one event on one aggregate
(besides its log entry): this table says which, so that the stored events
can be checked against the log they were made from (``verify --db``). A
test holds acceptance to it, type by type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from ledger.domain.benefits import Benefit
from ledger.domain.charter import CHARTER_ID, Charter
from ledger.domain.log import attestation_id
from ledger.domain.payments import Attestation, Payment
from ledger.domain.programs import FundMovement, Program
from ledger.domain.registry import Household, Person, StatusProposal

Statement = dict[str, Any]
AggregateOf = Callable[[Statement], str]
"""The id of the aggregate a statement changes, as 32 hex digits (``UUID.hex``)."""
_CHARTER_HEX = CHARTER_ID.hex


def _charter(s: Statement) -> str:
    return _CHARTER_HEX


def _body(field: str) -> AggregateOf:
    # Ids in statements are lowercase UUIDs (the schema checks): without the
    # dashes they are the UUID's hex.
    return lambda s: s["body"][field].replace("-", "")


def _attestation(s: Statement) -> str:
    return attestation_id(s["by"], s["nonce"]).hex


def _topic(cls: type[Aggregate], event: str) -> str:
    return get_topic(getattr(cls, event))


# type -> (the aggregate it changes, the topic of the event it records there)
FOOTPRINTS: dict[str, tuple[AggregateOf, str]] = {
    "ledger.opened": (_charter, _topic(Charter, "Opened")),
    "key.registered": (_charter, _topic(Charter, "KeyRegistered")),
    "key.revoked": (_charter, _topic(Charter, "KeyRevoked")),
    "household.registered": (_body("household_id"), _topic(Household, "Registered")),
    "person.registered": (_body("person_id"), _topic(Person, "Registered")),
    "person.pii.updated": (_body("person_id"), _topic(Person, "PiiUpdated")),
    "person.moved": (_body("person_id"), _topic(Person, "Moved")),
    "person.died": (_body("person_id"), _topic(Person, "Died")),
    "household.status.proposed": (_body("proposal_id"), _topic(StatusProposal, "Proposed")),
    "household.status.approved": (_body("proposal_id"), _topic(StatusProposal, "Approved")),
    "household.status.rejected": (_body("proposal_id"), _topic(StatusProposal, "Rejected")),
    "program.defined": (_body("program_id"), _topic(Program, "Defined")),
    "fund.received": (_body("receipt_id"), _topic(FundMovement, "Recorded")),
    "fund.returned": (_body("return_id"), _topic(FundMovement, "Recorded")),
    "benefit.proposed": (_body("benefit_id"), _topic(Benefit, "Proposed")),
    "benefit.approved": (_body("benefit_id"), _topic(Benefit, "Approved")),
    "benefit.rejected": (_body("benefit_id"), _topic(Benefit, "Rejected")),
    "benefit.ended": (_body("benefit_id"), _topic(Benefit, "Ended")),
    "payment.recorded": (_body("payment_id"), _topic(Payment, "Recorded")),
    "payment.reversed": (_body("payment_id"), _topic(Payment, "Reversed")),
    "inspection.attested": (_attestation, _topic(Attestation, "Attested")),
}


def footprint(statement: Statement) -> tuple[UUID, str]:
    """The aggregate an accepted statement changed, and the topic of the event it stored."""
    aggregate_of, topic = FOOTPRINTS[statement["type"]]
    return UUID(aggregate_of(statement)), topic
