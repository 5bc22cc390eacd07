"""The shape of statements: what validate_statement accepts and what it refuses."""

from __future__ import annotations

import contextlib
import copy
import json
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import InvalidField
from ledger.formats.schemas import (
    BODY_TYPES,
    CATEGORIES,
    PROGRAM_KINDS,
    ROLES,
    validate_statement,
)
from tests.support.paths import SHARED_VECTORS

VECTORS = SHARED_VECTORS / "formats-v1.json"

LEDGER = "ansinh.vn/son-la/song-ma/chieng-en"
AUTHORITY_ID = "34750f98bd59fcfc946da45aaabe933be154a4b5094e1c4abf42866505f3c97e"
AUTHORITY_KEY = "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="
NOTARY_KEY = "gTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q="
REGISTRAR_ID = "b62e867fa2f33afe62d5d6b1642e1621d543307846b2a57b897e710919b76709"
REGISTRAR_KEY = "7UkoxijRwsbq6QM4kFmVYSlZJzpcY/k2NsFGFKyHN9E="
HOUSEHOLD = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c01"
PERSON = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c02"
PROGRAM = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c03"
BENEFIT = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c04"
PAYMENT = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c05"
RECEIPT = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c06"
PROPOSAL = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c07"
RETURN = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c08"
PII = "2e84680237745e6b3613acf126ce952dd7baa956fd951031e33926169fff0033"
EVIDENCE = "ab" * 32
DECISION = {"number": "15/QĐ-UBND", "date": "2022-01-06"}

# One valid body per statement type, with every optional field present.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "ledger.opened": {
        "name": "UBND xã Chiềng En",
        "authority_key": {"id": AUTHORITY_ID, "public_key": AUTHORITY_KEY},
        "notary_key": {"public_key": NOTARY_KEY},
        "currency": "VND",
        "timezone": "Asia/Ho_Chi_Minh",
    },
    "key.registered": {
        "key": {"id": REGISTRAR_ID, "public_key": REGISTRAR_KEY},
        "holder": {"id": "staff-registrar", "name": "Cán bộ registrar"},
        "roles": ["registrar", "approver"],
    },
    "key.revoked": {"key_id": REGISTRAR_ID, "reason": "Cán bộ chuyển công tác"},
    "household.registered": {
        "household_id": HOUSEHOLD,
        "code": "CE-BAN-HUOI-001",
        "village": "Bản Huổi",
    },
    "person.registered": {
        "person_id": PERSON,
        "household_id": HOUSEHOLD,
        "relation": "head",
        "sex": "m",
        "birth_year": 1948,
        "pii": PII,
    },
    "person.pii.updated": {"person_id": PERSON, "pii": PII},
    "person.moved": {"person_id": PERSON, "household_id": HOUSEHOLD},
    "person.died": {"person_id": PERSON, "date": "2023-04-02"},
    "household.status.proposed": {
        "proposal_id": PROPOSAL,
        "household_id": HOUSEHOLD,
        "status": "poor",
        "effective": "2022-01-01",
        "basis": {"income_per_capita_month": 1200000, "deprivation_count": 3, "note": "Rà soát"},
    },
    "household.status.approved": {"proposal_id": PROPOSAL, "decision": DECISION},
    "household.status.rejected": {"proposal_id": PROPOSAL, "reason": "Thu nhập vượt chuẩn"},
    "program.defined": {
        "program_id": PROGRAM,
        "code": "NCC-TB",
        "name": "Trợ cấp thương binh",
        "category": "meritorious",
        "kind": "monthly",
    },
    "fund.received": {
        "receipt_id": RECEIPT,
        "program_id": PROGRAM,
        "amount": 500000000,
        "date": "2022-01-05",
        "source": "Phòng LĐ-TB&XH huyện Sông Mã",
        "reference": "UNC-2022-001",
    },
    "fund.returned": {
        "return_id": RETURN,
        "program_id": PROGRAM,
        "amount": 2789000,
        "date": "2022-12-28",
        "reference": "UNC-2022-099",
    },
    "benefit.proposed": {
        "benefit_id": BENEFIT,
        "program_id": PROGRAM,
        "person_id": PERSON,
        "amount": 2789000,
        "start": "2022-01",
        "end": "2022-12",
        "basis": "Thương binh 61%",
    },
    "benefit.approved": {"benefit_id": BENEFIT, "decision": DECISION},
    "benefit.rejected": {"benefit_id": BENEFIT, "reason": "Không đủ điều kiện"},
    "benefit.ended": {"benefit_id": BENEFIT, "last_month": "2023-03", "reason": "Từ trần"},
    "payment.recorded": {
        "payment_id": PAYMENT,
        "benefit_id": BENEFIT,
        "month": "2022-01",
        "amount": 2789000,
        "paid_on": "2022-01-10",
        "method": "cash",
        "recipient": PERSON,
        "receipt": {"kind": "signature", "evidence": EVIDENCE},
    },
    "payment.reversed": {"payment_id": PAYMENT, "reason": "Chi trùng"},
    "inspection.attested": {
        "tree_size": 12,
        "root": "qhJa61LG8jvNeY+4yXJRBa97zlTzH99Be+MeqjsCsLY=",
        "scope": "Chi trả tháng 01/2022",
        "findings": "Không phát hiện sai sót",
        "report_sha256": EVIDENCE,
    },
}

