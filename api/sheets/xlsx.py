"""The payroll sheet as a workbook made to be printed, signed and brought back.

One worksheet laid out as a commune form: the commune and the national motto
on top, the title with the month, the filter, the table (its heading row
repeated on every printed page), a subtotal row after each village, the
grand total, the total due in words, and the signature block. A4 landscape,
fitted to the page's width; the rows tall enough for a thumbprint, the "Ký
nhận" column wide enough for a signature, the benefit id small and grey (it
is there for the import to read back, not for people), the lookup code (mã
tra cứu) on one line, for the beneficiary to copy and check. The page footer
names the checkpoint the sheet was drawn from, and the page number.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from api.sheets.columns import COLUMN_KEYS, METHODS, SIGNERS, pick, text
from ledger.formats.versions import exact_json
from projections.reports.export import stamp_of

FONT = "Times New Roman"
MONEY_FORMAT = "#,##0"
HEADING_ROW = 7
ROW_HEIGHT_PT = 40  # about 14 mm: room for a thumbprint
WIDTHS = {  # in characters of the default font
    "no": 5,
    "village": 12,
    "household_code": 11,
    "name": 20,
    "program": 16,
    "due": 13,
    "paid": 13,
    "paid_on": 11,
    "method": 11,
    "receipt": 10,
    "recipient_id": 14,
    "benefit_id": 10,
    "receipt_code": 13,
    "signature": 22,
}
SMALL = {"recipient_id": 7, "benefit_id": 6, "receipt_code": 10}  # ids: small print
GREY = "808080"
LAST = get_column_letter(len(COLUMN_KEYS))
_thin = Side(style="thin")
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEAD_FILL = PatternFill("solid", fgColor="EDEDED")


def sheet_xlsx(sheet: dict[str, Any]) -> bytes:
    """The workbook of a sheet from :func:`api.sheets.payroll.payroll_sheet`; the same
    sheet gives the same bytes."""
    lang = sheet["lang"]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet["month"]
    _top(ws, sheet)
    last = _table(ws, sheet)
    _print_setup(ws, sheet, last)
    stamp = stamp_of(sheet["as_of"]["recorded_at"]).astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "ansinh"
    wb.properties.title = text("title", lang, month=_month(sheet["month"]))
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _dated(raw.getvalue(), stamp)


def _font(size: int = 11, *, bold: bool = False, italic: bool = False, grey: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic, color=GREY if grey else None)


def _line(ws: Worksheet, row: int, first: str, last: str, value: str, font: Font) -> None:
    """``value`` across ``first``..``last`` of ``row``, centred."""
    ws.merge_cells(f"{first}{row}:{last}{row}")
    cell = ws[f"{first}{row}"]
    cell.value, cell.font = value, font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _top(ws: Worksheet, sheet: dict[str, Any]) -> None:
    lang = sheet["lang"]
    _line(ws, 1, "A", "E", sheet["commune"].upper(), _font(12, bold=True))
    _line(ws, 1, "G", LAST, text("motto", lang), _font(12, bold=True))
    _line(ws, 2, "G", LAST, text("motto2", lang), _font(12, bold=True))
    ws[f"G{2}"].font = Font(name=FONT, size=12, bold=True, underline="single")
    _line(ws, 4, "A", LAST, text("title", lang, month=_month(sheet["month"])), _font(14, bold=True))
    ws.row_dimensions[4].height = 24
    scope = [text("village", lang, value=sheet["village"])] if sheet["village"] else []
    scope += [text("program", lang, value=sheet["program"])] if sheet["program"] else []
    _line(ws, 5, "A", LAST, "; ".join(scope) or text("all", lang), _font(italic=True))
    ws.merge_cells(f"J6:{LAST}6")
    ws["J6"].value, ws["J6"].font = text("unit", lang), _font(10, italic=True)
    ws["J6"].alignment = Alignment(horizontal="right")


def _table(ws: Worksheet, sheet: dict[str, Any]) -> int:
    """The heading row, the rows, subtotals, total and words, then the signatures; the
    sheet's last row (the room left to sign included)."""
    lang = sheet["lang"]
    for col, (key, heading) in enumerate(zip(COLUMN_KEYS, sheet["columns"], strict=True), 1):
        cell = ws.cell(HEADING_ROW, col, heading)
        cell.font, cell.border, cell.fill = _font(10, bold=True), BOX, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[key]
    ws.row_dimensions[HEADING_ROW].height = 32
    row = HEADING_ROW + 1
    for group in sheet["villages"]:
        for item in group["rows"]:
            _data_row(ws, row, _cells(item, lang, named=sheet["named"]))
            row += 1
        label = text("subtotal", lang, village=group["village"], rows=group["subtotal"]["rows"])
        _sum_row(ws, row, label, group["subtotal"])
        row += 1
    _sum_row(ws, row, text("total", lang, rows=sheet["total"]["rows"]), sheet["total"])
    row += 1
    ws.merge_cells(f"A{row}:{LAST}{row}")
    ws[f"A{row}"].value = text("words", lang, words=sheet["total_words"])
    ws[f"A{row}"].font = _font(bold=True, italic=True)
    ws.row_dimensions[row].height = 22
    return _signatures(ws, row + 2, sheet)


