"""The printed payroll sheet (api.sheets), filled in by hand and typed back, imports as it is."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from api.imports.layouts import PAYROLL
from api.sheets.columns import HEADINGS_EN, HEADINGS_VI
from api.sheets.payroll import payroll_sheet
from api.sheets.xlsx import sheet_xlsx
from tests.api.imports.village import Village, codes


def printed(village: Village, month: str) -> Any:
    data = sheet_xlsx(payroll_sheet(village.read(), month))
    return load_workbook(io.BytesIO(data))


def saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(sheet: Any, benefit_id: str) -> int:
    column = HEADINGS_VI.index("Mã trợ cấp") + 1
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, column).value == benefit_id)


def fill(sheet: Any, row: int, **cells: Any) -> None:
    for heading, value in cells.items():
        sheet.cell(row, HEADINGS_VI.index(heading) + 1).value = value


def test_the_import_reads_the_headings_the_sheet_prints() -> None:
    assert tuple(c.vi for c in PAYROLL.columns) == HEADINGS_VI
    assert tuple(c.en for c in PAYROLL.columns) == HEADINGS_EN


def test_a_printed_sheet_filled_in_imports_its_new_payments_only(village: Village) -> None:
    book = printed(village, "2022-01")  # the head's January allowance is paid already
    sheet = book.worksheets[0]
    row = row_of(sheet, village.household_benefit)
    fill(sheet, row, **{"Số tiền đã nhận": 300_000, "Ngày nhận": "12/01/2022"})
    fill(sheet, row, **{"Hình thức": "Chuyển khoản", "Số biên nhận": "VCB-0099"})
    preview = village.parse("payroll", saved(book))  # the month is read from the title
    assert preview.month == "2022-01"
    assert codes(preview) == []
    ((found, type_, body),) = preview.statements
    assert found.number == row and type_ == "payment.recorded"
    assert (body["benefit_id"], body["amount"], body["method"]) == (
        village.household_benefit,
        300_000,
        "bank",
    )
    assert body["recipient"] == village.other  # the person id printed: the household's head
    assert preview.skipped >= 1  # the payment printed as recorded is not paid again
    village.record(preview)


def test_a_printed_sheet_with_a_payment_written_over_a_recorded_one_is_refused(
    village: Village,
) -> None:
    book = printed(village, "2022-01")
    sheet = book.worksheets[0]
    fill(sheet, row_of(sheet, village.monthly), **{"Số biên nhận": "BN-NEW-1"})
    assert [c for _, _, c in codes(village.parse("payroll", saved(book)))] == ["ALREADY_PAID"]
