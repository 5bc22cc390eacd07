"""Blank lists to fill in: an XLSX with the layout's headers, an example row and a help sheet.

The first sheet has a title row, the header row (bold, frozen under it),
one invented example row, and column widths to fit; id-number columns are
formatted as text so that Excel keeps their leading zeros. The second
sheet, "Hướng dẫn", explains each column. The CSV template (UTF-8 with a
byte-order mark, so that Excel opens it with its diacritics) holds the
header and the example row. A filled-in template imports as it is.
"""

from __future__ import annotations

import csv
import io

from api.imports.layouts import Layout

GUIDE_SHEET = "Hướng dẫn"
EXAMPLE_NOTE = {
    "vi": "Dòng ví dụ (thông tin giả định): xóa hoặc ghi đè trước khi nhập.",
    "en": "Example row (invented): delete or overwrite it before importing.",
}


def template_xlsx(layout: Layout, lang: str = "vi") -> bytes:
    """The layout's blank list as an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = layout.title(lang)[:31]
    sheet.append([layout.title(lang).upper()])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([c.header(lang) for c in layout.columns])
    sheet.append([c.example for c in layout.columns])
    for position, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(position)
        header = sheet.cell(row=2, column=position)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="center")
        width = max(len(column.header(lang)), len(column.example)) + 4
        sheet.column_dimensions[letter].width = min(max(width, 10), 42)
        if column.text_format:
            for row in range(3, 1003):
                sheet.cell(row=row, column=position).number_format = "@"
    sheet.freeze_panes = "A3"
    guide = book.create_sheet(GUIDE_SHEET)
    guide.append([layout.title(lang)])
    guide["A1"].font = Font(bold=True, size=13)
    guide.append([EXAMPLE_NOTE[lang]])
    guide.append([])
    heading = (
        ["Cột", "Bắt buộc", "Ví dụ", "Cách điền"]
        if lang != "en"
        else [
            "Column",
            "Required",
            "Example",
            "How to fill it in",
        ]
    )
    guide.append(heading)
    for cell in guide[4]:
        cell.font = Font(bold=True)
    yes, no = ("có", "không") if lang != "en" else ("yes", "no")
    for column in layout.columns:
        explain = column.help_en if lang == "en" else column.help_vi
        guide.append([column.header(lang), yes if column.required else no, column.example, explain])
    for letter, width in zip("ABCD", (30, 10, 40, 90), strict=True):
        guide.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(layout: Layout, lang: str = "vi") -> bytes:
    """The header and example row as CSV, UTF-8 with a byte-order mark, comma separated."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in layout.columns])
    writer.writerow([c.example for c in layout.columns])
    return text.getvalue().encode("utf-8-sig")
