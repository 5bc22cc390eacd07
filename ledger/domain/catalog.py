"""The statement types: one row each, saying everything the ledger knows of the type.

A row names the roles one of which the author's key must hold, the body
fields that name ids, the aggregate the statement creates or changes (and
the id of it, read from the statement), the event it records there, and the
rule it must meet (:mod:`ledger.domain.handlers`). Acceptance, the
verifier's check of stored events against the log (``verify --db``) and the
read models all look types up here; a test holds every other table keyed
by statement type to this one. The shape of each type's body is in
:mod:`ledger.formats.schemas` (the formats import nothing of the domain).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from uuid import UUID

from ledger.domain import handlers as rules
from ledger.domain.benefits import Benefit
from ledger.domain.charter import CHARTER_ID, Charter
from ledger.domain.log import attestation_id
from ledger.domain.payments import Attestation, Payment
from ledger.domain.procedures import ROWS as PROCEDURE_ROWS
from ledger.domain.programs import FundMovement, Program
from ledger.domain.registry import Household, IdentityReview, Person, StatusProposal, pair_id
from ledger.domain.rows import Statement, StatementType, body_id, row


def _charter(s: Statement) -> str:
    return CHARTER_ID.hex


def _pair(s: Statement) -> str:
    return pair_id(s["body"]["person_id"], s["body"]["other_person_id"]).hex


def _attestation(s: Statement) -> str:
    return attestation_id(s["by"], s["nonce"]).hex


_body, _row = body_id, row
_proposal, _benefit, _payment = _body("proposal_id"), _body("benefit_id"), _body("payment_id")
_person = _body("person_id")
CATALOG: Mapping[str, StatementType] = MappingProxyType(
    dict(
        [
            _row(
                "ledger.opened", None, (("authority_key", "id"),), Charter, "Opened", _charter, None
            ),
            _row(
                "ledger.formats.adopted",
                "admin",
                (),
                Charter,
                "FormatsAdopted",
                _charter,
                rules.formats_adopted,
            ),
            _row(
                "key.registered",
                "admin",
                (("key", "id"), ("holder", "id")),
                Charter,
                "KeyRegistered",
                _charter,
                rules.key_registered,
            ),
            _row(
                "key.revoked",
                "admin",
                ("key_id",),
                Charter,
                "KeyRevoked",
                _charter,
                rules.key_revoked,
            ),
            _row(
                "household.registered",
                "registrar",
                ("household_id",),
                Household,
                "Registered",
                _body("household_id"),
                rules.household_registered,
            ),
            _row(
                "person.registered",
                "registrar",
                ("person_id", "household_id"),
                Person,
                "Registered",
                _person,
                rules.person_registered,
            ),
            _row(
                "person.pii.updated",
                "registrar",
                ("person_id",),
                Person,
                "PiiUpdated",
                _person,
                rules.person_pii_updated,
            ),
            _row(
                "person.moved",
                "registrar",
                ("person_id", "household_id"),
                Person,
                "Moved",
                _person,
                rules.person_moved,
            ),
            _row(
                "person.died",
                "registrar",
                ("person_id",),
                Person,
                "Died",
                _person,
                rules.person_died,
            ),
            _row(
                "household.status.proposed",
                "registrar",
                ("proposal_id", "household_id"),
                StatusProposal,
                "Proposed",
                _proposal,
                rules.status_proposed,
            ),
            _row(
                "household.status.approved",
                "approver",
                ("proposal_id",),
                StatusProposal,
                "Approved",
                _proposal,
                rules.status_decided,
            ),
            _row(
                "household.status.rejected",
                "approver",
                ("proposal_id",),
                StatusProposal,
                "Rejected",
                _proposal,
                rules.status_decided,
            ),
            _row(
                "program.defined",
                "admin",
                ("program_id",),
                Program,
                "Defined",
                _body("program_id"),
                rules.program_defined,
            ),
            _row(
                "fund.received",
                "cashier",
                ("receipt_id", "program_id"),
                FundMovement,
                "Recorded",
                _body("receipt_id"),
                rules.fund_moved,
            ),
            _row(
                "fund.returned",
                "cashier",
                ("return_id", "program_id"),
                FundMovement,
                "Recorded",
                _body("return_id"),
                rules.fund_moved,
            ),
            _row(
                "benefit.proposed",
                "registrar",
                ("benefit_id", "program_id", "person_id", "household_id"),
                Benefit,
                "Proposed",
                _benefit,
                rules.benefit_proposed,
            ),
            _row(
                "benefit.approved",
                "approver",
                ("benefit_id",),
                Benefit,
                "Approved",
                _benefit,
                rules.benefit_decided,
            ),
            _row(
                "benefit.rejected",
                "approver",
                ("benefit_id",),
                Benefit,
                "Rejected",
                _benefit,
                rules.benefit_decided,
            ),
            _row(
                "benefit.ended",
                "approver",
                ("benefit_id",),
                Benefit,
                "Ended",
                _benefit,
                rules.benefit_decided,
            ),
            _row(
                "payment.recorded",
                "cashier",
                ("payment_id", "benefit_id", "recipient"),
                Payment,
                "Recorded",
                _payment,
                rules.payment_recorded,
            ),
            _row(
                "payment.reversed",
                "cashier",
                ("payment_id",),
                Payment,
                "Reversed",
                _payment,
                rules.payment_reversed,
            ),
            _row(
                "identity.reviewed",
                "approver",
                ("person_id", "other_person_id"),
                IdentityReview,
                "Reviewed",
                _pair,
                rules.identity_reviewed,
            ),
            _row(
                "inspection.attested",
                "inspector",
                (),
                Attestation,
                "Attested",
                _attestation,
                rules.inspection_attested,
            ),
            *PROCEDURE_ROWS,  # FORMATS 1.3 (docs/formats.md section 11)
        ]
    )
)
"""Every statement type, by name, in the order FORMATS §6 lists them."""


def footprint(statement: Statement) -> tuple[UUID, str]:
    """The aggregate an accepted statement changed, and the topic of the event it stored."""
    row = CATALOG[statement["type"]]
    return UUID(row.target(statement)), row.topic
