"""What each statement type requires of the ledger's state (FORMATS §6).

One function per type: it checks the statement against the state the unit
of work sees (the store, plus the statements before it in the submission),
then records the statement's event on the entity it creates or changes.
Each raises a :class:`~ledger.errors.LedgerError` for the first rule the
statement breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ledger.domain.benefits import Benefit
from ledger.domain.charter import KeyRecord
from ledger.domain.log import attestation_id
from ledger.domain.payments import Attestation, Payment
from ledger.domain.programs import FundMovement, Program
from ledger.domain.registry import Household, Person, StatusProposal
from ledger.errors import (
    AlreadyDecided,
    Duplicate,
    InvalidField,
    RuleViolation,
    SelfApproval,
    UnknownEntity,
)
from ledger.formats.dsse import SignedStatement
from ledger.formats.keys import check_public_key, decode_public_key
from ledger.formats.schemas import STATEMENT_TYPES
from ledger.storage.vault import VaultRecord, check_commitment

if TYPE_CHECKING:
    from ledger.domain.acceptance import UnitOfWork


Handler = Callable[["UnitOfWork", SignedStatement, int, KeyRecord, tuple[VaultRecord, ...]], None]


def _key_registered(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    body = s.body
    check_public_key(
        decode_public_key(body["key"]["public_key"], "body.key.public_key"), "body.key.public_key"
    )
    charter = u.charter_for_change()
    if body["key"]["id"] in charter.keys:
        raise Duplicate("body.key.id: key already registered", field="body.key.id")
    charter.register_key(index=i, envelope=s.envelope)


def _key_revoked(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    charter = u.charter_for_change()
    target = charter.keys.get(s.body["key_id"])
    if target is None:
        raise UnknownEntity(f"body.key_id: no key {s.body['key_id']}", field="body.key_id")
    if target.revoked:
        raise RuleViolation("body.key_id: key already revoked", field="body.key_id")
    if target.key_id == charter.authority_key_id:
        raise RuleViolation("body.key_id: the authority key cannot be revoked", field="body.key_id")
    charter.revoke_key(index=i, envelope=s.envelope)


def _household_registered(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.create(Household, s.body["household_id"], "body.household_id", s, i)


def _vault_for(s: SignedStatement, vault: tuple[VaultRecord, ...]) -> VaultRecord:
    person_id, pii = s.body["person_id"], s.body["pii"]
    matching = [r for r in vault if r.person_id == person_id]
    if len(matching) != 1:
        raise InvalidField("vault", f"needs exactly one record for person {person_id}")
    check_commitment(matching[0], person_id, pii)
    return matching[0]


def _person_registered(
    u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: tuple[VaultRecord, ...]
) -> None:
    u.load(Household, s.body["household_id"], "body.household_id")
    record = _vault_for(s, v)
    u.create(Person, s.body["person_id"], "body.person_id", s, i)
    u.vault.append((record, s.body["pii"]))


def _person_pii_updated(
    u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: tuple[VaultRecord, ...]
) -> None:
    person = u.load(Person, s.body["person_id"], "body.person_id", change=True)
    record = _vault_for(s, v)
    person.update_pii(index=i, envelope=s.envelope)
    u.vault.append((record, s.body["pii"]))


def _person_moved(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Household, s.body["household_id"], "body.household_id")
    person = u.load(Person, s.body["person_id"], "body.person_id", change=True)
    if person.household_id == s.body["household_id"]:
        raise RuleViolation(
            "body.household_id: the person already lives there", field="body.household_id"
        )
    person.move(index=i, envelope=s.envelope)


def _person_died(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    person = u.load(Person, s.body["person_id"], "body.person_id", change=True)
    if person.died_on is not None:
        raise RuleViolation(
            f"body.person_id: death already recorded ({person.died_on})", field="body.person_id"
        )
    person.die(index=i, envelope=s.envelope)


def _status_proposed(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Household, s.body["household_id"], "body.household_id")
    u.create(StatusProposal, s.body["proposal_id"], "body.proposal_id", s, i)


def _check_maker_checker(u: UnitOfWork, s: SignedStatement, proposer_key: str, what: str) -> None:
    if u.holder_of(s.by) == u.holder_of(proposer_key):
        raise SelfApproval(
            f"by: {u.holder_of(s.by)} proposed this {what} and cannot also approve it "
            "(maker-checker)",
            field="by",
        )


def _status_decided(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    proposal = u.load(StatusProposal, s.body["proposal_id"], "body.proposal_id", change=True)
    if proposal.decision is not None:
        raise AlreadyDecided(
            f"body.proposal_id: already {proposal.decision}", field="body.proposal_id"
        )
    if s.type.endswith("approved"):
        _check_maker_checker(u, s, proposal.created_by, "status proposal")
        proposal.approve(index=i, envelope=s.envelope)
    else:
        proposal.reject(index=i, envelope=s.envelope)


def _program_defined(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.create(Program, s.body["program_id"], "body.program_id", s, i)


def _fund_moved(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Program, s.body["program_id"], "body.program_id")
    field = "receipt_id" if s.type == "fund.received" else "return_id"
    u.create(FundMovement, s.body[field], f"body.{field}", s, i)


def _benefit_proposed(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Program, s.body["program_id"], "body.program_id")
    if "person_id" in s.body:
        u.load(Person, s.body["person_id"], "body.person_id")
    else:
        u.load(Household, s.body["household_id"], "body.household_id")
    u.create(Benefit, s.body["benefit_id"], "body.benefit_id", s, i)


def _benefit_decided(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    benefit = u.load(Benefit, s.body["benefit_id"], "body.benefit_id", change=True)
    if s.type == "benefit.ended":
        if benefit.status != "approved":
            raise RuleViolation(
                f"body.benefit_id: a {benefit.status} benefit cannot end", field="body.benefit_id"
            )
        if s.body["last_month"] < benefit.start:
            raise RuleViolation(
                "body.last_month: before the benefit's start", field="body.last_month"
            )
        benefit.end(index=i, envelope=s.envelope)
        return
    if benefit.status != "proposed":
        raise AlreadyDecided(f"body.benefit_id: already {benefit.status}", field="body.benefit_id")
    if s.type == "benefit.approved":
        _check_maker_checker(u, s, benefit.created_by, "benefit")
        benefit.approve(index=i, envelope=s.envelope)
    else:
        benefit.reject(index=i, envelope=s.envelope)


def _payment_recorded(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    benefit = u.load(Benefit, s.body["benefit_id"], "body.benefit_id")
    u.load(Person, s.body["recipient"], "body.recipient")
    program = u.load(Program, benefit.program_id, "body.benefit_id")
    if program.program_kind == "monthly" and "month" not in s.body:
        raise InvalidField("body.month", "missing: a payment of a monthly program names its month")
    if program.program_kind != "monthly" and "month" in s.body:
        raise InvalidField("body.month", f"must be absent for a {program.program_kind} program")
    u.create(Payment, s.body["payment_id"], "body.payment_id", s, i)


def _payment_reversed(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    payment = u.load(Payment, s.body["payment_id"], "body.payment_id", change=True)
    if payment.reversed:
        raise RuleViolation("body.payment_id: already reversed", field="body.payment_id")
    payment.reverse(index=i, envelope=s.envelope)


def _inspection_attested(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    if s.body["tree_size"] > i:
        raise RuleViolation(
            f"body.tree_size: the log holds {i} entries before this one", field="body.tree_size"
        )
    u.add(Attestation.create(attestation_id(s.by, s.nonce), i, s.envelope, u.now))


HANDLERS: dict[str, Handler] = {
    "key.registered": _key_registered,
    "key.revoked": _key_revoked,
    "household.registered": _household_registered,
    "person.registered": _person_registered,
    "person.pii.updated": _person_pii_updated,
    "person.moved": _person_moved,
    "person.died": _person_died,
    "household.status.proposed": _status_proposed,
    "household.status.approved": _status_decided,
    "household.status.rejected": _status_decided,
    "program.defined": _program_defined,
    "fund.received": _fund_moved,
    "fund.returned": _fund_moved,
    "benefit.proposed": _benefit_proposed,
    "benefit.approved": _benefit_decided,
    "benefit.rejected": _benefit_decided,
    "benefit.ended": _benefit_decided,
    "payment.recorded": _payment_recorded,
    "payment.reversed": _payment_reversed,
    "inspection.attested": _inspection_attested,
}
assert set(HANDLERS) | {"ledger.opened"} == set(STATEMENT_TYPES), "every type has a handler"
