"""Acceptance: what a statement requires of the ledger's state, checked in order.

A :class:`UnitOfWork` takes the statements of one submission (one statement
or a whole batch) in order, checks each against the state left by the ones
before it, and collects the events to save in one transaction. It raises a
:class:`~ledger.errors.LedgerError` for the first statement it refuses;
nothing is saved then. What each statement type requires is in
:mod:`ledger.domain.catalog`.

In *fast* mode a new entity id or nonce is assumed unused unless the cache or
the batch knows it: the store's unique keys are the real check, and a
conflict makes the application retry the whole unit in *strict* mode, which
looks everything up. Refusals are always confirmed in strict mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from ledger.domain.base import Entity
from ledger.domain.catalog import CATALOG
from ledger.domain.charter import CHARTER_ID, Charter, KeyRecord, raw_public_key
from ledger.domain.log import Claim, ClaimRow, Log, claim_key, claim_row
from ledger.errors import (
    Duplicate,
    InvalidField,
    KeyRevoked,
    LedgerError,
    NotOpened,
    ReplayedNonce,
    RoleNotAllowed,
    RuleViolation,
    UnknownEntity,
    UnknownKey,
    WrongLedger,
)
from ledger.formats.dsse import SignedStatement, check_deferred, leaf_hash, open_envelope
from ledger.formats.keys import decode_public_key, key_id
from ledger.formats.vault import VaultRecord, parse_vault_items

E = TypeVar("E", bound=Entity)


@lru_cache(maxsize=16_384)
def _uuid(entity_id: str) -> UUID:
    """The UUID of an id as statements write it; the same few are named again and again."""
    return UUID(entity_id)


@dataclass(frozen=True)
class Submission:
    """One signed statement, with the vault records it commits to."""

    signed: SignedStatement
    vault: tuple[VaultRecord, ...] = ()


@dataclass(frozen=True)
class Accepted:
    """The answer to a submission: the entry's index and leaf hash (hex)."""

    index: int
    leaf_hash: str
    created: bool


