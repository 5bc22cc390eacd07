"""Sums of money stay exact wherever they are shown, however large (FORMATS 1.1).

A v1 ledger may hold payments of 2^53 - 1 đồng, and a 1.1 ledger thousands
of 10^12: their sums pass what a JSON number carries exactly. Reads must
not break on them: every JSON that carries such a sum writes it as a
decimal string (so RFC 8785 stays exact), the pages and tables show it
whole, and XLSX keeps it as text rather than round it.
"""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import rfc8785
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from api.pages.docs import canonical
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.formats.versions import MAX_AMOUNT_VND, MAX_SAFE_INTEGER, exact_json
from tests.conftest import Officers, Story
from tests.projections.verbs import fund

V1_MAX = MAX_SAFE_INTEGER  # the largest amount a v1 statement could carry
NEEDED = MAX_SAFE_INTEGER // MAX_AMOUNT_VND + 1  # payments of 10^12 whose sum passes 2^53 - 1


def paid_twice(story: Story, amount: int) -> tuple[str, str]:
    """A funded monthly benefit paid ``amount`` twice for January: (program, benefit).

    (A second payment for a month is recorded, and flagged, as any irregularity is.)
    """
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program, amount=amount)
    fund(story, program, amount=amount)
    bid = story.benefit(program, pid, amount=amount)
    story.pay(bid, pid, month="2022-01", amount=amount)
    story.pay(bid, pid, month="2022-01", amount=amount)
    return program, bid


@pytest.fixture
def v1_story(app: LedgerApplication, officers: Officers, before_amendments: None) -> Story:
    """A v1 ledger (no declaration), written by the software of before FORMATS 1.1."""
    app.submit(officers.opened(formats=None))
    for name in ("registrar", "approver", "cashier", "inspector"):
        app.submit(officers.register(name))
    return Story(app, officers)


@contextmanager
def served(db_url: str, vault_key: Any, officers: Officers) -> Iterator[TestClient]:
    """The ledger as served, from now on (a server writes: nothing else may at the same time)."""
    from api.http.app import create_app
    from api.service import LedgerService

    service = LedgerService(db_url, vault_key=vault_key, notary=officers.keys["notary"])
    try:
        with TestClient(create_app(service), raise_server_exceptions=False) as client:
            yield client
    finally:
        service.ledger.close()


@pytest.fixture
def v1_client(v1_story: Story, db_url: str, vault_key: Any, officers: Officers) -> Iterator[Any]:
    """The public pages of a v1 ledger holding two payments of 2^53 - 1 đồng."""
    paid_twice(v1_story, V1_MAX)
    with served(db_url, vault_key, officers) as client:
        yield client


def test_a_year_of_v1_payments_of_2_53_minus_1_is_totalled_exactly_on_every_totals_read(
    v1_client: TestClient, v1_story: Story
) -> None:
    # Before: the year's total (2^54 - 2) made JCS raise: /totals answered 500,
    # /totals.json reset the connection, and ?as_of=... stayed 500 for good.
    size = v1_story.app.size()
    for query in ("", "?year=2022", f"?as_of={size}", f"?as_of={size}&year=2022"):
        page = v1_client.get("/totals" + query)
        assert page.status_code == 200, (query, page.text[:300])
        assert "18.014.398.509.481.982 đ" in page.text  # the grand total, in full
        document = v1_client.get("/totals.json" + query)
        assert document.status_code == 200, query
        rows = json.loads(document.content)["rows"]
        assert [(r["month"], r["payments"], r["paid"]) for r in rows] == [
            ("2022-01", 2, str(2 * V1_MAX))
        ]


def test_a_sum_beyond_2_53_minus_1_is_a_decimal_string_in_the_canonical_documents() -> None:
    doc = {
        "rows": [{"paid": MAX_SAFE_INTEGER}, {"paid": MAX_SAFE_INTEGER + 1}],
        "balance": -(2**60),
    }
    with pytest.raises(rfc8785.IntegerDomainError):
        rfc8785.dumps(doc)  # what broke the totals
    assert canonical(doc) == (
        b'{"balance":"-1152921504606846976","rows":[{"paid":9007199254740991},'
        b'{"paid":"9007199254740992"}]}'
    )
    assert exact_json(doc)["rows"][0] is doc["rows"][0]  # what needs no change is not copied
    assert exact_json(True) is True and exact_json([1, "2"]) == [1, "2"]


def test_reconciliation_and_payroll_of_v1_amounts_answer_with_exact_sums(
    v1_client: TestClient,
) -> None:
    report = v1_client.get("/v1/reports/reconciliation?from=2022-01&to=2022-01")
    assert report.status_code == 200, report.text[:300]
    doc = report.json()
    assert doc["totals"]["paid"] == str(2 * V1_MAX)
    assert (doc["totals"]["entitled"], doc["totals"]["overpaid"]) == (V1_MAX, V1_MAX)
    (funds,) = doc["funds"]
    assert (funds["received"], funds["paid"], funds["balance"]) == (str(2 * V1_MAX),) * 2 + (0,)
    payroll = v1_client.get("/v1/payroll?month=2022-01")
    assert payroll.status_code == 200, payroll.text[:300]
    assert payroll.json()["totals"]["paid"] == str(2 * V1_MAX)
    assert payroll.json()["totals"]["due"] == V1_MAX  # a sum that fits stays a number


def _payments(story: Story, count: int, benefit_id: str, person_id: str) -> list[Submission]:
    bodies = (
        story.payment_body(benefit_id, person_id, month="2022-03", amount=MAX_AMOUNT_VND)
        for _ in range(count)
    )
    return [story.o.sub("cashier", "payment.recorded", body) for body in bodies]


def test_thousands_of_payments_at_the_1_1_bound_sum_exactly_in_every_report(
    story: Story, db_url: str, vault_key: Any, tmp_path: Any
) -> None:
    """10^12 đồng a statement, 9,008 times: the first count whose sum passes 2^53 - 1."""
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program, amount=MAX_AMOUNT_VND)
    bid = story.benefit(program, pid, amount=MAX_AMOUNT_VND)
    story.app.submit_batch(_payments(story, NEEDED, bid, pid))
    total = NEEDED * MAX_AMOUNT_VND
    assert NEEDED == 9008 and (NEEDED - 1) * MAX_AMOUNT_VND <= MAX_SAFE_INTEGER < total

    def report(fmt: str, *extra: str) -> bytes:
        args = ["report", "reconciliation", "--from", "2022-03", "--to", "2022-03"]
        result = CliRunner().invoke(cli_app, [*args, "--db", db_url, "--format", fmt, *extra])
        gc.collect()  # close the command's connection pool (PostgreSQL) now
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result.stdout_bytes

    doc = json.loads(report("json"))
    assert doc["totals"]["paid"] == str(total)
    assert doc["funds"][0]["balance"] == MAX_AMOUNT_VND - total  # -9,007 × 10^12 fits
    programs = report("csv", "--table", "programs").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(programs)) for cell in row]
    assert str(total) in cells
    out = tmp_path / "r.xlsx"
    report("xlsx", "--out", str(out))
    book = load_workbook(out)
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert str(total) in values  # text, where a number would be rounded to a double
    assert total not in values
    table = report("table").decode()
    assert f"{total:,}".replace(",", ".") in " ".join(table.split())
    with served(db_url, vault_key, story.o) as client:
        (row,) = json.loads(client.get("/totals.json").content)["rows"]
        assert (row["payments"], row["paid"]) == (NEEDED, str(total))
        assert f"{total:,} đ".replace(",", ".") in client.get("/totals").text
