"""Drafts: what the ledger would say of a statement before anyone signs it.

A form (the officers' console) or ``ansinh sign`` asks before a statement
is signed: :func:`check_draft` gives every problem of its shape at once
(:func:`ledger.formats.problems.problems`), then, if it is well formed, what
acceptance itself says of it against the ledger's current state. That is a
dry run of the ledger's own :class:`~ledger.domain.acceptance.UnitOfWork`
(strict mode: everything looked up), with the signature left unchecked and
nothing saved: the unit is dropped, as acceptance drops a unit it refuses.
Acceptance is not changed by it. Two things a dry run does differently:

- who signs: when ``by`` is named, the key must be registered, not
  revoked, and hold a role of the type (each refusal reported, and the
  rules still checked after it); when not, none of that is checked, and
  maker-checker cannot be (nobody signs);
- acceptance stops at its first refusal, and so do the rules here: one
  rule's problem at a time (who signs aside).

Beside the problems, warnings: what the ledger records but reconciliation
reports (a payment of a benefit not approved, ``NO_APPROVED_BENEFIT``; a
payment recorded by whoever approved its benefit, ``SELF_APPROVED_PAYMENT``).

:func:`statement_types` is the description of every type for forms:
:func:`ledger.formats.describe.describe` with the roles and id fields of
:mod:`ledger.domain.catalog`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from ledger.application import EVERY_VERSION, LedgerApplication
from ledger.domain.acceptance import Submission, UnitOfWork
from ledger.domain.benefits import Benefit
from ledger.domain.catalog import CATALOG
from ledger.domain.charter import Charter, KeyRecord
from ledger.errors import BadSignature, LedgerError
from ledger.formats.describe import check_type, describe
from ledger.formats.dsse import PAYLOAD_TYPE, SignedStatement, jcs, make_statement
from ledger.formats.problems import problems
from ledger.formats.vault import VaultRecord, parse_vault_items

_EVERY_VERSION = EVERY_VERSION

NOBODY = "0" * 64
"""The ``by`` of a draft that names no signer (a well-formed key id no key has)."""


@dataclass(frozen=True)
class Notice:
    """Something the ledger would record, and reconciliation report (its anomaly code)."""

    field: str
    code: str
    message: str


@dataclass
class DraftCheck:
    """What the ledger says of a draft: its refusals, and what it would record but flag."""

    problems: list[LedgerError] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)


def statement_types() -> list[dict[str, Any]]:
    """Every statement type for forms, in the order of FORMATS §6 (JSON-able).

    ``{"type", "roles", "ids", "fields", "rules"}``: the roles one of which
    the signer's key must hold (empty: ``ledger.opened``, signed by the
    authority key it declares), the paths of the fields that name ids, and
    the body as :func:`ledger.formats.describe.describe` gives it, each field
    with ``"id": true`` if it names one.
    """
    out = []
    for statement_type, body in describe().items():
        row = CATALOG[statement_type]
        ids = [f if isinstance(f, str) else ".".join(f) for f in row.ids]
        fields = [
            {**{k: v for k, v in f.items() if k != "example"}, "id": f["path"] in ids}
            | ({"example": f["example"]} if "example" in f else {})
            for f in body["fields"]
        ]
        out.append(
            {
                "type": statement_type,
                "roles": sorted(row.roles or ()),
                "ids": ids,
                "fields": fields,
                "rules": body["rules"],
            }
        )
    return out


def check_draft(
    ledger: LedgerApplication,
    statement_type: str,
    body: object,
    *,
    by: str | None = None,
    vault: object = None,
) -> DraftCheck:
    """Every problem of a draft: its shape, then (well formed) the ledger's rules.

    A type the ledger does not know is refused (``InvalidField`` naming
    ``type`` and the nearest types); a ledger not opened too (``NotOpened``).
    ``vault``: the personal-data records as a submission carries them.
    The statement is given this ledger's id, the time now and a fresh nonce.
    """
    check_type(statement_type)
    statement = make_statement(ledger.charter().ledger_id, statement_type, body, by or NOBODY)  # type: ignore[arg-type]
    found: list[LedgerError] = list(problems(statement))
    records: tuple[VaultRecord, ...] = ()
    if vault is not None:
        try:
            records = tuple(parse_vault_items(vault))
        except LedgerError as exc:
            found.append(exc)
    if found:
        return DraftCheck(found)
    return _dry_run(ledger, statement, records, signer_named=by is not None)


def _dry_run(
    ledger: LedgerApplication,
    statement: dict[str, Any],
    vault: tuple[VaultRecord, ...],
    *,
    signer_named: bool,
) -> DraftCheck:
    unit = _DraftUnit(ledger, signer_named=signer_named)
    try:
        unit.accept(Submission(_unsigned(statement), vault))
    except BadSignature:
        pass  # ledger.opened checks its own signature: a draft has none
    except LedgerError as exc:
        unit.found.append(exc)
        return DraftCheck(unit.found)
    if statement["type"] != "payment.recorded":
        return DraftCheck(unit.found)
    return DraftCheck(unit.found, _payment_warnings(unit, statement, signer_named))


def _payment_warnings(
    unit: UnitOfWork, statement: dict[str, Any], signer_named: bool
) -> list[Notice]:
    """What reconciliation would report of a payment, from its benefit alone."""
    where = "body.benefit_id"
    benefit = unit.load(Benefit, statement["body"]["benefit_id"], where)
    if benefit.approved_by is None:
        why = f"{where}: benefit is {benefit.status} (not approved); reconciliation reports it"
        return [Notice(where, "NO_APPROVED_BENEFIT", why)]
    signer = unit.holder_of(statement["by"])
    if signer_named and signer == unit.holder_of(benefit.approved_by):
        why = f"by: {signer} approved the benefit and would record its payment"
        return [Notice("by", "SELF_APPROVED_PAYMENT", why)]
    return []


def _unsigned(statement: dict[str, Any]) -> SignedStatement:
    """The statement as acceptance takes it, with a signature of zeros nobody checks."""
    payload = jcs(statement)
    signature = bytes(64)
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": statement["by"], "sig": base64.b64encode(signature).decode()}],
    }
    return SignedStatement(envelope, payload, statement, signature)


def _unchecked(signed: SignedStatement, public_key: bytes) -> None:
    """A draft has no signature to check."""


class _DraftUnit(UnitOfWork):
    """Acceptance's unit of work, in strict mode, for one statement never saved.

    Who signs is checked as acceptance checks it, when named; a refusal of
    the signer is kept and the rules are checked after it all the same.
    """

    def __init__(self, ledger: LedgerApplication, *, signer_named: bool) -> None:
        super().__init__(
            ledger.repository,
            ledger.size(),
            strict=True,
            claim_lookup=ledger.recorder.nonce_claim,
            verify=_unchecked,
        )
        self.signer_named = signer_named
        self.found: list[LedgerError] = []

    def _cached(self, entity_id: UUID) -> Aggregate | None:
        # What is stored now, not the writer's cache: another process (a command, a
        # second server) may have recorded since, and a form must not be told of a
        # refusal that no longer holds. (A version past any aggregate's reads them all
        # from the store and leaves the cache alone.)
        if entity_id in self.touched:
            return self.touched[entity_id]
        try:
            agg: Aggregate = self.repository.get(entity_id, version=_EVERY_VERSION)
            return agg
        except AggregateNotFoundError:
            return None

    def _stored(self, uid: UUID, *, copy: bool) -> Aggregate:
        agg: Aggregate = self.repository.get(uid, version=_EVERY_VERSION)  # a fresh copy
        return agg

    def _authorise(self, charter: Charter, s: SignedStatement) -> KeyRecord:
        if self.signer_named:
            try:
                return super()._authorise(charter, s)
            except LedgerError as exc:
                self.found.append(exc)
        return KeyRecord(s.by, "", f"key:{s.by}", "", [], 0)