class UnitOfWork:
    """Checks and stages the statements of one submission.

    Every entry it stages is recorded at the same instant, ``recorded_at``
    (the submission is saved in one transaction), and every event it makes
    carries that instant as its timestamp.
    """

    def __init__(
        self,
        repository: Repository[UUID],
        head: int,
        *,
        strict: bool,
        claim_lookup: Callable[[bytes], Claim | None],
        verify: Callable[[SignedStatement, bytes], None] = SignedStatement.verify,
    ) -> None:
        self.repository = repository
        self.head = head
        self.strict = strict
        self._claim_lookup = claim_lookup
        self._verify = verify
        self.now = datetime.now(UTC)
        # YYYY-MM-DDTHH:MM:SS.ffffff+00:00, written with Z
        self.recorded_at = self.now.isoformat(timespec="microseconds")[:-6] + "Z"
        self.staged = 0  # entries staged so far
        self.touched: dict[UUID, Aggregate] = {}
        self.events: list[Any] = []
        self.vault: list[tuple[VaultRecord, str]] = []
        self.claims: list[ClaimRow] = []  # the nonce claims to record with the events
        self._claims: dict[bytes, tuple[str, Accepted]] = {}
        self._seen: dict[str, Aggregate] = {}  # by id as written in statements
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

    def _stored(self, uid: UUID, *, copy: bool) -> Aggregate:
        """An aggregate as the repository has it (``copy``: a private copy to change)."""
        agg: Aggregate = self.repository.get(uid, deepcopy_from_cache=copy)
        return agg

    @property
    def charter(self) -> Charter | None:
        if not self._charter_loaded:
            self._charter = self._cached(CHARTER_ID)  # type: ignore[assignment]
            self._charter_loaded = True
        return self._charter

    def load(self, cls: type[E], entity_id: str, field: str, *, change: bool = False) -> E:
        """The entity a statement names; with ``change``, a private copy to change."""
        agg = self._seen.get(entity_id)
        if agg is None or (change and agg.id not in self.touched):
            uid = _uuid(entity_id) if agg is None else agg.id
            agg = self.touched.get(uid)
            if agg is None:
                try:
                    agg = self._stored(uid, copy=change)
                except AggregateNotFoundError:
                    raise UnknownEntity(
                        f"{field}: no {cls.kind} {entity_id}", field=field
                    ) from None
            self._seen[entity_id] = agg
        if not isinstance(agg, cls):
            kind = getattr(agg, "kind", "entity")
            raise UnknownEntity(f"{field}: {entity_id} is a {kind}, not a {cls.kind}", field=field)
        if change:
            self.touched[agg.id] = agg
        return agg

    def create(self, cls: type[E], entity_id: str, field: str, s: SignedStatement, index: int) -> E:
        """A new entity, under an id no entity has yet."""
        uid = self._ensure_new(entity_id, field)
        entity = cls.create(uid, index, s.envelope, self.now)
        self.touched[uid] = entity
        self._seen[entity_id] = entity
        return entity

    def add(self, entity: Entity) -> None:
        """A new entity whose id the statement's nonce makes unique."""
        self.touched[entity.id] = entity

    def _ensure_new(self, entity_id: str, field: str) -> UUID:
        uid = UUID(entity_id)
        existing = self._seen.get(entity_id) or self.touched.get(uid)
        if existing is None:
            existing = self._cached(uid) if self.strict else self._in_cache(uid)
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

    # -- acceptance ----------------------------------------------------------
    def accept(self, sub: Submission) -> Accepted:
        s = sub.signed
        statement = s.statement
        claim_id = claim_key(statement["by"], statement["nonce"])
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
                    return Accepted(index=claim.entry, leaf_hash="", created=False)
                raise ReplayedNonce(
                    f"nonce: {s.nonce} already used by key {s.by[:16]}", field="nonce"
                )
        index = self.head + self.staged
        if statement["type"] == "ledger.opened":
            self._open(s, index)
        else:
            charter = self.charter
            if charter is None:
                raise NotOpened("no ledger here yet: run `ansinh init` first")
            if statement["ledger"] != charter.ledger_id:
                raise WrongLedger(
                    f"ledger: statement is for {statement['ledger']!r}, this ledger is "
                    f"{charter.ledger_id!r}",
                    field="ledger",
                )
            key = self._authorise(charter, s)
            rule = CATALOG[statement["type"]].rule
            assert rule is not None  # only ledger.opened has none
            rule(self, s, index, key, sub.vault)
        self.events.append(Log.entry(index, self.recorded_at, s.envelope, self.now))
        self.claims.append(claim_row(claim_id, index, digest))
        leaf = leaf_hash(index, self.recorded_at, s.canonical)
        accepted = Accepted(index=index, leaf_hash=leaf.hex(), created=True)
        self._claims[claim_id] = (digest, accepted)
        self.staged += 1
        return accepted

    def _authorise(self, charter: Charter, s: SignedStatement) -> KeyRecord:
        key = charter.keys.get(s.by)
        if key is None:
            raise UnknownKey(f"by: key {s.by} is not registered in this ledger", field="by")
        self._verify(s, raw_public_key(key.public_key))
        if key.revoked:
            raise KeyRevoked(
                f"by: key {s.by[:16]} was revoked at entry {key.revoked_index}", field="by"
            )
        charter.check_type_allowed(s.type)  # a type of a version the ledger follows (1.2)
        allowed = CATALOG[s.type].roles or frozenset()
        if allowed.isdisjoint(key.roles):
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
        charter = Charter.create(CHARTER_ID, index, s.envelope, self.now)
        self._charter = charter
        self._charter_loaded = True
        self.add(charter)

    def holder_of(self, key_id_: str) -> str:
        charter = self.charter
        assert charter is not None
        record = charter.keys.get(key_id_)
        return record.holder_id if record else f"key:{key_id_}"

    def charter_for_change(self) -> Charter:
        charter = self.charter
        assert charter is not None
        if CHARTER_ID not in self.touched:
            charter = self._stored(CHARTER_ID, copy=True)  # type: ignore[assignment]
            self._charter = charter
            self.touched[CHARTER_ID] = charter
        return charter


def submission_from_json(obj: object, *, defer_validation: bool = False) -> Submission:
    """A submission from an envelope, or from ``{"envelope", "vault"}``.

    ``defer_validation``: see :func:`ledger.formats.dsse.open_envelope`; acceptance
    validates such a statement (beside the rules, for a large batch).
    """
    if isinstance(obj, dict) and "envelope" in obj:
        unknown = obj.keys() - {"envelope", "vault"}
        if unknown:
            raise InvalidField(sorted(unknown)[0], "unknown field")
        signed = open_envelope(obj["envelope"], defer_validation=defer_validation)
        try:
            vault = parse_vault_items(obj.get("vault", []))
        except LedgerError:
            check_deferred(signed)  # the statement's own refusal comes first
            raise
        return Submission(signed=signed, vault=tuple(vault))
    return Submission(signed=open_envelope(obj, defer_validation=defer_validation))
