"""What each statement type requires of the ledger's state (FORMATS §6).

One function per type: it loads the entities the statement names from the
unit of work (the store, plus the statements before it in the submission),
has them check their own rules (their ``check_*`` methods), then records the
statement's event on the entity it creates or changes. Each raises a
:class:`~ledger.errors.LedgerError` for the first rule the statement breaks.
Which function serves which type is in :mod:`ledger.domain.catalog`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from ledger.domain.base import Entity
from ledger.domain.benefits import Benefit
from ledger.domain.charter import Charter, KeyRecord
from ledger.domain.log import attestation_id
from ledger.domain.payments import Attestation, Payment
from ledger.domain.programs import FundMovement, Program
from ledger.domain.registry import Household, IdentityReview, Person, StatusProposal, pair_id
from ledger.errors import AlreadyDecided, Duplicate, InvalidField, RuleViolation, SelfApproval
from ledger.formats.dsse import SignedStatement
from ledger.formats.keys import check_public_key, decode_public_key
from ledger.formats.vault import VaultRecord, check_commitment

E = TypeVar("E", bound=Entity)


class Unit(Protocol):
    """What a rule sees of the unit of work (:class:`ledger.domain.acceptance.UnitOfWork`)."""

    now: datetime
    vault: list[tuple[VaultRecord, str]]

    def load(self, cls: type[E], entity_id: str, field: str, *, change: bool = False) -> E: ...
    def create(
        self, cls: type[E], entity_id: str, field: str, s: SignedStatement, index: int
    ) -> E: ...
    def add(self, entity: Entity) -> None: ...
    def holder_of(self, key_id_: str) -> str: ...
    def charter_for_change(self) -> Charter: ...
    @property
    def charter(self) -> Charter | None: ...


Handler = Callable[[Unit, SignedStatement, int, KeyRecord, tuple[VaultRecord, ...]], None]


def key_registered(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    body = s.body
    check_public_key(
        decode_public_key(body["key"]["public_key"], "body.key.public_key"), "body.key.public_key"
    )
    charter = u.charter_for_change()
    charter.check_roles_allowed(body["roles"])
    charter.check_key_new(body["key"]["id"])
    charter.register_key(index=i, envelope=s.envelope)


def key_revoked(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    charter = u.charter_for_change()
    charter.check_key_revocable(s.body["key_id"])
    charter.revoke_key(index=i, envelope=s.envelope)


def formats_adopted(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    charter = u.charter_for_change()
    charter.check_adoptable(s.body["formats"])
    charter.adopt_formats(index=i, envelope=s.envelope)


def household_registered(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.create(Household, s.body["household_id"], "body.household_id", s, i)


def vault_for(s: SignedStatement, vault: tuple[VaultRecord, ...]) -> VaultRecord:
    person_id, pii = s.body["person_id"], s.body["pii"]
    matching = [r for r in vault if r.person_id == person_id]
    if len(matching) != 1:
        raise InvalidField("vault", f"needs exactly one record for person {person_id}")
    check_commitment(matching[0], person_id, pii)
    return matching[0]


def person_registered(
    u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: tuple[VaultRecord, ...]
) -> None:
    u.load(Household, s.body["household_id"], "body.household_id")
    record = vault_for(s, v)
    u.create(Person, s.body["person_id"], "body.person_id", s, i)
    u.vault.append((record, s.body["pii"]))


def person_pii_updated(
    u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: tuple[VaultRecord, ...]
) -> None:
    person = u.load(Person, s.body["person_id"], "body.person_id", change=True)
    record = vault_for(s, v)
    person.update_pii(index=i, envelope=s.envelope)
    u.vault.append((record, s.body["pii"]))


def person_moved(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Household, s.body["household_id"], "body.household_id")
    person = u.load(Person, s.body["person_id"], "body.person_id", change=True)
    person.check_moving_to(s.body["household_id"])
    person.move(index=i, envelope=s.envelope)


def person_died(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    person = u.load(Person, s.body["person_id"], "body.person_id", change=True)
    person.check_alive()
    person.die(index=i, envelope=s.envelope)


def status_proposed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Household, s.body["household_id"], "body.household_id")
    u.create(StatusProposal, s.body["proposal_id"], "body.proposal_id", s, i)


def check_maker_checker(u: Unit, s: SignedStatement, proposer_key: str, what: str) -> None:
    if u.holder_of(s.by) == u.holder_of(proposer_key):
        raise SelfApproval(
            f"by: {u.holder_of(s.by)} proposed this {what} and cannot also approve it "
            "(maker-checker)",
            field="by",
        )


def status_decided(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    proposal = u.load(StatusProposal, s.body["proposal_id"], "body.proposal_id", change=True)
    proposal.check_undecided()
    if s.type.endswith("approved"):
        check_maker_checker(u, s, proposal.created_by, "status proposal")
        proposal.approve(index=i, envelope=s.envelope)
    else:
        proposal.reject(index=i, envelope=s.envelope)


def program_defined(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.create(Program, s.body["program_id"], "body.program_id", s, i)


def fund_moved(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Program, s.body["program_id"], "body.program_id")
    field = "receipt_id" if s.type == "fund.received" else "return_id"
    u.create(FundMovement, s.body[field], f"body.{field}", s, i)


def benefit_proposed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u.load(Program, s.body["program_id"], "body.program_id")
    if "person_id" in s.body:
        u.load(Person, s.body["person_id"], "body.person_id")
    else:
        u.load(Household, s.body["household_id"], "body.household_id")
    u.create(Benefit, s.body["benefit_id"], "body.benefit_id", s, i)


def benefit_decided(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    benefit = u.load(Benefit, s.body["benefit_id"], "body.benefit_id", change=True)
    if s.type == "benefit.ended":
        benefit.check_can_end(s.body["last_month"])
        benefit.end(index=i, envelope=s.envelope)
        return
    benefit.check_undecided()
    if s.type == "benefit.approved":
        check_maker_checker(u, s, benefit.created_by, "benefit")
        benefit.approve(index=i, envelope=s.envelope)
    else:
        benefit.reject(index=i, envelope=s.envelope)


def payment_recorded(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    benefit = u.load(Benefit, s.body["benefit_id"], "body.benefit_id")
    u.load(Person, s.body["recipient"], "body.recipient")
    program = u.load(Program, benefit.program_id, "body.benefit_id")
    program.check_payment_month("month" in s.body)
    u.create(Payment, s.body["payment_id"], "body.payment_id", s, i)


def payment_reversed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    payment = u.load(Payment, s.body["payment_id"], "body.payment_id", change=True)
    payment.check_not_reversed()
    payment.reverse(index=i, envelope=s.envelope)


def inspection_attested(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    if s.body["tree_size"] > i:
        raise RuleViolation(
            f"body.tree_size: the log holds {i} entries before this one", field="body.tree_size"
        )
    u.add(Attestation.create(attestation_id(s.by, s.nonce), i, s.envelope, u.now))


def identity_reviewed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    body = s.body
    u.load(Person, body["person_id"], "body.person_id")
    u.load(Person, body["other_person_id"], "body.other_person_id")
    review = str(pair_id(body["person_id"], body["other_person_id"]))
    try:
        u.create(IdentityReview, review, "body.other_person_id", s, i)
    except Duplicate:
        raise AlreadyDecided(
            "body.other_person_id: these two people have been reviewed already "
            "(one decision per pair)",
            field="body.other_person_id",
        ) from None
