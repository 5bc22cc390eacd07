"""``ansinh types`` and drafting with ``ansinh sign``: templates, every problem at once, typos."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from ledger.formats.versions import TYPES_1_3
from tests.api.cli.officer import Cli, one_line, opts


def test_types_lists_each_type_with_its_signers_and_fields(cli: Cli) -> None:
    lines = [line.split("│") for line in cli("types").stdout.splitlines()[3:-1]]
    rows = {cells[1].strip(): "│".join(cells) for cells in lines if cells[1].strip()}
    payment = one_line(rows["payment.recorded"])
    assert "│ cashier │" in payment
    assert "month?:month" in payment
    assert "method:enum[bank|cash|post]" in payment
    assert "(self-signed)" in rows["ledger.opened"]
    assert len(rows) == 23 + sum(len(kinds) for kinds in TYPES_1_3.values())
    assert "│ approver │" in one_line(rows["identity.reviewed"])  # FORMATS 1.2
    assert "outcome:enum[different_people|same_person]" in one_line(rows["identity.reviewed"])


def test_types_json_is_the_document_the_server_serves(cli: Cli, client: TestClient) -> None:
    printed = json.loads(cli("types", "--json").stdout)
    assert printed == client.get("/v1/types").json()


def test_a_template_needs_no_key_and_fills_ids_today_and_choices(cli: Cli) -> None:
    result = cli("sign", "--type", "payment.recorded", "--template")
    body: dict[str, Any] = json.loads(result.stdout)
    for field in ("payment_id", "benefit_id", "recipient"):
        assert str(uuid.UUID(body[field])) == body[field]
    assert body["paid_on"] == date.today().isoformat()
    assert body["month"] == date.today().isoformat()[:7]
    assert (body["method"], body["amount"]) == ("bank", None)
    assert "note: method: one of bank, cash, post" in result.stderr
    assert "fill in (null): amount (money, 0..1000000000000), receipt.evidence" in result.stderr


def test_a_template_filled_in_is_signed_and_recorded(commune: Cli) -> None:
    before = len(commune.leaves())
    body = json.loads(commune("sign", "--type", "household.registered", "--template").stdout)
    assert (body["code"], body["village"]) == (None, None)
    body |= {"code": "CE-7", "village": "Bản Nà Sản"}
    commune.record("registrar", "household.registered", body)
    assert len(commune.leaves()) == before + 1


def test_every_problem_of_a_body_is_listed_and_nothing_signed(commune: Cli) -> None:
    body = {"payment_id": "p-1", "benefit_id": str(uuid.uuid4()), "amount": 1.5, "extra": 1}
    args = opts(key=commune.key("cashier"), type="payment.recorded", body=json.dumps(body))
    result = commune("sign", *args, code=1)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "INVALID_FIELD: body.extra: unknown field",
        "INVALID_FIELD: body.paid_on: missing",
        "INVALID_FIELD: body.method: missing",
        "INVALID_FIELD: body.recipient: missing",
        "INVALID_FIELD: body.receipt: missing",
        "INVALID_FIELD: body.payment_id: must be a lowercase UUID (8-4-4-4-12 hex)",
        "INVALID_FIELD: body.amount: must be an integer number of đồng, not a floating-point "
        "number",
    ]


def test_a_mistyped_type_names_the_nearest_one(cli: Cli) -> None:
    result = cli("sign", "--type", "payment.recored", "--template", code=1)
    assert result.stderr.strip() == (
        "INVALID_FIELD: type: unknown statement type 'payment.recored'; "
        "did you mean payment.recorded?"
    )


def test_signing_without_a_key_says_so(cli: Cli) -> None:
    result = cli("sign", "--type", "person.died", "--body", "{}", code=1)
    assert result.stderr.startswith("INVALID_FIELD: key: missing: --key")


def test_sign_help_lists_the_statement_types(cli: Cli) -> None:
    helped = one_line(cli("sign", "--help").stdout)
    assert "payment.recorded, payment.reversed, identity.reviewed, " in helped
    assert f"{', '.join(kind for kinds in TYPES_1_3.values() for kind in kinds)}, " in helped
    assert helped.count("inspection.attested") == 1