def _cells(item: dict[str, Any], lang: str, *, named: bool) -> dict[str, Any]:
    """A row's cells by column key (several payments: one line each); ``named``: the
    vault was read, so a person without a name was erased from it."""
    payments = item["payments"]
    # the CCCD where the vault gave it (what the recipient shows), else the person's id
    recipients = [r.get("national_id") or r["person_id"] for r in item["recipients"]]
    recipients = [r for r in recipients if r]
    erased = named and item["person_id"] is not None
    name = item["name"] or (text("erased", lang) if erased else "")
    return {
        "no": item["no"],
        "village": item["village"],
        "household_code": item["household_code"],
        "name": name,
        "program": item["program_name"],
        "due": item["due"],
        "paid": item["paid"] if payments else None,
        "paid_on": "\n".join(_date(p["paid_on"]) for p in payments),
        "method": "\n".join(pick(METHODS[p["method"]], lang) for p in payments),
        "receipt": "\n".join(p["payment_id"][:8] for p in payments),
        "recipient_id": "\n".join(recipients),
        "benefit_id": item["benefit_id"],
        "receipt_code": item["receipt_code"],
        "signature": None,
    }


def _data_row(ws: Worksheet, row: int, cells: dict[str, Any]) -> None:
    for col, key in enumerate(COLUMN_KEYS, 1):
        cell = ws.cell(row, col, exact_json(cells[key]))
        cell.border = BOX
        cell.font = _font(SMALL.get(key, 11), grey=key == "benefit_id")
        money = key in ("due", "paid")
        if money:
            cell.number_format = MONEY_FORMAT
        horizontal = "right" if money else "center" if key in ("no", "paid_on") else "left"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = ROW_HEIGHT_PT


def _sum_row(ws: Worksheet, row: int, label: str, sums: dict[str, int]) -> None:
    for col in range(1, len(COLUMN_KEYS) + 1):
        ws.cell(row, col).border = BOX
    ws.merge_cells(f"A{row}:E{row}")
    ws[f"A{row}"].value, ws[f"A{row}"].font = label, _font(bold=True)
    ws[f"A{row}"].alignment = Alignment(horizontal="left", vertical="center")
    for col, key in ((6, "due"), (7, "paid")):
        cell = ws.cell(row, col, exact_json(sums[key]))
        cell.font, cell.number_format = _font(bold=True), MONEY_FORMAT
        cell.alignment = Alignment(horizontal="right", vertical="center")
    ws.row_dimensions[row].height = 20


def _signatures(ws: Worksheet, row: int, sheet: dict[str, Any]) -> int:
    """The place and date line, then who signs: preparer, accountant, chairman; the last
    row of the room left for their signatures."""
    lang = sheet["lang"]
    ws.merge_cells(f"I{row}:{LAST}{row}")
    ws[f"I{row}"].value = text("place", lang, place=sheet["place"])
    ws[f"I{row}"].font = _font(italic=True)
    ws[f"I{row}"].alignment = Alignment(horizontal="center")
    blocks = (("A", "D"), ("E", "H"), ("I", LAST))
    for (first, last), (title, hint) in zip(blocks, SIGNERS, strict=True):
        _line(ws, row + 1, first, last, pick(title, lang), _font(12, bold=True))
        _line(ws, row + 2, first, last, pick(hint, lang), _font(10, italic=True))
    for blank in range(row + 3, row + 8):  # room to sign
        ws.row_dimensions[blank].height = 18
    return row + 7


def fit_to_a4(ws: Worksheet, *, landscape: bool) -> None:
    """Print on A4, fitted to the page's width, centred, with room for the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)


def _print_setup(ws: Worksheet, sheet: dict[str, Any], last: int) -> None:
    lang = sheet["lang"]
    fit_to_a4(ws, landscape=True)
    ws.print_title_rows = f"{HEADING_ROW}:{HEADING_ROW}"
    ws.print_area = f"A1:{LAST}{last}"
    ws.freeze_panes = f"A{HEADING_ROW + 1}"
    ws.oddFooter.left.text = footer(sheet)
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = text("page", lang)
    ws.oddFooter.right.size = 8


def footer(sheet: dict[str, Any]) -> str:
    """What the printout was drawn from: the ledger, how many entries, their Merkle root."""
    checkpoint = sheet["checkpoint"] or {}
    signed = text("signed", sheet["lang"]) if checkpoint.get("signed") else ""
    return text(
        "footer",
        sheet["lang"],
        ledger=sheet["ledger"]["id"],
        size=sheet["as_of"]["entries"],
        root=checkpoint.get("root", "-"),
        signed=signed,
    ).replace("&", "&&")


def _month(month: str) -> str:
    return f"{month[5:7]}/{month[:4]}"


def _date(day: str) -> str:
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}"


def _dated(data: bytes, stamp: datetime) -> bytes:
    """The same archive with every entry dated ``stamp`` (zip entries carry the clock)."""
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
