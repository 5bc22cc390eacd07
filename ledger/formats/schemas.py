"""The shape of a statement and of the body of each statement type (FORMATS §2, §6).

``validate_statement`` checks a statement decoded by ``json.loads`` before
anything else looks at it: exactly the six top-level keys, each well formed,
and a body with exactly the fields its type lists (``?`` fields may be absent),
each of the right kind. It needs no ledger state; whether referenced entities
exist, roles are held, or a payment's month fits its program is checked later.
Every refusal is an ``InvalidField`` naming the dotted path of the field.

The schemas come in two versions (docs/formats.md): FORMATS 1.1, which
every new statement must meet (``formats.ACCEPTING``), and v1, which the
entries of a ledger recorded before the amendments met. They differ only in
their kinds of text, holder ids and amounts.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from types import MappingProxyType

from ledger.formats import procedures, versions
from ledger.formats.fields import (
    Check,
    base64_32,
    calendar_date,
    constant,
    fail,
    hex_string,
    integer,
    join,
    label,
    money,
    money_v1,
    month,
    obj,
    one_of,
    optional,
    pattern,
    recurring,
    set_of,
    sha256_hex,
    text,
    text_v1,
    timestamp,
    uuid,
)
from ledger.formats.kinds import Kinds
from ledger.formats.versions import ADOPTABLE, V1, V1_1

ROLES = frozenset({"admin", "registrar", "approver", "cashier", "inspector", "agent", "intake"})
"""Every role; ``agent`` and ``intake`` only in a ledger following 1.3 (``ROLES_INTRODUCED``)."""
CATEGORIES = frozenset(
    {
        "meritorious",
        "social_protection",
        "poverty",
        "health_insurance",
        "tet_gift",
        "emergency_relief",
        "employment",
        "other",
    }
)
PROGRAM_KINDS = frozenset({"monthly", "one_off", "in_kind"})
RELATIONS = frozenset({"head", "member"})
SEXES = frozenset({"f", "m", "x"})
HOUSEHOLD_STATUSES = frozenset({"poor", "near_poor", "not_poor"})
PAYMENT_METHODS = frozenset({"cash", "post", "bank"})
RECEIPT_KINDS = frozenset({"signature", "thumbprint", "bank_ref", "proxy"})
IDENTITY_OUTCOMES = frozenset({"same_person", "different_people"})


def _enum(values: frozenset[str]) -> Check:
    return one_of(*sorted(values))


# Field kinds ----------------------------------------------------------------
KEY_ID = label(hex_string(64), "key_id")
NONCE = label(hex_string(32), "nonce")
LEDGER_ID = label(
    pattern(r"[a-z0-9.\-/]+", 200, "must be 1 to 200 characters of a-z 0-9 . - /"), "ledger_id"
)
TIMEZONE = label(
    pattern(r"[A-Za-z0-9_+\-/]+", 64, "must be a time zone name like Asia/Ho_Chi_Minh"), "timezone"
)
HOLDER_ID = pattern(
    r"[a-z0-9][a-z0-9._-]{0,63}",
    64,
    "must be 1 to 64 characters of a-z 0-9 . _ -, the first a letter or digit (FORMATS 1.1)",
)


def _kinds(
    short_text: Check, free_text: Check, long_text: Check, holder_id: Check, amount: Check
) -> Kinds:
    """The kinds of a version, each labelled with its name (what forms are told)."""
    return Kinds(
        label(short_text, "short_text"),
        label(free_text, "text"),
        label(long_text, "long_text"),
        label(holder_id, "holder_id"),
        amount,
    )


KINDS = {
    V1: _kinds(text_v1(100), text_v1(500), text_v1(2000), text_v1(100), money_v1),
    V1_1: _kinds(text(100), text(500), text(2000), HOLDER_ID, money),
}


# Rules across fields ---------------------------------------------------------
def _key_id_matches(key: dict[str, object], path: str) -> None:
    """A key id is hex(SHA-256(raw public key)) (FORMATS §1)."""
    raw = base64.b64decode(str(key["public_key"]))
    if hashlib.sha256(raw).hexdigest() != key["id"]:
        fail(join(path, "id"), "must be the SHA-256 of public_key")


label(_key_id_matches, "rule", rule="sha256_of", fields=["id", "public_key"])


def _one_beneficiary(body: dict[str, object], path: str) -> None:
    if "person_id" in body and "household_id" in body:
        fail(join(path, "household_id"), "not allowed with person_id (name exactly one)")
    if "person_id" not in body and "household_id" not in body:
        fail(join(path, "person_id"), "missing (name exactly one of person_id, household_id)")


def _end_not_before_start(body: dict[str, object], path: str) -> None:
    # Months are fixed-width YYYY-MM, so string order is time order.
    end, start = body.get("end"), body["start"]
    if isinstance(end, str) and isinstance(start, str) and end < start:
        fail(join(path, "end"), "must not be before start")


label(_one_beneficiary, "rule", rule="exactly_one_of", fields=["person_id", "household_id"])
label(_end_not_before_start, "rule", rule="not_before", fields=["end", "start"])


KEY = obj({"id": KEY_ID, "public_key": base64_32}, _key_id_matches)


def _two_people(body: dict[str, object], path: str) -> None:
    """identity.reviewed names two different people (FORMATS 1.2)."""
    if body["other_person_id"] == body["person_id"]:
        fail(join(path, "other_person_id"), "must not be person_id (a pair is two people)")


label(_two_people, "rule", rule="different", fields=["other_person_id", "person_id"])


# Bodies (FORMATS §6) ---------------------------------------------------------
def _bodies(kinds: Kinds) -> Mapping[str, Check]:
    """The body of each statement type, with the field kinds of one version."""
    short_text, free_text, long_text = kinds.short_text, kinds.text, kinds.long_text
    money = kinds.money
    decision = obj({"number": short_text, "date": calendar_date})
    return MappingProxyType(
        {
            "ledger.opened": obj(
                {
                    "name": free_text,
                    "authority_key": KEY,
                    "notary_key": obj({"public_key": base64_32}),
                    "currency": constant("VND"),
                    "timezone": TIMEZONE,
                    "formats": optional(constant(V1_1)),  # the declaration (docs/formats.md)
                }
            ),
            "ledger.formats.adopted": obj({"formats": one_of(*ADOPTABLE)}),
            "key.registered": obj(
                {
                    "key": KEY,
                    "holder": obj({"id": kinds.holder_id, "name": free_text}),
                    "roles": set_of(ROLES),
                }
            ),
            "key.revoked": obj({"key_id": KEY_ID, "reason": free_text}),
            "household.registered": obj(
                {"household_id": uuid, "code": short_text, "village": free_text}
            ),
            "person.registered": obj(
                {
                    "person_id": uuid,
                    "household_id": uuid,
                    "relation": _enum(RELATIONS),
                    "sex": _enum(SEXES),
                    "birth_year": integer(1900, 2100, "a year"),
                    "pii": sha256_hex,
                }
            ),
            "person.pii.updated": obj({"person_id": uuid, "pii": sha256_hex}),
            "person.moved": obj({"person_id": uuid, "household_id": uuid}),
            "person.died": obj({"person_id": uuid, "date": calendar_date}),
            "household.status.proposed": obj(
                {
                    "proposal_id": uuid,
                    "household_id": uuid,
                    "status": _enum(HOUSEHOLD_STATUSES),
                    "effective": calendar_date,
                    "basis": obj(
                        {
                            "income_per_capita_month": optional(money),
                            "deprivation_count": optional(integer(0, 12)),
                            "note": optional(free_text),
                        }
                    ),
                }
            ),
            "household.status.approved": obj({"proposal_id": uuid, "decision": decision}),
            "household.status.rejected": obj({"proposal_id": uuid, "reason": free_text}),
            "program.defined": obj(
                {
                    "program_id": uuid,
                    "code": short_text,
                    "name": free_text,
                    "category": _enum(CATEGORIES),
                    "kind": _enum(PROGRAM_KINDS),
                }
            ),
            "fund.received": obj(
                {
                    "receipt_id": uuid,
                    "program_id": uuid,
                    "amount": money,
                    "date": calendar_date,
                    "source": free_text,
                    "reference": short_text,
                }
            ),
            "fund.returned": obj(
                {
                    "return_id": uuid,
                    "program_id": uuid,
                    "amount": money,
                    "date": calendar_date,
                    "reference": short_text,
                }
            ),
            "benefit.proposed": obj(
                {
                    "benefit_id": uuid,
                    "program_id": uuid,
                    "person_id": optional(uuid),
                    "household_id": optional(uuid),
                    "amount": money,
                    "start": month,
                    "end": optional(month),
                    "basis": free_text,
                },
                _one_beneficiary,
                _end_not_before_start,
            ),
            "benefit.approved": obj({"benefit_id": uuid, "decision": decision}),
            "benefit.rejected": obj({"benefit_id": uuid, "reason": free_text}),
            "benefit.ended": obj({"benefit_id": uuid, "last_month": month, "reason": free_text}),
            "payment.recorded": obj(
                {
                    "payment_id": uuid,
                    "benefit_id": uuid,
                    "month": optional(month),  # presence vs program kind: checked by the ledger
                    "amount": money,
                    "paid_on": calendar_date,
                    "method": _enum(PAYMENT_METHODS),
                    "recipient": uuid,
                    "receipt": obj({"kind": _enum(RECEIPT_KINDS), "evidence": sha256_hex}),
                }
            ),
            "payment.reversed": obj({"payment_id": uuid, "reason": free_text}),
            "identity.reviewed": obj(
                {
                    "person_id": uuid,
                    "other_person_id": uuid,
                    "outcome": _enum(IDENTITY_OUTCOMES),
                    "basis": free_text,
                    "decision": optional(decision),
                },
                _two_people,
            ),
            **procedures.bodies(kinds),  # FORMATS 1.3 (docs/formats.md section 11)
            "inspection.attested": obj(
                {
                    "tree_size": integer(1),
                    "root": base64_32,
                    "scope": free_text,
                    "findings": long_text,
                    "report_sha256": optional(sha256_hex),
                }
            ),
        }
    )


_BODIES = {version: _bodies(kinds) for version, kinds in KINDS.items()}
BODY_TYPES = frozenset(_BODIES[V1_1])
"""The statement types whose bodies are known (the types themselves: ``ledger.domain.catalog``)."""
TYPES_IN_ORDER = tuple(_BODIES[V1_1])
"""The same types, in the order FORMATS §6 lists them."""
assert all(bodies.keys() == BODY_TYPES for bodies in _BODIES.values())


def _statement_type(value: object, path: str) -> None:
    if not isinstance(value, str) or value not in BODY_TYPES:
        fail(path, "unknown statement type")


def _any_body(value: object, path: str) -> None:
    """Placeholder: the body is checked once its type is known, by ``_body_of_its_type``."""


def _statement_schema(bodies: Mapping[str, Check]) -> Check:
    def body_of_its_type(fields: dict[str, object], path: str) -> None:
        """The body, checked once the statement's type is known to be valid."""
        statement_type = fields["type"]
        bodies[str(statement_type)](fields["body"], "body")
        if statement_type == "ledger.opened":
            _check_self_signed(fields)

    return obj(
        {
            "ledger": recurring(LEDGER_ID),
            "type": _statement_type,
            "by": recurring(KEY_ID),
            "at": timestamp,
            "nonce": NONCE,
            "body": _any_body,
        },
        body_of_its_type,
    )


