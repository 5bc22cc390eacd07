"""The payroll sheet's workbook: made to be printed on A4 landscape, signed and kept."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from api import reading
from api.sheets.columns import HEADINGS_VI
from api.sheets.payroll import payroll_sheet
from api.sheets.xlsx import HEADING_ROW, sheet_xlsx
from projections.reports.receipts import receipt_code
from tests.api.sheets.commune import HUOI, ME, MONTH, make_sheetland
from tests.conftest import Story


def workbook(story: Story, **kw: Any) -> tuple[dict[str, Any], Worksheet]:
    read = reading.read_at(reading.Direct(story.app), None)
    sheet = payroll_sheet(read, MONTH, **kw)
    ws = load_workbook(io.BytesIO(sheet_xlsx(sheet))).active
    assert isinstance(ws, Worksheet)
    return sheet, ws


def texts(ws: Worksheet) -> list[str]:
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def row_of(ws: Worksheet, first_cell: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first_cell)


def test_workbook_prints_on_a4_landscape_fitted_to_width(story: Story) -> None:
    make_sheetland(story, huoi=3, me=2)
    _, ws = workbook(story)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4 in the OOXML paper sizes
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == f"${HEADING_ROW}:${HEADING_ROW}"
    assert ws.page_margins.left < 0.75 and ws.page_margins.bottom < 0.75
    signer = row_of(ws, "Người lập biểu")
    assert ws.print_area == f"'{MONTH}'!$A$1:$N${signer + 6}"  # the room to sign printed too


def test_workbook_carries_the_form_header_and_exact_headings(story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    _, ws = workbook(story)
    found = texts(ws)
    for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        assert line in found
    assert "UBND XÃ CHIỀNG EN" in found
    assert "DANH SÁCH CHI TRẢ TRỢ CẤP THÁNG 01/2022" in found
    headings = [ws.cell(HEADING_ROW, c).value for c in range(1, len(HEADINGS_VI) + 1)]
    assert headings == list(HEADINGS_VI)
    for signer in ("Người lập biểu", "Kế toán", "Chủ tịch UBND xã"):
        assert signer in found


def test_workbook_has_village_subtotals_a_total_and_the_words(story: Story) -> None:
    make_sheetland(story, huoi=3, me=2)
    sheet, ws = workbook(story)
    huoi, me = sheet["villages"]
    for group in (huoi, me):
        row = row_of(ws, f"Cộng {group['village']} ({group['subtotal']['rows']} người)")
        assert ws.cell(row, 6).value == group["subtotal"]["due"]
        assert ws.cell(row, 7).value == group["subtotal"]["paid"]
        assert ws.cell(row, 6).number_format == "#,##0"
    total = row_of(ws, "Tổng cộng (5 người)")
    both = huoi["subtotal"]["due"] + me["subtotal"]["due"]
    assert ws.cell(total, 6).value == sheet["total"]["due"] == both
    assert ws.cell(total + 1, 1).value == f"Bằng chữ: {sheet['total_words']}."
    assert row_of(ws, f"Cộng {HUOI} (3 người)") < row_of(ws, f"Cộng {ME} (2 người)") < total


def test_rows_leave_room_to_sign_and_show_the_benefit_id_small(story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    sheet, ws = workbook(story)
    first = HEADING_ROW + 1
    assert ws.cell(first, 1).value == 1
    assert ws.cell(first, 12).value == sheet["villages"][0]["rows"][0]["benefit_id"]
    assert ws.cell(first, 14).value is None  # Ký nhận: left for the pen
    assert ws.row_dimensions[first].height >= 36
    assert ws.column_dimensions["N"].width >= 20
    assert ws.column_dimensions["L"].width <= 12
    assert ws.cell(first, 12).font.sz < 9 and ws.cell(first, 12).font.color.rgb.endswith("808080")


def test_the_recipient_column_prints_the_national_id_the_recipient_shows(story: Story) -> None:
    land = make_sheetland(story, huoi=2, me=1)
    sheet, ws = workbook(story)
    first = HEADING_ROW + 1
    row = sheet["villages"][0]["rows"][0]
    expected = land.national_ids[row["recipient"]["person_id"]]
    assert ws.cell(first, 11).value == expected  # Số định danh người nhận: the CCCD


def test_footer_names_the_checkpoint_the_sheet_was_drawn_from(story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    sheet, ws = workbook(story)
    footer = ws.oddFooter.left.text
    assert str(sheet["as_of"]["entries"]) in footer
    assert sheet["checkpoint"]["root"] in footer
    assert ws.oddFooter.right.text == "Trang &P/&N"


def test_english_workbook_reads_in_english(story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    sheet, ws = workbook(story, lang="en")
    found = texts(ws)
    assert "SOCIALIST REPUBLIC OF VIET NAM" in found and "Prepared by" in found
    assert ws.cell(HEADING_ROW, 14).value == "Signature"
    assert f"In words: {sheet['total_words']}." in found


def test_same_sheet_gives_the_same_bytes(story: Story) -> None:
    make_sheetland(story, huoi=2, me=1)
    read = reading.read_at(reading.Direct(story.app), None)
    sheet = payroll_sheet(read, MONTH)
    assert sheet_xlsx(sheet) == sheet_xlsx(sheet)


def test_each_line_prints_its_lookup_code_for_the_beneficiary_to_check(story: Story) -> None:
    make_sheetland(story, huoi=2, me=2)
    sheet, ws = workbook(story)
    code_col = HEADINGS_VI.index("Mã tra cứu") + 1
    benefit_col = HEADINGS_VI.index("Mã trợ cấp") + 1
    assert HEADINGS_VI[code_col] == "Ký nhận"  # next to where the beneficiary signs
    printed = {
        ws.cell(r, benefit_col).value: ws.cell(r, code_col).value
        for r in range(HEADING_ROW + 1, ws.max_row + 1)
        if ws.cell(r, benefit_col).value
    }
    ledger = sheet["ledger"]["id"]
    rows = [row for group in sheet["villages"] for row in group["rows"]]
    assert len(printed) == len(rows) == 4
    for row in rows:
        assert printed[row["benefit_id"]] == receipt_code(ledger, row["benefit_id"], MONTH)
