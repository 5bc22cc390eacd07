"""The fast sheet reader reads what openpyxl reads, or declines and leaves the file to openpyxl."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from api.imports import xlsx
from api.imports.preview import layout_of
from api.imports.templates import template_xlsx

EXCEL = Path(__file__).parent / "excel"  # the parts of a workbook as Excel writes one
SHEET = (EXCEL / "xl/worksheets/sheet1.xml").read_text(encoding="utf-8")


def workbook(sheet: str = SHEET) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part in sorted(EXCEL.rglob("*.xml")) + sorted(EXCEL.rglob("*.rels")):
            name = part.relative_to(EXCEL).as_posix()
            text = sheet if name == "xl/worksheets/sheet1.xml" else part.read_text("utf-8")
            archive.writestr(name, text)
    return out.getvalue()


def both(data: bytes) -> tuple[list[tuple[Any, ...]] | None, list[tuple[Any, ...]]]:
    fast = xlsx.rows(zipfile.ZipFile(io.BytesIO(data)))
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    slow = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return fast, slow


def trimmed(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows without their trailing empty cells, as the fast reader gives them."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        out.append(tuple(cells))
    return out


def test_a_sheet_as_excel_writes_it_reads_as_openpyxl_reads_it() -> None:
    fast, slow = both(workbook())
    assert fast is not None
    assert fast == trimmed(slow)
    assert fast[2] == (
        "HH-001",
        datetime.datetime(2022, 1, 15),
        1_624_000,
        " A & B ",
        True,
        "HH-001",
    )
    assert fast[1] == ()


def test_a_sheet_openpyxl_writes_reads_the_same_by_both() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tiêu đề"])
    sheet.append([])
    sheet.append(["a<b & c", 12, 1.5, datetime.date(2022, 2, 10), None, "014190000201", False])
    out = io.BytesIO()
    book.save(out)
    fast, slow = both(out.getvalue())
    assert fast is not None and fast == trimmed(slow)


def test_the_templates_are_read_the_fast_way() -> None:
    for layout in ("households", "persons", "benefits", "payroll"):
        fast, slow = both(template_xlsx(layout_of(layout)))
        assert fast is not None and fast == trimmed(slow)[: len(fast)]


def test_a_cell_it_does_not_expect_leaves_the_file_to_openpyxl() -> None:
    rich = SHEET.replace(
        '<c r="C3"><v>1624000</v></c>', '<c r="C3" t="inlineStr"><is><r><t>x</t></r></is></c>'
    )
    assert xlsx.rows(zipfile.ZipFile(io.BytesIO(workbook(rich)))) is None
    reordered = SHEET.replace('<c r="C3"><v>', '<c s="0" r="C3"><v>')
    assert xlsx.rows(zipfile.ZipFile(io.BytesIO(workbook(reordered)))) is None
