"""Reports laid out to hand in: the reconciliation and lists as workbooks to print and sign,
and each table as its own CSV file."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from api.sheets.report import report_xlsx
from projections.query import snapshot
from projections.reports.export import lists_views, reconciliation_views, to_csv
from projections.reports.lists import lists
from projections.reports.reconciliation import reconcile
from tests.conftest import Story
from tests.projections.verbs import AMOUNT

ROOT = "q1w2e3r4t5y6u7i8o9p0asdfghjklzxcvbnm1234567="


def reconciliation_book(story: Story, lang: str = "vi") -> Workbook:
    checkpoint = {"tree_size": story.app.size(), "root": ROOT, "signed": True}
    doc = reconcile(snapshot(story.app), "2022-01", "2022-02", "2022-02-28", None, checkpoint)
    return load_workbook(
        io.BytesIO(report_xlsx("reconciliation", doc, reconciliation_views(doc, lang), lang))
    )


def texts(ws: Worksheet) -> list[str]:
    return [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]


def heading_row(ws: Worksheet) -> int:
    return int(str(ws.print_title_rows).split(":")[0].lstrip("$"))


def test_every_sheet_prints_on_a4_fitted_to_width_with_its_headings_on_every_page(
    villages: Story,
) -> None:
    book = reconciliation_book(villages)
    for ws in book.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4 in the OOXML paper sizes
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        row = heading_row(ws)
        assert ws.cell(row, 1).value in ("Mã chương trình", "Thôn, bản", "Mã phát hiện"), ws.title
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
    assert book["Chương trình"].page_setup.orientation == "portrait"
    assert book["Sai phạm, bất thường"].page_setup.orientation == "landscape"  # ids are wide


def test_each_sheet_names_the_commune_the_motto_the_title_the_period_and_the_checkpoint(
    villages: Story,
) -> None:
    for ws in reconciliation_book(villages).worksheets:
        found = texts(ws)
        assert ws["A1"].value == "UBND XÃ CHIỀNG EN"
        for line in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "BÁO CÁO ĐỐI SOÁT CHI TRẢ CHÍNH SÁCH AN SINH XÃ HỘI",
            "Từ tháng 01/2022 đến tháng 02/2022",
            "Số liệu đến ngày 28/02/2022",
        ):
            assert line in found, (ws.title, line)
        (basis,) = [t for t in found if t.startswith("Lập từ sổ cái")]
        assert ROOT[:16] in basis and ROOT not in basis and "(đã ký)" in basis


def test_the_first_sheet_states_the_totals_each_beside_its_label(villages: Story) -> None:
    ws = reconciliation_book(villages).worksheets[0]
    doc = reconcile(snapshot(villages.app), "2022-01", "2022-02", "2022-02-28")
    found = {}
    for row in ws.iter_rows(max_row=heading_row(ws) - 1):
        cells = [c.value for c in row if c.value is not None]
        found.update(dict(zip(cells[::2], cells[1::2], strict=False)))
    assert found["Tổng mức hưởng (đ)"] == doc["totals"]["entitled"]
    assert found["Tổng đã chi (đ)"] == doc["totals"]["paid"] == 2 * (2 * AMOUNT + 600_000)
    assert found["Tổng chi thừa (đ)"] == doc["totals"]["overpaid"] == 200_000
    assert found["Số sai phạm, bất thường"] == len(doc["anomalies"])


def test_the_last_sheet_ends_with_the_place_date_and_three_signers(villages: Story) -> None:
    book = reconciliation_book(villages)
    *first, last = book.worksheets
    found = texts(last)
    for signer in ("Người lập biểu", "Kế toán", "Chủ tịch UBND xã"):
        assert signer in found
    assert found.count("(Ký, ghi rõ họ tên)") == 3
    assert "Chiềng En, ngày ..... tháng ..... năm ........" in found
    assert all("Kế toán" not in texts(ws) for ws in first)
    signers = next(c.row for row in last.iter_rows() for c in row if c.value == "Kế toán")
    assert int(str(last.print_area).rsplit("$", 1)[1]) >= signers + 4  # room to sign, printed


def test_every_subtotal_and_total_equals_the_sum_of_its_rows(villages: Story) -> None:
    book = reconciliation_book(villages, "en")
    checked = 0
    for ws in (book["Programs"], book["By village"]):
        money = [
            c
            for c in range(1, ws.max_column + 1)
            if "(VND)" in str(ws.cell(heading_row(ws), c).value)
        ]
        run: list[list[Any]] = []
        every: list[list[Any]] = []
        for row in ws.iter_rows(min_row=heading_row(ws) + 1, values_only=True):
            first = str(row[0] or "")
            if first.startswith(("Subtotal", "Total")):
                rows = run if first.startswith("Subtotal") else every
                for col in money:
                    assert row[col - 1] == sum(r[col - 1] for r in rows), (ws.title, first)
                checked += 1
                run = []
                if first.startswith("Total"):
                    break
            elif row[0] is not None and not first.startswith(("Funds", "Received")):
                run.append(list(row))
                every.append(list(row))
        assert every, ws.title
    assert checked >= 6  # two subtotals and a total, in each table


def test_months_are_month_cells_and_money_thousands(villages: Story) -> None:
    ws = reconciliation_book(villages)["Chương trình"]
    first = heading_row(ws) + 1
    month, entitled = ws.cell(first, 4), ws.cell(first, 5)
    assert month.value == datetime(2022, 1, 1) and month.number_format == "mm/yyyy"
    assert entitled.value in (2 * AMOUNT, 2 * 500_000)  # two villages
    assert entitled.number_format == "#,##0"


def test_the_lists_date_their_households_status(villages: Story) -> None:
    doc = lists(snapshot(villages.app), "2022-02-28")
    book = load_workbook(io.BytesIO(report_xlsx("lists", doc, lists_views(doc))))
    ws = book.worksheets[0]
    effective = ws.cell(heading_row(ws) + 1, 4)
    assert effective.value == datetime(2021, 12, 1) and effective.number_format == "dd/mm/yyyy"
    assert "DANH SÁCH HỘ NGHÈO, CẬN NGHÈO VÀ ĐỐI TƯỢNG HƯỞNG CHÍNH SÁCH" in texts(ws)


def test_a_csv_file_holds_one_table_after_a_byte_order_mark(villages: Story) -> None:
    doc = reconcile(snapshot(villages.app), "2022-01", "2022-02")
    for view in reconciliation_views(doc):
        data = to_csv(view)
        assert data.startswith("\ufeff".encode())
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == list(view.headings)
        assert len(rows) == 1 + len(view.rows)  # one table: no title rows, no other table


def test_the_command_writes_each_table_to_its_own_csv_file(
    villages: Story, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSINH_DB", raising=False)
    args = ["report", "reconciliation", "--from", "2022-01", "--to", "2022-02", "--db", db_url]
    written = CliRunner().invoke(
        cli_app, [*args, "--format", "csv", "--out", tmp_path / "doi-soat.csv"]
    )
    assert written.exit_code == 0, written.output
    names = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert names == [
        "doi-soat-chuong-trinh.csv",
        "doi-soat-kinh-phi.csv",
        "doi-soat-sai-pham-bat-thuong.csv",
        "doi-soat-theo-thon-ban.csv",
    ]
    assert (tmp_path / "doi-soat-kinh-phi.csv").read_bytes().startswith(b"\xef\xbb\xbfM")
    refused = CliRunner().invoke(cli_app, [*args, "--format", "csv"])
    assert refused.exit_code == 2
    assert "--table" in refused.output and "programs, villages, funds, anomalies" in refused.output
    one = CliRunner().invoke(cli_app, [*args, "--format", "csv", "--table", "villages"])
    assert one.exit_code == 0 and one.stdout.startswith("\ufeffThôn, bản") is False
    assert one.stdout.startswith('\ufeff"Thôn, bản",Mã chương trình')
