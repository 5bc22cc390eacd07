"""Acceptance rules: what each statement type requires of the ledger's state.

A :class:`UnitOfWork` takes the statements of one submission (one statement
or a whole batch) in order, checks each against the state left by the ones
before it, and collects the events to save in one transaction. It raises a
:class:`~ledger.errors.LedgerError` for the first statement it refuses;
nothing is saved then.

In *fast* mode a new entity id or nonce is assumed unused unless the cache or
the batch knows it: the store's unique keys are the real check, and a
conflict makes the application retry the whole unit in *strict* mode, which
looks everything up. Refusals are always confirmed in strict mode.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from ledger.domain.base import Entity
from ledger.domain.benefits import Benefit
from ledger.domain.charter import CHARTER_ID, Charter, KeyRecord
from ledger.domain.log import LOG_ID, Log, NonceClaim, attestation_id, nonce_claim_id
from ledger.domain.payments import Attestation, Payment
from ledger.domain.programs import FundMovement, Program
from ledger.domain.registry import Household, Person, StatusProposal
from ledger.dsse import SignedStatement, leaf_json
from ledger.errors import (
    AlreadyDecided,
    Duplicate,
    InvalidField,
    KeyRevoked,
    NotOpened,
    ReplayedNonce,
    RoleNotAllowed,
    RuleViolation,
    SelfApproval,
    UnknownEntity,
    UnknownKey,
    WrongLedger,
)
from ledger.keys import check_public_key, decode_public_key, key_id
from ledger.schemas import STATEMENT_TYPES
from ledger.vault import VaultRecord, check_commitment

E = TypeVar("E", bound=Entity)


@dataclass(frozen=True)
class Submission:
    """One signed statement, with the vault records it commits to."""

    signed: SignedStatement
    vault: tuple[VaultRecord, ...] = ()


@dataclass(frozen=True)
class Entry:
    """A log entry; its leaf bytes are what the Merkle tree commits to."""

    index: int
    recorded_at: str
    envelope: dict[str, Any]

    @property
    def leaf(self) -> bytes:
        return leaf_json(
            {"envelope": self.envelope, "index": self.index, "recorded_at": self.recorded_at}
        )

    @property
    def leaf_hash(self) -> bytes:
        return hashlib.sha256(b"\x00" + self.leaf).digest()


@dataclass(frozen=True)
class Accepted:
    """The answer to a submission: the entry's index and leaf hash (hex)."""

    index: int
    leaf_hash: str
    created: bool


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class UnitOfWork:
    """Checks and stages the statements of one submission."""

    def __init__(
        self,
        repository: Repository[UUID],
        head: int,
        *,
        strict: bool,
        claim_lookup: Callable[[UUID], NonceClaim.Claimed | None],
    ) -> None:
        self.repository = repository
        self.head = head
        self.strict = strict
        self._claim_lookup = claim_lookup
        self.touched: dict[UUID, Aggregate] = {}
        self.events: list[Any] = []
        self.entries: list[Entry] = []
        self.vault: list[tuple[VaultRecord, str]] = []
        self._claims: dict[UUID, tuple[str, Accepted]] = {}
        self._charter: Charter | None = None
        self._charter_loaded = False

    # -- state -------------------------------------------------------------
    def _cached(self, entity_id: UUID) -> Aggregate | None:
        if entity_id in self.touched:
            return self.touched[entity_id]
        try:
            agg: Aggregate = self.repository.get(entity_id, deepcopy_from_cache=False)
            return agg
        except AggregateNotFoundError:
            return None

    @property
    def charter(self) -> Charter | None:
        if not self._charter_loaded:
            self._charter = self._cached(CHARTER_ID)  # type: ignore[assignment]
            self._charter_loaded = True
        return self._charter

    def _load(self, cls: type[E], entity_id: str, field: str, *, change: bool = False) -> E:
        uid = UUID(entity_id)
        agg = self.touched.get(uid)
        if agg is None:
            try:
                agg = self.repository.get(uid, deepcopy_from_cache=change)
            except AggregateNotFoundError:
                raise UnknownEntity(f"{field}: no {cls.kind} {entity_id}", field=field) from None
        if not isinstance(agg, cls):
            kind = getattr(agg, "kind", "entity")
            raise UnknownEntity(f"{field}: {entity_id} is a {kind}, not a {cls.kind}", field=field)
        if change:
            self.touched[uid] = agg
        return agg

    def _ensure_new(self, entity_id: str, field: str) -> UUID:
        uid = UUID(entity_id)
        existing = self.touched.get(uid)
        if existing is None:
            if self.strict:
                existing = self._cached(uid)
            else:
                existing = self._in_cache(uid)
        if existing is not None:
            kind = getattr(existing, "kind", "entity")
            raise Duplicate(f"{field}: {entity_id} is already used by a {kind}", field=field)
        return uid

    def _in_cache(self, uid: UUID) -> Aggregate | None:
        cache = self.repository.cache
        if cache is None:
            return None
        try:
            agg: Aggregate = cache.get(uid)  # type: ignore[assignment]
        except KeyError:
            return None
        return agg

    def _create(self, agg: Aggregate) -> None:
        self.touched[agg.id] = agg

    # -- acceptance ----------------------------------------------------------
    def accept(self, sub: Submission) -> Accepted:
        s = sub.signed
        claim_id = nonce_claim_id(s.by, s.nonce)
        digest = s.digest
        staged = self._claims.get(claim_id)
        if staged is not None:
            if staged[0] == digest:
                return staged[1]
            raise ReplayedNonce(f"nonce: {s.nonce} already used by key {s.by[:16]}", field="nonce")
        if self.strict:
            claim = self._claim_lookup(claim_id)
            if claim is not None:
                if claim.digest == digest:
                    return Accepted(index=claim.index, leaf_hash="", created=False)
                raise ReplayedNonce(
                    f"nonce: {s.nonce} already used by key {s.by[:16]}", field="nonce"
                )
        index = self.head + len(self.entries)
        if s.type == "ledger.opened":
            self._open(s, index)
        else:
            charter = self.charter
            if charter is None:
                raise NotOpened("no ledger here yet: run `ansinh init` first")
            if s.statement["ledger"] != charter.ledger_id:
                raise WrongLedger(
                    f"ledger: statement is for {s.statement['ledger']!r}, this ledger is "
                    f"{charter.ledger_id!r}",
                    field="ledger",
                )
            key = self._authorise(charter, s)
            HANDLERS[s.type](self, s, index, key, sub.vault)
        entry = Entry(index=index, recorded_at=_now(), envelope=s.envelope)
        self.entries.append(entry)
        self.events.append(
            Log.EntryAppended(  # type: ignore[call-arg]
                originator_id=LOG_ID,
                originator_version=index + 1,
                timestamp=Log.EntryAppended.create_timestamp(),
                index=index,
                recorded_at=entry.recorded_at,
                envelope=s.envelope,
            )
        )
        self.events.append(
            NonceClaim.Claimed(  # type: ignore[call-arg]
                originator_id=claim_id,
                originator_version=1,
                timestamp=NonceClaim.Claimed.create_timestamp(),
                index=index,
                digest=digest,
            )
        )
        accepted = Accepted(index=index, leaf_hash=entry.leaf_hash.hex(), created=True)
        self._claims[claim_id] = (digest, accepted)
        return accepted

    def _authorise(self, charter: Charter, s: SignedStatement) -> KeyRecord:
        key = charter.keys.get(s.by)
        if key is None:
            raise UnknownKey(f"by: key {s.by} is not registered in this ledger", field="by")
        s.verify(base64.b64decode(key.public_key))
        if key.revoked:
            raise KeyRevoked(
                f"by: key {s.by[:16]} was revoked at entry {key.revoked_index}", field="by"
            )
        allowed = STATEMENT_TYPES[s.type] or frozenset()
        if not allowed & set(key.roles):
            raise RoleNotAllowed(
                f"by: key of {key.holder_id} holds {sorted(key.roles)}; {s.type} needs "
                f"{' or '.join(sorted(allowed))}",
                field="by",
            )
        return key

    def _open(self, s: SignedStatement, index: int) -> None:
        if index != 0 or self.charter is not None:
            raise RuleViolation("type: ledger.opened can only be entry 0", field="type")
        body = s.body
        authority = decode_public_key(
            body["authority_key"]["public_key"], "body.authority_key.public_key"
        )
        decode_public_key(body["notary_key"]["public_key"], "body.notary_key.public_key")
        if key_id(authority) != s.by or body["authority_key"]["id"] != s.by:
            raise InvalidField("by", "ledger.opened must be signed by its authority key")
        s.verify(authority)
        charter = Charter(entity_id=CHARTER_ID, index=index, envelope=s.envelope)
        self._charter = charter
        self._charter_loaded = True
        self._create(charter)

    def holder_of(self, key_id_: str) -> str:
        charter = self.charter
        assert charter is not None
        record = charter.keys.get(key_id_)
        return record.holder_id if record else f"key:{key_id_}"

    def charter_for_change(self) -> Charter:
        charter = self.charter
        assert charter is not None
        if CHARTER_ID not in self.touched:
            charter = self.repository.get(CHARTER_ID)  # a private copy to change
            self._charter = charter
            self.touched[CHARTER_ID] = charter
        return charter


