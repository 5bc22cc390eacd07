"""``GET /v1/payroll/sheet`` and ``/v1/payroll/sheet.xlsx``: who may print, what comes back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from api.sheets.columns import HEADINGS_VI
from tests.api.http.commune import XLSX, get, ok
from tests.api.http.test_auth import error
from tests.api.sheets.commune import HUOI, ME, MONTH, make_sheetland
from tests.conftest import Officers, Story

SHEET = f"/v1/payroll/sheet?month={MONTH}"


def test_cashier_gets_the_sheet_with_names_and_checkpoint(
    client: Any, story: Story, officers: Officers
) -> None:
    land = make_sheetland(story, huoi=2, me=2)
    response = get(client, SHEET, "cashier", officers)
    sheet = ok(response)
    assert sheet["columns"] == list(HEADINGS_VI)
    assert [g["village"] for g in sheet["villages"]] == [HUOI, ME]
    first = sheet["villages"][0]["rows"][0]
    assert set(first) >= {"no", "village", "household_code", "name", "program_code"}
    assert set(first) >= {"program_name", "due", "paid", "benefit_id", "person_id"}
    assert set(first) >= {"recipient", "status"}
    assert first["name"] == land.names[first["person_id"]]
    assert sheet["checkpoint"]["tree_size"] == sheet["as_of"]["entries"]
    assert response.headers["X-Ansinh-Log-Size"] == str(sheet["projection"]["log_size"])
    assert sheet["total_words"].endswith(" đồng")


def test_registrar_may_print_the_sheet_too(client: Any, story: Story, officers: Officers) -> None:
    make_sheetland(story, huoi=1, me=1)
    assert ok(get(client, SHEET, "registrar", officers))["total"]["rows"] == 2


def test_sheet_refused_without_signing_in(client: Any, story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    assert error(client.get(SHEET), 401)[0] == "UNAUTHENTICATED"
    assert error(client.get(SHEET.replace("sheet", "sheet.xlsx")), 401)[0] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("month=2022-1", "month"),
        (f"month={MONTH}&village=Bản X", "village"),
        (f"month={MONTH}&program=KHONG", "program"),
        (f"month={MONTH}&lang=fr", "lang"),
    ],
)
def test_bad_filter_refused_naming_the_field(
    client: Any, story: Story, officers: Officers, query: str, field: str
) -> None:
    make_sheetland(story, huoi=1, me=1)
    code, message = error(get(client, f"/v1/payroll/sheet?{query}", "cashier", officers), 400)
    assert code == "INVALID_FIELD" and message.startswith(f"{field}:")


def test_xlsx_is_the_same_sheet_to_download(client: Any, story: Story, officers: Officers) -> None:
    make_sheetland(story, huoi=2, me=1)
    response = get(
        client, f"/v1/payroll/sheet.xlsx?month={MONTH}&village={ME}", "cashier", officers
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert 'filename="danh-sach-chi-tra-2022-01.xlsx"' in response.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Thôn/bản: Bản Mé" in values and "Cộng Bản Mé (1 người)" in values
    assert HUOI not in values
