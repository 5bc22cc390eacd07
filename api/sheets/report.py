"""Reports as workbooks to print and hand in: reconciliation, approved lists, payroll.

Each sheet is a commune form (:mod:`api.sheets.printout`): the commune and the
national motto, the title, the period and the checkpoint the figures were
drawn from, the tables with their subtotals and totals, and after the last
table the place, the date and who signs. Months and dates are date cells
(``mm/yyyy``, ``dd/mm/yyyy``), money ``#,##0`` (a sum beyond 2^53 - 1 is text,
where a number would be rounded). A4, fitted to the page's width, landscape
where the table is wide, the heading row of a sheet's longest table repeated
on every page (a shorter table comes first, on the first page), page numbers
in the footer. The same document gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from api.sheets.columns import text
from api.sheets.printout import Printout, Table, printout, sheet_title
from api.sheets.xlsx import fit_to_a4
from ledger.formats.versions import exact_json
from projections.reports.export import MONEY_FORMAT, View, fixed_zip, stamp_of

FONT = "Times New Roman"
MONTH_FORMAT = "mm/yyyy"
DATE_FORMAT = "dd/mm/yyyy"
MONTH_KEYS = frozenset({"month", "start", "end", "from", "to", "months"})
DATE_KEYS = frozenset({"effective", "paid_on", "on", "died_on", "decision_date"})
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
WIDE = 150  # a sheet's columns wider than this (characters) print landscape
LINE_PT = 13  # a line of 10-point text
UNIT_PT = 5.25  # a unit of column width (a digit of the default font), in points
PADDING_PT = 1.0  # a cell's margins, less what a width unit adds
SPACE_PT = 2.5
MIN_COLUMNS = 6  # room for the motto and three signers side by side
_thin = Side(style="thin")
BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
SUM_FILL = PatternFill("solid", fgColor="F5F5F5")


def report_xlsx(kind: str, doc: dict[str, Any], views: list[View], lang: str = "vi") -> bytes:
    """The workbook of report ``kind`` (reconciliation, lists, payroll) of ``doc``, laid out
    by :func:`api.sheets.printout.printout`; the same document gives the same bytes."""
    found = printout(kind, doc, views, lang)
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for number, tables in enumerate(found.sheets):
        ws = wb.create_sheet(sheet_title([t.view for t in tables], lang))
        _sheet(ws, found, tables, first=number == 0, last=number == len(found.sheets) - 1)
    if not found.sheets:  # a report without tables still states what it is
        _sheet(wb.create_sheet(sheet_title([], lang)), found, [], first=True, last=True)
    stamp = stamp_of(doc["as_of"]["recorded_at"]).astimezone(UTC).replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "ansinh"
    wb.properties.title = found.title
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return fixed_zip(raw.getvalue(), stamp)


def _font(size: int = 10, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _line(ws: Worksheet, row: int, span: tuple[int, int], value: str, font: Font) -> None:
    """``value`` across columns ``span`` of ``row``, centred."""
    first, last = span
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row, first, value)
    cell.font = font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _sheet(ws: Worksheet, found: Printout, tables: list[Table], *, first: bool, last: bool) -> None:
    width = max([MIN_COLUMNS, *(len(t.view.columns) for t in tables)])
    half = max(2, width // 2)
    _line(ws, 1, (1, half - 1), found.commune.upper(), _font(11, bold=True))
    _line(ws, 1, (half, width), text("motto", found.lang), _font(11, bold=True))
    _line(ws, 2, (half, width), text("motto2", found.lang), _font(11, bold=True))
    ws.cell(2, half).font = Font(name=FONT, size=11, bold=True, underline="single")
    ws.row_dimensions[1].height = 30
    _line(ws, 4, (1, width), found.title, _font(13, bold=True))
    row = 5
    for subtitle in found.subtitles:
        _line(ws, row, (1, width), subtitle, _font(italic=True))
        row += 1
    _line(ws, row, (1, width), found.basis, _font(8, italic=True))
    row += 2
    if first and found.facts:
        row = _facts(ws, found.facts, row, width) + 1
    heading_rows: dict[int, int] = {}  # lines of a table -> its heading row
    widths = _widths(ws, tables)
    for table in tables:
        heading_rows[len(table.lines)] = row + 1  # a tie: the last
        row = _table(ws, found, table, (row, widths)) + 1
    if last:
        row = _signatures(ws, found, row, width)
    longest = heading_rows[max(heading_rows)] if heading_rows else None
    _print_setup(ws, found, longest, (width, row))


def _facts(ws: Worksheet, facts: list[tuple[str, Any]], row: int, width: int) -> int:
    """The report's totals, two a row, each label on the row of its value; the row after."""
    half = width // 2
    places = ((1, 2, 3), (half + 1, half + 2, half + 3))
    for number, (heading, value) in enumerate(facts):
        first, last, at = places[number % 2]
        at = min(at, width)
        line = row + number // 2
        if last < at:
            ws.merge_cells(start_row=line, start_column=first, end_row=line, end_column=last)
        ws.cell(line, first, heading).font = _font()
        cell = ws.cell(line, at)
        _put(cell, "", value, money=isinstance(value, int))
        cell.font = _font(bold=True)
    return row + -(-len(facts) // 2)


def _table(ws: Worksheet, found: Printout, table: Table, at: tuple[int, dict[int, int]]) -> int:
    """The table's title, heading row, lines (``at``: its first row, the column widths);
    the row after it."""
    row, widths = at
    view = table.view
    last = max(1, len(view.columns))
    ws.cell(row, 1, view.title).font = _font(11, bold=True)
    if any(c in ("entitled", "paid", "due", "amount", "received") for c in view.columns):
        ws.cell(row, last, text("unit", found.lang)).font = _font(9, italic=True)
        ws.cell(row, last).alignment = Alignment(horizontal="right")
    row += 1
    for col, heading in enumerate(view.headings, 1):
        cell = ws.cell(row, col, heading)
        cell.font, cell.border, cell.fill = _font(bold=True), BOX, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = _height(view.headings, widths)
    row += 1
    if not table.lines:
        _line(ws, row, (1, last), found.say("empty"), _font(italic=True))
        return row + 1
    for line in table.lines:
        for col, value in enumerate(line.cells, 1):
            cell = ws.cell(row, col)
            _put(cell, view.columns[col - 1], value, money=col - 1 in table.summed)
            cell.border, cell.font = BOX, _font(bold=line.kind != "data")
            if line.kind != "data":
                cell.fill = SUM_FILL
        if line.kind != "data":
            span = min(_first_summed(table), len(view.columns))
            if span > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
            ws.cell(row, 1).value = line.label
            ws.cell(row, 1).alignment = Alignment(horizontal="left", vertical="center")
        else:
            ws.row_dimensions[row].height = _height(line.cells, widths)
        row += 1
    return row


def _height(cells: Sequence[Any], widths: dict[int, int]) -> float:
    """A row's height (points) for its wrapped text: office suites do not measure it when
    they open a file, so it is set; the same cells always give the same height."""
    room = {c: w * UNIT_PT - PADDING_PT for c, w in widths.items()}
    lines = max([1, *(_lines(v, room.get(c, 50.0)) for c, v in enumerate(cells))])
    return LINE_PT * min(lines, 8)


def _lines(value: Any, room_pt: float) -> int:
    """How many lines ``value`` takes, wrapped at its words into ``room_pt`` points."""
    if not isinstance(value, str):
        return 1
    count = 0
    for paragraph in value.split("\n"):
        used = room_pt  # the first word starts a line
        for word in paragraph.split() or [""]:
            wide = _width_pt(word)
            if used + SPACE_PT + wide > room_pt:
                count += max(1, -int(-wide // room_pt))
                used = wide % room_pt
            else:
                used += SPACE_PT + wide
    return count


def _width_pt(word: str) -> float:
    """About how wide ``word`` prints in 10-point Times (a measure that errs wide)."""
    return sum(6.7 if c.isupper() else 5.0 if c.isdigit() else 4.0 for c in word)


def _first_summed(table: Table) -> int:
    """How many leading columns a sum row's label may take (those before the first sum)."""
    return table.summed[0] if table.summed else len(table.view.columns)


def _put(cell: Cell, key: str, value: Any, *, money: bool) -> None:
    """A cell's value as Excel should hold it: a date, a month, a number, or text."""
    alignment = Alignment(vertical="center", wrap_text=True)
    when = _when(key, value)
    if when is not None:
        cell.value, cell.number_format = when
        cell.alignment = Alignment(horizontal="center", vertical="center")
        return
    cell.value = exact_json(value)  # Excel's numbers are doubles: a larger sum is text
    if isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = MONEY_FORMAT
        alignment = Alignment(horizontal="right", vertical="center")
    elif money:
        alignment = Alignment(horizontal="right", vertical="center")
    cell.alignment = alignment


def _when(key: str, value: Any) -> tuple[datetime, str] | None:
    """A month or date column's text as a date cell and its format; else None."""
    if not isinstance(value, str):
        return None
    if (key in MONTH_KEYS or key.endswith("_month")) and _MONTH.match(value):
        return datetime(int(value[:4]), int(value[5:7]), 1), MONTH_FORMAT
    if (key in DATE_KEYS or key.endswith(("_on", "_date"))) and _DATE.match(value):
        return datetime(int(value[:4]), int(value[5:7]), int(value[8:10])), DATE_FORMAT
    return None


def _widths(ws: Worksheet, tables: list[Table]) -> dict[int, int]:
    """Each column as wide as its widest heading word or cell (within bounds)."""
    widths: dict[int, int] = {}
    for table in tables:
        for col, key in enumerate(table.view.columns):
            heading = max(len(w) for w in table.view.headings[col].split() or [""])
            cells = [len(str(r[col] or "")) for r in table.view.rows[:300]]
            wanted = max([heading + 1, 6, *(c + 2 for c in cells)])
            if key in MONTH_KEYS:
                wanted = max(heading + 1, 9)
            elif key in DATE_KEYS:
                wanted = max(heading + 1, 11)
            widest = 40 if key in ("detail", "commands") else 34
            widths[col] = max(widths.get(col, 0), min(wanted, widest))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col + 1)].width = width
    for col in range(len(widths), MIN_COLUMNS):
        ws.column_dimensions[get_column_letter(col + 1)].width = 14
    return widths


def _signatures(ws: Worksheet, found: Printout, row: int, width: int) -> int:
    """The place and date line, then three signers side by side; the last row of the room
    left to sign."""
    third = width // 3
    spans = [(1, third), (third + 1, 2 * third), (2 * third + 1, width)]
    _line(ws, row, spans[2], found.say("place", place=found.place), _font(italic=True))
    for span, (role, hint) in zip(spans, found.signers, strict=True):
        _line(ws, row + 1, span, role, _font(11, bold=True))
        _line(ws, row + 2, span, hint, _font(9, italic=True))
    for blank in range(row + 3, row + 7):  # room to sign
        ws.row_dimensions[blank].height = 16
    return row + 6


def _print_setup(
    ws: Worksheet,
    found: Printout,
    heading_row: int | None,
    size: tuple[int, int],
) -> None:
    """A4, fitted to the width, the heading row of the sheet's longest table repeated."""
    width, last_row = size
    wide = sum(ws.column_dimensions[get_column_letter(c)].width or 10 for c in range(1, width + 1))
    fit_to_a4(ws, landscape=wide > WIDE)
    if heading_row is not None:
        ws.print_title_rows = f"{heading_row}:{heading_row}"
        ws.freeze_panes = f"A{heading_row + 1}"
    ws.print_area = f"A1:{get_column_letter(width)}{last_row}"
    ws.oddFooter.left.text = found.basis.replace("&", "&&")
    ws.oddFooter.left.size = 7
    ws.oddFooter.right.text = text("page", found.lang)
    ws.oddFooter.right.size = 8
