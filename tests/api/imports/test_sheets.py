"""How files are read: CSV with or without BOM, ; or , separated; headers under titles."""

from __future__ import annotations

import io

import pytest

from api.imports.messages import ImportRefused
from api.imports.preview import layout_of
from api.imports.templates import GUIDE_SHEET, template_csv, template_xlsx
from tests.api.imports.village import PAYROLL_HEADERS, Village, codes, csv_bytes, payroll_row, xlsx

ROWS = [["Mã hộ", "Thôn/bản"], ["HH-601", "Bản Mé"], ["HH-602", "Bản Huổi Một"]]


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_is_read_with_or_without_bom_and_either_separator(
    village: Village, delimiter: str, bom: bool
) -> None:
    preview = village.parse("households", csv_bytes(ROWS, delimiter, bom), "csv")
    assert codes(preview) == []
    assert [b["village"] for _, _, b in preview.statements] == ["Bản Mé", "Bản Huổi Một"]


def test_the_header_is_found_below_title_rows_in_any_order_with_extra_columns(
    village: Village,
) -> None:
    rows = [
        ["ỦY BAN NHÂN DÂN XÃ CHIỀNG EN"],
        [],
        ["DANH SÁCH HỘ GIA ĐÌNH NĂM 2022"],
        ["Ghi chú", "thôn / BẢN", "mã hộ:"],
        ["", "Bản Mé", "HH-701"],
        [],
        ["không tính", "Bản Mé", "HH-702"],
    ]
    preview = village.parse("households", xlsx(rows))
    assert codes(preview) == []
    assert [r.number for r in preview.rows] == [5, 7]
    assert [b["code"] for _, _, b in preview.statements] == ["HH-701", "HH-702"]


def test_a_header_lower_than_row_15_or_missing_a_column_is_refused(village: Village) -> None:
    low = [["tiêu đề"]] * 15 + ROWS
    with pytest.raises(ImportRefused) as refused:
        village.parse("households", xlsx(low))
    assert refused.value.code == "NO_HEADER"
    with pytest.raises(ImportRefused) as refused:
        village.parse("households", xlsx([["Mã hộ", "Ghi chú"], ["HH-1", "x"]]), lang="en")
    assert refused.value.code == "MISSING_COLUMN"
    assert refused.value.message == "Header row 1 lacks required columns: Village."


def test_csv_that_is_not_utf8_is_refused_with_a_hint(village: Village) -> None:
    with pytest.raises(ImportRefused) as refused:
        village.parse("households", "Mã hộ,Thôn/bản\n".encode("utf-16"), "csv")
    assert refused.value.code == "UNREADABLE_FILE"
    assert "CSV UTF-8" in refused.value.message


@pytest.mark.parametrize("layout", ["households", "persons", "benefits", "payroll"])
def test_each_template_has_its_headers_an_example_and_a_guide(layout: str) -> None:
    from openpyxl import load_workbook

    chosen = layout_of(layout)
    book = load_workbook(io.BytesIO(template_xlsx(chosen)))
    first, guide = book.worksheets
    assert guide.title == GUIDE_SHEET
    assert [c.value for c in first[2]] == [c.vi for c in chosen.columns]
    assert first.column_dimensions["A"].width >= 10
    described = [row[0] for row in guide.iter_rows(min_row=5, values_only=True)]
    assert described == [c.vi for c in chosen.columns]
    text = template_csv(chosen).decode("utf-8-sig").splitlines()
    assert text[0].split(",") == [c.vi for c in chosen.columns]


def test_a_filled_in_households_template_imports(village: Village) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx(layout_of("households"))))
    sheet = book.worksheets[0]
    sheet["A3"], sheet["B3"] = "HH-801", "Bản Nà Sản"  # over the example row
    sheet.append(["HH-802", "Bản Nà Sản"])
    out = io.BytesIO()
    book.save(out)
    preview = village.parse("households", out.getvalue())
    assert codes(preview) == []
    assert len(village.record(preview)) == 2


def test_a_filled_in_payroll_template_imports(village: Village) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(template_xlsx(layout_of("payroll"))))
    sheet = book.worksheets[0]
    # the template has the printed sheet's columns; the lookup code is printed, not read
    assert [c.value for c in sheet[2]] == [*PAYROLL_HEADERS[:-1], "Mã tra cứu", "Ký nhận"]
    sheet.delete_rows(3)
    sheet.append(payroll_row(village.monthly))
    out = io.BytesIO()
    book.save(out)
    preview = village.parse("payroll", out.getvalue(), month="2022-02")
    assert codes(preview) == [] and len(preview.statements) == 1
    assert len(village.record(preview)) == 1


def test_the_csv_template_filled_in_imports(village: Village) -> None:
    header = template_csv(layout_of("households")).decode("utf-8-sig").splitlines()[0]
    data = ("\ufeff" + header + "\r\nHH-901,Bản Mé\r\n").encode("utf-8")
    preview = village.parse("households", data, "csv")
    assert codes(preview) == [] and len(preview.statements) == 1