OPTIONAL_FIELDS = {
    ("household.status.proposed", "basis.income_per_capita_month"),
    ("household.status.proposed", "basis.deprivation_count"),
    ("household.status.proposed", "basis.note"),
    ("benefit.proposed", "end"),
    ("payment.recorded", "month"),
    ("inspection.attested", "report_sha256"),
}
ONE_OF_FIELDS = {("benefit.proposed", "person_id"), ("benefit.proposed", "household_id")}


def make_statement(statement_type: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid statement of ``statement_type`` (or with the given body)."""
    return {
        "ledger": LEDGER,
        "type": statement_type,
        "by": AUTHORITY_ID,
        "at": "2022-01-03T01:00:00Z",
        "nonce": "00000000000000000000000000000001",
        "body": copy.deepcopy(VALID_BODIES[statement_type] if body is None else body),
    }


def leaf_paths(value: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every field of an object, nested objects included."""
    paths = []
    for key, inner in value.items():
        path = f"{prefix}{key}"
        paths.append(path)
        if isinstance(inner, dict):
            paths.extend(leaf_paths(inner, f"{path}."))
    return paths


def get_path(value: Any, path: str) -> Any:
    for name in path.split("."):
        value = value[name]
    return value


def set_path(statement: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    target = statement
    for name in parents:
        target = target[name]
    target[last] = value
    return statement


def delete_path(statement: dict[str, Any], path: str) -> dict[str, Any]:
    *parents, last = path.split(".")
    target = statement
    for name in parents:
        target = target[name]
    del target[last]
    return statement


def refusal(statement: object) -> InvalidField:
    with pytest.raises(InvalidField) as caught:
        validate_statement(statement)
    assert caught.value.code == "INVALID_FIELD"
    return caught.value


REQUIRED = [
    (t, p)
    for t, body in VALID_BODIES.items()
    for p in leaf_paths(body)
    if (t, p) not in OPTIONAL_FIELDS | ONE_OF_FIELDS
]
NESTED_OBJECTS = [
    (t, p)
    for t, body in VALID_BODIES.items()
    for p in leaf_paths(body)
    if isinstance(get_path(body, p), dict)
]


# Accepted ---------------------------------------------------------------------
def test_the_schemas_cover_exactly_the_twenty_one_statement_types() -> None:
    assert len(BODY_TYPES) == 21
    assert set(VALID_BODIES) == BODY_TYPES


@pytest.mark.parametrize("statement_type", sorted(VALID_BODIES))
def test_a_valid_statement_of_each_type_is_accepted(statement_type: str) -> None:
    validate_statement(make_statement(statement_type))


@pytest.mark.parametrize(("statement_type", "path"), sorted(OPTIONAL_FIELDS))
def test_an_optional_field_may_be_absent(statement_type: str, path: str) -> None:
    validate_statement(delete_path(make_statement(statement_type), f"body.{path}"))


def test_a_benefit_may_name_a_household_instead_of_a_person() -> None:
    statement = delete_path(make_statement("benefit.proposed"), "body.person_id")
    validate_statement(set_path(statement, "body.household_id", HOUSEHOLD))


@pytest.mark.parametrize(
    ("statement_type", "path", "value"),
    [
        ("fund.received", "body.amount", 0),
        ("fund.received", "body.amount", 10**12),
        ("household.status.proposed", "body.basis.income_per_capita_month", 10**12),
        ("benefit.proposed", "body.end", "2022-01"),
        ("household.status.proposed", "body.basis", {}),
        ("household.status.proposed", "body.basis.deprivation_count", 0),
        ("person.registered", "body.birth_year", 1900),
        ("person.died", "body.date", "2024-02-29"),
        ("inspection.attested", "body.tree_size", 1),
        ("key.registered", "body.roles", sorted(ROLES)),
        ("payment.recorded", "at", "2022-01-10T04:00:00.123456Z"),
        ("household.registered", "ledger", "a"),
        ("household.registered", "body.village", "x" * 500),
    ],
)
def test_values_at_the_edge_of_their_range_are_accepted(
    statement_type: str, path: str, value: Any
) -> None:
    validate_statement(set_path(make_statement(statement_type), path, value))


@pytest.mark.parametrize("category", sorted(CATEGORIES))
@pytest.mark.parametrize("kind", sorted(PROGRAM_KINDS))
def test_every_category_and_program_kind_is_accepted(category: str, kind: str) -> None:
    statement = make_statement("program.defined")
    statement["body"].update(category=category, kind=kind)
    validate_statement(statement)


@pytest.mark.vectors
def test_every_statement_of_the_shared_vectors_is_accepted() -> None:
    if not VECTORS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{VECTORS} is missing")
        pytest.skip("shared/vectors is not beside the project")
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    for entry in vectors["entries"]:
        validate_statement(entry["statement"])


# Missing and unknown fields -----------------------------------------------------
@pytest.mark.parametrize("field", ["ledger", "type", "by", "at", "nonce", "body"])
def test_a_missing_top_level_key_is_refused_naming_it(field: str) -> None:
    error = refusal(delete_path(make_statement("person.moved"), field))
    assert error.field == field
    assert "missing" in error.message


def test_an_unknown_top_level_key_is_refused_naming_it() -> None:
    error = refusal(set_path(make_statement("person.moved"), "signature", "x"))
    assert error.field == "signature"
    assert "unknown field" in error.message


@pytest.mark.parametrize(("statement_type", "path"), REQUIRED)
def test_a_missing_required_body_field_is_refused_naming_it(statement_type: str, path: str) -> None:
    error = refusal(delete_path(make_statement(statement_type), f"body.{path}"))
    assert error.field == f"body.{path}"
    assert "missing" in error.message


@pytest.mark.parametrize("statement_type", sorted(VALID_BODIES))
def test_an_unknown_body_field_is_refused_naming_it(statement_type: str) -> None:
    error = refusal(set_path(make_statement(statement_type), "body.comment", "x"))
    assert error.field == "body.comment"
    assert "unknown field" in error.message


@pytest.mark.parametrize(("statement_type", "path"), NESTED_OBJECTS)
def test_an_unknown_field_of_a_nested_object_is_refused_naming_it(
    statement_type: str, path: str
) -> None:
    error = refusal(set_path(make_statement(statement_type), f"body.{path}.extra", 1))
    assert error.field == f"body.{path}.extra"


# Bad values ---------------------------------------------------------------------
UUID_UPPER = PERSON.upper()
BAD_VALUES = [
    # money
    ("fund.received", "body.amount", 2789000.0),
    ("fund.received", "body.amount", 0.5),
    ("fund.received", "body.amount", -1),
    ("fund.received", "body.amount", 2**53),
    ("fund.received", "body.amount", 10**12 + 1),
    ("payment.recorded", "body.amount", 2**53 - 1),
    ("household.status.proposed", "body.basis.income_per_capita_month", 10**12 + 1),
    ("fund.received", "body.amount", True),
    ("fund.received", "body.amount", "2789000"),
    ("fund.received", "body.amount", None),
    ("fund.returned", "body.amount", float("nan")),
    ("benefit.proposed", "body.amount", -2789000),
    ("payment.recorded", "body.amount", 1e6),
    ("household.status.proposed", "body.basis.income_per_capita_month", 1200000.0),
    # other integers
    ("household.status.proposed", "body.basis.deprivation_count", 13),
    ("household.status.proposed", "body.basis.deprivation_count", 2.0),
    ("person.registered", "body.birth_year", 1899),
    ("person.registered", "body.birth_year", 2101),
    ("person.registered", "body.birth_year", True),
    ("person.registered", "body.birth_year", "1948"),
    ("inspection.attested", "body.tree_size", 0),
    ("inspection.attested", "body.tree_size", 12.0),
    # uuids
    ("person.moved", "body.person_id", "not-a-uuid"),
    ("person.moved", "body.person_id", UUID_UPPER),
    ("person.moved", "body.person_id", PERSON.replace("-", "")),
    ("person.moved", "body.person_id", "{" + PERSON + "}"),
    ("person.moved", "body.person_id", "urn:uuid:" + PERSON),
    ("person.moved", "body.person_id", PERSON + "\n"),
    ("person.moved", "body.household_id", 12345),
    ("payment.recorded", "body.recipient", UUID_UPPER),
    ("fund.returned", "body.return_id", ""),
    ("fund.received", "body.receipt_id", "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c0g"),
    # dates and months
    ("person.died", "body.date", "2022-02-30"),
    ("person.died", "body.date", "2022-1-05"),
    ("person.died", "body.date", "05/01/2022"),
    ("person.died", "body.date", "1899-12-31"),
    ("person.died", "body.date", "2022-01-05T00:00:00Z"),
    ("person.died", "body.date", 20220105),
    ("person.died", "body.date", "２０２２-01-05"),
    ("benefit.approved", "body.decision.date", "2022-13-01"),
    ("household.status.proposed", "body.effective", "2022-02-29"),
    ("benefit.proposed", "body.start", "2022-13"),
    ("benefit.proposed", "body.start", "2022-00"),
    ("benefit.proposed", "body.start", "2022-1"),
    ("benefit.proposed", "body.start", "2022-01-01"),
    ("benefit.proposed", "body.end", "2022-13"),
    ("benefit.ended", "body.last_month", "1800-01"),
    ("payment.recorded", "body.month", "2022-13"),
    ("payment.recorded", "body.paid_on", "2022-02-30"),
    # enumerations
    ("person.registered", "body.relation", "Head"),
    ("person.registered", "body.sex", "F"),
    ("household.status.proposed", "body.status", "rich"),
    ("program.defined", "body.kind", "weekly"),
    ("program.defined", "body.category", "war"),
    ("payment.recorded", "body.method", "momo"),
    ("payment.recorded", "body.receipt.kind", "photo"),
    ("ledger.opened", "body.currency", "USD"),
    ("ledger.opened", "body.currency", "vnd"),
    ("key.registered", "body.roles", []),
    ("key.registered", "body.roles", "admin"),
    ("key.registered", "body.roles[0]", ["root"]),
    ("key.registered", "body.roles[1]", ["admin", "admin"]),
    ("key.registered", "body.roles[1]", ["admin", 1]),
    # hex
    ("person.registered", "body.pii", PII.upper()),
    ("person.registered", "body.pii", PII[:-1]),
    ("person.pii.updated", "body.pii", PII + "\n"),
    ("payment.recorded", "body.receipt.evidence", "zz" * 32),
    ("inspection.attested", "body.report_sha256", "ab"),
    ("key.revoked", "body.key_id", REGISTRAR_ID[:32]),
    ("key.registered", "body.key.id", REGISTRAR_ID.upper()),
    # base64 of 32 bytes
    ("key.registered", "body.key.public_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
    ("key.registered", "body.key.public_key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="),
    ("key.registered", "body.key.public_key", REGISTRAR_KEY.rstrip("=")),
    ("key.registered", "body.key.public_key", "!" * 43 + "="),
    ("key.registered", "body.key.public_key", REGISTRAR_KEY[:-2] + "F="),
    ("ledger.opened", "body.notary_key.public_key", "gTl3Dqh9F19Wo1Rmw0x-zMuNipG07jeiXfYPW4_Js5Q="),
    ("inspection.attested", "body.root", "qhJa61LG8jvNeY+4yXJRBa97zlTzH99Be+MeqjsC"),
    # key ids that are not the key's
    ("key.registered", "body.key.id", AUTHORITY_ID),
    # text
    ("ledger.opened", "body.name", ""),
    ("ledger.opened", "body.timezone", ""),
    ("ledger.opened", "body.timezone", "Asia/Ho Chi Minh"),
    ("key.registered", "body.holder.id", ""),
    ("key.registered", "body.holder.name", "   "),
    ("key.revoked", "body.reason", ""),
    ("household.registered", "body.code", ""),
    ("household.registered", "body.village", "Bản\nHuổi"),
    ("household.registered", "body.village", "Bản\x00Huổi"),
    ("household.registered", "body.village", "Bản\u202eHuổi"),
    ("household.registered", "body.village", "x" * 501),
    ("household.status.proposed", "body.basis.note", ""),
    ("household.status.proposed", "body.basis", "Rà soát"),
    ("household.status.approved", "body.decision.number", ""),
    ("program.defined", "body.name", 42),
    ("fund.received", "body.source", ""),
    ("fund.received", "body.reference", ""),
    ("benefit.proposed", "body.basis", ""),
    ("benefit.proposed", "body.basis", {"note": "Thương binh 61%"}),
    ("inspection.attested", "body.scope", ""),
    ("inspection.attested", "body.findings", ""),
    # nested objects of the wrong kind
    ("benefit.approved", "body.decision", ["15/QĐ-UBND", "2022-01-06"]),
    ("payment.recorded", "body.receipt", None),
    # top level
    ("person.moved", "ledger", "Ansinh.vn/son-la"),
    ("person.moved", "ledger", ""),
    ("person.moved", "ledger", "ansinh.vn/son la"),
    ("person.moved", "ledger", "ansinh.vn/\n"),
    ("person.moved", "ledger", "a" * 201),
    ("person.moved", "ledger", 5),
    ("person.moved", "type", "payment.made"),
    ("person.moved", "type", None),
    ("person.moved", "by", AUTHORITY_ID.upper()),
    ("person.moved", "by", AUTHORITY_ID[:-1]),
    ("person.moved", "at", "2022-01-03 01:00:00Z"),
    ("person.moved", "at", "2022-01-03T01:00:00+07:00"),
    ("person.moved", "at", "2022-01-03T01:00:00"),
    ("person.moved", "at", "2022-02-30T01:00:00Z"),
    ("person.moved", "at", "2022-01-03T25:00:00Z"),
    ("person.moved", "at", "2022-01-03T01:00:00.123Z"),
    ("person.moved", "at", 1641171600),
    ("person.moved", "nonce", "0" * 31),
    ("person.moved", "nonce", "0" * 64),
    ("person.moved", "nonce", "A" * 32),
    ("person.moved", "nonce", "g" * 32),
    ("person.moved", "body", []),
    ("person.moved", "body", None),
]


@pytest.mark.parametrize(("statement_type", "path", "value"), BAD_VALUES)
def test_a_bad_field_value_is_refused_naming_the_field(
    statement_type: str, path: str, value: Any
) -> None:
    target = path.split("[")[0]
    error = refusal(set_path(make_statement(statement_type), target, value))
    assert error.field == path


def test_a_float_amount_is_refused_as_not_an_integer_number_of_dong() -> None:
    error = refusal(set_path(make_statement("fund.received"), "body.amount", 1.0))
    assert "integer number of đồng" in error.message


def test_a_statement_that_is_not_an_object_is_refused() -> None:
    assert refusal(["not", "an", "object"]).field == "statement"


def test_a_benefit_naming_both_a_person_and_a_household_is_refused() -> None:
    statement = set_path(make_statement("benefit.proposed"), "body.household_id", HOUSEHOLD)
    assert refusal(statement).field == "body.household_id"


def test_a_benefit_naming_neither_a_person_nor_a_household_is_refused() -> None:
    statement = delete_path(make_statement("benefit.proposed"), "body.person_id")
    error = refusal(statement)
    assert error.field == "body.person_id"
    assert "missing" in error.message


def test_a_benefit_ending_before_it_starts_is_refused() -> None:
    statement = set_path(make_statement("benefit.proposed"), "body.end", "2021-12")
    assert refusal(statement).field == "body.end"


def test_a_ledger_opened_not_signed_by_its_authority_key_is_refused() -> None:
    statement = set_path(make_statement("ledger.opened"), "by", REGISTRAR_ID)
    assert refusal(statement).field == "body.authority_key.id"


# Arbitrary input ----------------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=20), inner),
    max_leaves=20,
)


@settings(max_examples=300)
@given(statement_type=st.sampled_from(sorted(VALID_BODIES)), body=JSON_VALUES)
def test_any_json_value_as_a_body_is_refused_only_with_invalid_field(
    statement_type: str, body: Any
) -> None:
    with contextlib.suppress(InvalidField):
        validate_statement(make_statement(statement_type, body))


@settings(max_examples=300)
@given(data=st.data(), value=JSON_VALUES)
def test_any_json_value_in_place_of_any_field_is_refused_only_with_invalid_field(
    data: st.DataObject, value: Any
) -> None:
    statement_type = data.draw(st.sampled_from(sorted(VALID_BODIES)))
    statement = make_statement(statement_type)
    path = data.draw(st.sampled_from(leaf_paths(statement)))
    with contextlib.suppress(InvalidField):
        validate_statement(set_path(statement, path, value))