_STATEMENTS = {version: _statement_schema(bodies) for version, bodies in _BODIES.items()}


def validate_statement(statement: object, formats: str | None = None) -> None:
    """Refuse, with ``InvalidField``, a statement not shaped as FORMATS §2 and §6 say.

    ``formats``: the version whose rules apply; by default those new
    statements are accepted under (``ledger.formats.versions.ACCEPTING``), v1 for what
    a ledger recorded before the 1.1 amendments.
    """
    _STATEMENTS[formats or versions.ACCEPTING](statement, "")


def body_schema(statement_type: str, formats: str | None = None) -> Check:
    """The validator of a type's body (``KeyError`` for a type not in ``BODY_TYPES``)."""
    return _BODIES[formats or versions.ACCEPTING][statement_type]


def statement_schema(formats: str | None = None) -> Check:
    """The validator of a statement: its top-level fields, then the body of its type."""
    return _STATEMENTS[formats or versions.ACCEPTING]


def check_self_signed(statement: dict[str, object]) -> None:
    """Refuse a well-formed ``ledger.opened`` not signed by the authority key it declares."""
    _check_self_signed(statement)


def _check_self_signed(fields: dict[str, object]) -> None:
    """ledger.opened is signed by the authority key it declares."""
    body = fields["body"]
    assert isinstance(body, dict)
    authority_key = body["authority_key"]
    assert isinstance(authority_key, dict)
    if authority_key["id"] != fields["by"]:
        fail("body.authority_key.id", "must equal by (ledger.opened is self-signed)")