Handler = Callable[[UnitOfWork, SignedStatement, int, KeyRecord, tuple[VaultRecord, ...]], None]


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
    uid = u._ensure_new(s.body["household_id"], "body.household_id")
    u._create(Household(entity_id=uid, index=i, envelope=s.envelope))


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
    u._load(Household, s.body["household_id"], "body.household_id")
    record = _vault_for(s, v)
    uid = u._ensure_new(s.body["person_id"], "body.person_id")
    u._create(Person(entity_id=uid, index=i, envelope=s.envelope))
    u.vault.append((record, s.body["pii"]))


def _person_pii_updated(
    u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: tuple[VaultRecord, ...]
) -> None:
    person = u._load(Person, s.body["person_id"], "body.person_id", change=True)
    record = _vault_for(s, v)
    person.update_pii(index=i, envelope=s.envelope)
    u.vault.append((record, s.body["pii"]))


def _person_moved(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u._load(Household, s.body["household_id"], "body.household_id")
    person = u._load(Person, s.body["person_id"], "body.person_id", change=True)
    if person.household_id == s.body["household_id"]:
        raise RuleViolation(
            "body.household_id: the person already lives there", field="body.household_id"
        )
    person.move(index=i, envelope=s.envelope)


def _person_died(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    person = u._load(Person, s.body["person_id"], "body.person_id", change=True)
    if person.died_on is not None:
        raise RuleViolation(
            f"body.person_id: death already recorded ({person.died_on})", field="body.person_id"
        )
    person.die(index=i, envelope=s.envelope)


def _status_proposed(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u._load(Household, s.body["household_id"], "body.household_id")
    uid = u._ensure_new(s.body["proposal_id"], "body.proposal_id")
    u._create(StatusProposal(entity_id=uid, index=i, envelope=s.envelope))


def _check_maker_checker(u: UnitOfWork, s: SignedStatement, proposer_key: str, what: str) -> None:
    if u.holder_of(s.by) == u.holder_of(proposer_key):
        raise SelfApproval(
            f"by: {u.holder_of(s.by)} proposed this {what} and cannot also approve it "
            "(maker-checker)",
            field="by",
        )


def _status_decided(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    proposal = u._load(StatusProposal, s.body["proposal_id"], "body.proposal_id", change=True)
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
    uid = u._ensure_new(s.body["program_id"], "body.program_id")
    u._create(Program(entity_id=uid, index=i, envelope=s.envelope))


def _fund_moved(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u._load(Program, s.body["program_id"], "body.program_id")
    field = "receipt_id" if s.type == "fund.received" else "return_id"
    uid = u._ensure_new(s.body[field], f"body.{field}")
    u._create(FundMovement(entity_id=uid, index=i, envelope=s.envelope))


def _benefit_proposed(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    u._load(Program, s.body["program_id"], "body.program_id")
    if "person_id" in s.body:
        u._load(Person, s.body["person_id"], "body.person_id")
    else:
        u._load(Household, s.body["household_id"], "body.household_id")
    uid = u._ensure_new(s.body["benefit_id"], "body.benefit_id")
    u._create(Benefit(entity_id=uid, index=i, envelope=s.envelope))


def _benefit_decided(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    benefit = u._load(Benefit, s.body["benefit_id"], "body.benefit_id", change=True)
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
    benefit = u._load(Benefit, s.body["benefit_id"], "body.benefit_id")
    u._load(Person, s.body["recipient"], "body.recipient")
    program = u._load(Program, benefit.program_id, "body.benefit_id")
    if program.program_kind == "monthly" and "month" not in s.body:
        raise InvalidField("body.month", "missing: a payment of a monthly program names its month")
    if program.program_kind != "monthly" and "month" in s.body:
        raise InvalidField("body.month", f"must be absent for a {program.program_kind} program")
    uid = u._ensure_new(s.body["payment_id"], "body.payment_id")
    u._create(Payment(entity_id=uid, index=i, envelope=s.envelope))


def _payment_reversed(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    payment = u._load(Payment, s.body["payment_id"], "body.payment_id", change=True)
    if payment.reversed:
        raise RuleViolation("body.payment_id: already reversed", field="body.payment_id")
    payment.reverse(index=i, envelope=s.envelope)


def _inspection_attested(u: UnitOfWork, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    if s.body["tree_size"] > i:
        raise RuleViolation(
            f"body.tree_size: the log holds {i} entries before this one", field="body.tree_size"
        )
    uid = attestation_id(s.by, s.nonce)
    u._create(Attestation(entity_id=uid, index=i, envelope=s.envelope))


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
