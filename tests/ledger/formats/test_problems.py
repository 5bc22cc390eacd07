"""problems(): every problem of a statement at once, each as validate_statement words it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.errors import InvalidField
from ledger.formats.problems import body_problems, problems
from ledger.formats.schemas import validate_statement
from ledger.formats.versions import V1
from tests.ledger.formats.cases import (
    AUTHORITY_ID,
    HOUSEHOLD,
    VALID_BODIES,
    delete_path,
    leaf_paths,
    make_statement,
    set_path,
)

# Values of every JSON kind, and near misses of the field kinds.
ODD_VALUES = [
    None,
    True,
    -1,
    0,
    1.5,
    10**13,
    "",
    " ",
    "x" * 2001,
    "2022-13",
    "2022-02-30",
    "AB" * 32,
    "\u202e",
    "e\u0301",
    [],
    ["admin", "admin"],
    ["root"],
    {},
    {"x": 1},
]


def pairs(found: list[InvalidField]) -> list[tuple[str | None, str]]:
    return [(p.field, p.message) for p in found]


def first_refusal(statement: object, formats: str | None = None) -> InvalidField | None:
    try:
        validate_statement(statement, formats)
    except InvalidField as exc:
        return exc
    return None


def agrees_with_validate_statement(statement: object, formats: str | None = None) -> None:
    found = problems(statement, formats)
    refused = first_refusal(statement, formats)
    if refused is None:
        assert found == []
    else:
        assert found, f"validate_statement refused {refused.message}, problems found nothing"
        assert (found[0].field, found[0].message) == (refused.field, refused.message)


@pytest.mark.parametrize("statement_type", sorted(VALID_BODIES))
def test_a_valid_statement_of_each_type_has_no_problems(statement_type: str) -> None:
    assert problems(make_statement(statement_type)) == []


def test_every_bad_field_of_a_payment_is_named_at_once() -> None:
    statement = make_statement("payment.recorded")
    body = statement["body"]
    body["amount"] = 1.5
    body["method"] = "cheque"
    body["receipt"]["evidence"] = "nope"
    del body["paid_on"]
    body["note"] = "extra"
    assert pairs(problems(statement)) == [
        ("body.note", "body.note: unknown field"),
        ("body.paid_on", "body.paid_on: missing"),
        (
            "body.amount",
            "body.amount: must be an integer number of đồng, not a floating-point number",
        ),
        ("body.method", "body.method: must be one of bank, cash, post"),
        ("body.receipt.evidence", "body.receipt.evidence: must be 64 lowercase hex characters"),
    ]


def test_the_statement_fields_and_the_body_are_both_reported() -> None:
    statement = make_statement("benefit.rejected")
    statement["at"] = "yesterday"
    statement["body"]["reason"] = "   "
    assert [p.field for p in problems(statement)] == ["at", "body.reason"]


def test_a_rule_across_fields_is_checked_only_once_the_fields_are_well_formed() -> None:
    statement = make_statement("benefit.proposed")
    statement["body"]["end"] = "2021-12"  # before start: a rule
    assert pairs(problems(statement)) == [("body.end", "body.end: must not be before start")]
    statement["body"]["amount"] = -1
    assert [p.field for p in problems(statement)] == ["body.amount"]


def test_both_beneficiaries_named_is_one_problem() -> None:
    statement = set_path(make_statement("benefit.proposed"), "body.household_id", HOUSEHOLD)
    assert pairs(problems(statement)) == [
        ("body.household_id", "body.household_id: not allowed with person_id (name exactly one)")
    ]


def test_each_bad_role_of_a_set_is_named_and_a_repeat_is_a_duplicate() -> None:
    statement = make_statement("key.registered")
    statement["body"]["roles"] = ["root", "admin", "admin", 7]
    assert pairs(problems(statement)) == [
        (
            "body.roles[0]",
            "body.roles[0]: must be one of admin, agent, approver, cashier, inspector, intake, "
            "registrar",
        ),
        ("body.roles[2]", "body.roles[2]: duplicate"),
        (
            "body.roles[3]",
            "body.roles[3]: must be one of admin, agent, approver, cashier, inspector, intake, "
            "registrar",
        ),
    ]


def test_an_unknown_type_leaves_the_body_unchecked() -> None:
    statement = make_statement("payment.recorded")
    statement["type"] = "payment.recored"
    statement["body"]["amount"] = "lots"
    assert pairs(problems(statement)) == [("type", "type: unknown statement type")]


def test_a_ledger_opened_not_signed_by_its_authority_key_is_refused_as_validate_does() -> None:
    statement = make_statement("ledger.opened")
    assert problems(statement) == []
    statement["by"] = "cd" * 32
    assert pairs(problems(statement)) == [
        (
            "body.authority_key.id",
            "body.authority_key.id: must equal by (ledger.opened is self-signed)",
        )
    ]


def test_something_not_an_object_is_one_problem() -> None:
    assert pairs(problems([1])) == [("statement", "statement: must be an object")]


def test_body_problems_names_paths_under_body() -> None:
    found = body_problems("person.died", {"person_id": "x"})
    assert [p.field for p in found] == ["body.date", "body.person_id"]


@pytest.mark.parametrize("statement_type", sorted(VALID_BODIES))
def test_for_every_field_and_odd_value_the_first_problem_is_what_validate_raises(
    statement_type: str,
) -> None:
    base = make_statement(statement_type)
    if statement_type == "ledger.opened":
        base["by"] = AUTHORITY_ID
    for path in ["ledger", "by", "at", "nonce", *(f"body.{p}" for p in leaf_paths(base["body"]))]:
        for value in ODD_VALUES:
            agrees_with_validate_statement(set_path(copy.deepcopy(base), path, value))
            agrees_with_validate_statement(set_path(copy.deepcopy(base), path, value), V1)
        agrees_with_validate_statement(delete_path(copy.deepcopy(base), path))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    statement_type=st.sampled_from(sorted(VALID_BODIES)),
    changes=st.lists(st.tuples(st.integers(0, 50), json_values), min_size=1, max_size=4),
)
def test_any_statement_with_fields_changed_agrees_with_validate_statement(
    statement_type: str, changes: list[tuple[int, Any]]
) -> None:
    statement = make_statement(statement_type)
    paths = [
        "ledger",
        "type",
        "by",
        "at",
        "nonce",
        *(f"body.{p}" for p in leaf_paths(statement["body"])),
    ]
    for position, value in changes:
        try:
            set_path(statement, paths[position % len(paths)], value)
        except (TypeError, KeyError):
            continue  # a parent was replaced by a value that is not an object
    found = problems(statement)
    agrees_with_validate_statement(statement)
    assert len({(p.field, p.message) for p in found}) == len(found), "a problem told twice"
