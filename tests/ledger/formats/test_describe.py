"""describe(): each type's body for forms, read from the schemas, so it says what they check."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import date
from typing import Any

import pytest

from ledger.errors import InvalidField
from ledger.formats.describe import (
    check_type,
    describe,
    example_body,
    template,
    unknown_type,
)
from ledger.formats.problems import body_problems
from ledger.formats.schemas import TYPES_IN_ORDER, validate_statement
from tests.ledger.formats.cases import make_statement, set_path

DESCRIPTION = describe()
FIELDS = [(t, f) for t, d in DESCRIPTION.items() for f in d["fields"]]
LEAVES = [(t, f) for t, f in FIELDS if f["kind"] != "object"]
KINDS = {
    "uuid", "text", "short_text", "long_text", "money", "month", "date", "integer", "enum",
    "set", "sha256_hex", "base64_32", "key_id", "holder_id", "object", "timezone",
    "receipt_code",
}  # fmt: skip


def fid(case: tuple[str, dict[str, Any]]) -> str:
    return f"{case[0]}:{case[1]['path']}"


def statement_of(statement_type: str, body: dict[str, Any]) -> dict[str, Any]:
    statement = make_statement(statement_type, body)
    if statement_type == "ledger.opened":  # self-signed
        statement["by"] = body["authority_key"]["id"]
    return statement


def problems_at(statement_type: str, path: str, value: Any) -> list[str]:
    """The problems of the example body with ``path`` set to ``value``, found at that path."""
    body = set_path(example_body(statement_type), path, value)
    found = body_problems(statement_type, body)
    return [p.message for p in found if str(p.field).split("[")[0] == f"body.{path}"]


def test_every_type_is_described_in_the_order_of_the_formats() -> None:
    assert tuple(DESCRIPTION) == TYPES_IN_ORDER
    assert json.loads(json.dumps(DESCRIPTION)) == DESCRIPTION


def test_every_field_has_a_kind_a_form_knows() -> None:
    assert {f["kind"] for _, f in FIELDS} <= KINDS
    payment = {f["path"]: f for f in DESCRIPTION["payment.recorded"]["fields"]}
    assert payment["method"] == {
        "path": "method",
        "kind": "enum",
        "optional": False,
        "values": ["bank", "cash", "post"],
        "example": "bank",
    }
    assert payment["month"]["optional"] is True
    assert payment["receipt.evidence"]["kind"] == "sha256_hex"
    assert payment["amount"]["max"] == 10**12


@pytest.mark.parametrize("statement_type", TYPES_IN_ORDER)
def test_a_body_built_from_the_examples_of_the_description_validates(statement_type: str) -> None:
    validate_statement(statement_of(statement_type, example_body(statement_type)))


@pytest.mark.parametrize("case", FIELDS, ids=fid)
def test_a_field_said_to_be_required_is_missed_and_an_optional_one_is_not(
    case: tuple[str, dict[str, Any]],
) -> None:
    statement_type, field = case
    body = example_body(statement_type)
    *parents, name = field["path"].split(".")
    holder = body
    for parent in parents:
        holder = holder[parent]
    if name not in holder:
        return  # the second of an exactly_one_of pair: the example names the first
    del holder[name]
    found = [p.message for p in body_problems(statement_type, body)]
    paired = any(field["path"] in r["fields"] for r in DESCRIPTION[statement_type]["rules"]
                 if r["rule"] == "exactly_one_of")  # fmt: skip
    if not field["optional"]:
        assert found == [f"body.{field['path']}: missing"]
    elif paired:
        assert found == ["body.person_id: missing (name exactly one of person_id, household_id)"]
    else:
        assert found == []


@pytest.mark.parametrize("case", LEAVES, ids=fid)
def test_the_bounds_a_field_is_described_with_are_the_ones_checked(
    case: tuple[str, dict[str, Any]],
) -> None:
    statement_type, field = case
    path, kind = field["path"], field["kind"]
    checked = 0
    if "values" in field:
        for value in field["values"]:
            assert problems_at(statement_type, path, [value] if kind == "set" else value) == []
        assert problems_at(statement_type, path, ["none-of-these"] if kind == "set" else "x-y")
        checked += 1
    if "max_chars" in field:
        longest = "a" * field["max_chars"]
        assert problems_at(statement_type, path, longest) == []
        assert problems_at(statement_type, path, longest + "a")
        checked += 1
    if "min" in field:
        for edge in (field["min"], field["max"]):
            assert problems_at(statement_type, path, edge) == []
        assert problems_at(statement_type, path, field["min"] - 1)
        assert problems_at(statement_type, path, field["max"] + 1)
        checked += 1
    if kind in {"uuid", "date", "month", "sha256_hex", "key_id", "base64_32", "receipt_code"}:
        assert problems_at(statement_type, path, field["example"] + "0")
        checked += 1
    assert checked, f"{kind}: nothing described to check"


def test_a_template_has_fresh_ids_today_and_nulls_where_a_person_must_say() -> None:
    ids = iter(str(uuid.UUID(int=n)) for n in range(1, 10))
    body = template("payment.recorded", date(2026, 12, 4), lambda: next(ids))
    assert body == {
        "payment_id": "00000000-0000-0000-0000-000000000001",
        "benefit_id": "00000000-0000-0000-0000-000000000002",
        "month": "2026-12",
        "amount": None,
        "paid_on": "2026-12-04",
        "method": "bank",
        "recipient": "00000000-0000-0000-0000-000000000003",
        "receipt": {"kind": "bank_ref", "evidence": None},
    }


@pytest.mark.parametrize("statement_type", TYPES_IN_ORDER)
def test_a_template_filled_in_where_it_is_null_validates(statement_type: str) -> None:
    body = template(statement_type, date.today(), lambda: str(uuid.uuid4()))
    examples = example_body(statement_type)

    def fill(value: Any, example: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v, example[k]) for k, v in value.items()}
        return example if value is None else value

    filled = fill(copy.deepcopy(body), examples)
    if statement_type in ("ledger.opened", "key.registered"):  # the key id follows the key
        filled = examples
    validate_statement(statement_of(statement_type, filled))


def test_a_mistyped_type_names_the_nearest_one() -> None:
    assert unknown_type("payment.recored").message == (
        "type: unknown statement type 'payment.recored'; did you mean payment.recorded?"
    )
    assert "payment.recorded or payment.reversed" in unknown_type("payment").message
    with pytest.raises(InvalidField) as caught:
        check_type("benefit.aproved")
    assert caught.value.field == "type"
    assert caught.value.message.endswith("did you mean benefit.approved?")
    assert check_type("benefit.approved") == "benefit.approved"
