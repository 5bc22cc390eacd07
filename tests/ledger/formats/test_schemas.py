"""The shape of statements: what validate_statement accepts and what it refuses."""

from __future__ import annotations

import contextlib
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
from ledger.formats.versions import TYPES_1_3
from tests.ledger.formats.cases import (
    AUTHORITY_ID,
    HOUSEHOLD,
    NESTED_OBJECTS,
    OPTIONAL_FIELDS,
    PERSON,
    PII,
    REGISTRAR_ID,
    REGISTRAR_KEY,
    REQUIRED,
    VALID_BODIES,
    VECTORS,
    delete_path,
    leaf_paths,
    make_statement,
    refusal,
    set_path,
)


# Accepted ---------------------------------------------------------------------
def test_the_schemas_cover_exactly_the_twenty_three_statement_types() -> None:
    assert len(BODY_TYPES) == 23 + sum(len(kinds) for kinds in TYPES_1_3.values())
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
