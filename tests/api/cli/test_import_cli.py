"""``ansinh import``: a spreadsheet checked, then signed and recorded as one batch, or nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from api.service import LedgerService
from ledger.formats.keys import write_key_file
from tests.api.cli.officer import Cli, opts
from tests.api.client.server import running
from tests.api.imports.village import PAYROLL_HEADERS, Village, make_village, payroll_row, xlsx
from tests.conftest import Officers, Story, new_id

runner = CliRunner()


def households_file(cli: Cli, rows: list[list[Any]]) -> Path:
    path = cli.dir / f"{new_id()}.xlsx"
    path.write_bytes(xlsx([["Mã hộ", "Thôn/bản"], *rows]))
    return path


def test_a_filled_in_template_is_signed_and_recorded_as_one_batch(commune: Cli) -> None:
    template = commune.dir / "mau.xlsx"
    commune("import", "--template", "households", "--out", template)
    book = load_workbook(template)
    sheet = book.worksheets[0]
    sheet["A3"], sheet["B3"] = "HH-001", "Bản Huổi Một"
    sheet.append(["HH-002", "Bản Huổi Một"])
    book.save(template)
    before = len(commune.leaves())
    result = commune(
        "import", template, "--layout", "households", "--key", commune.key("registrar")
    )
    assert "2 statements recorded" in result.stdout
    leaves = commune.leaves()
    assert len(leaves) == before + 2


def test_three_bad_rows_in_500_are_all_reported_and_nothing_is_recorded(commune: Cli) -> None:
    rows: list[list[Any]] = [[f"HH-{i:04d}", "Bản Mé"] for i in range(500)]
    rows[41][1] = ""  # sheet row 43
    rows[199][0] = "HH-0003"  # repeats sheet row 5, on row 201
    rows[449][1] = "???"  # sheet row 451
    before = len(commune.leaves())
    path = households_file(commune, rows)
    result = commune(
        "import", path, "--layout", "households", "--key", commune.key("registrar"), code=1
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("Dòng")]
    assert [line.split(":")[0] for line in errors] == ["Dòng 43", "Dòng 201", "Dòng 451"]
    assert "MISSING_VALUE" in errors[0] and "DUPLICATE_HOUSEHOLD" in errors[1]
    assert "3 dòng có lỗi trong 500 dòng" in " ".join(result.stderr.split())
    assert len(commune.leaves()) == before


def test_a_dry_run_prints_what_would_be_signed_and_records_nothing(commune: Cli) -> None:
    before = len(commune.leaves())
    path = households_file(commune, [["HH-1", "Bản Mé"], ["HH-2", "Bản Mé"]])
    key = commune.key("registrar")
    result = commune("import", path, "--layout", "households", "--key", key, "--dry-run")
    planned = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(p["row"], p["type"], p["body"]["code"]) for p in planned] == [
        (2, "household.registered", "HH-1"),
        (3, "household.registered", "HH-2"),
    ]
    assert len(commune.leaves()) == before


def test_members_are_imported_with_their_vault_records(commune: Cli) -> None:
    commune("import", households_file(commune, [["HH-9", "Bản Mé"]]), "--layout", "households",
            "--key", commune.key("registrar"))  # fmt: skip
    path = commune.dir / "members.csv"
    path.write_bytes(
        "\ufeffMã hộ;Họ và tên;Số định danh;Ngày sinh;Giới tính;Quan hệ với chủ hộ\r\n"
        "HH-9;Lò Thị Ún;014190000777;02/03/1961;Nữ;Chủ hộ\r\n".encode()
    )
    key, vault = commune.key("registrar"), commune.key("vault")
    commune("import", path, "--layout", "persons", "--key", key, "--vault-key", vault)
    again = commune("import", path, *opts(layout="persons", key=key, vault_key=vault), code=1)
    assert "DUPLICATE_NATIONAL_ID" in again.stderr and "SECOND_HEAD" in again.stderr


def test_a_passphrase_variable_that_is_not_set_is_refused(commune: Cli) -> None:
    path = households_file(commune, [["HH-1", "Bản Mé"]])
    result = commune("import", path, *opts(layout="households", key=commune.key("registrar")),
                     "--passphrase-env", "NO_SUCH_PASSPHRASE", code=1)  # fmt: skip
    assert "NO_SUCH_PASSPHRASE" in result.stderr


@pytest.fixture
def url(service: LedgerService, story: Story) -> Iterator[str]:
    with running(service) as base:
        yield base


def test_a_payroll_is_checked_by_the_server_and_recorded_there(
    url: str, story: Story, officers: Officers, tmp_path: Path
) -> None:
    village: Village = make_village(story)
    key = tmp_path / "cashier.key"
    write_key_file(key, officers.keys["cashier"], None)
    sheet = tmp_path / "chi-tra.xlsx"
    rows = [PAYROLL_HEADERS, payroll_row(village.monthly), payroll_row(village.proposed, paid="")]
    sheet.write_bytes(xlsx(rows))
    before = story.app.size()
    args = ["import", str(sheet), "--layout", "payroll", "--key", str(key), "--url", url]
    result = runner.invoke(cli_app, [*args, "--month", "2022-02"])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "1 statements recorded" in result.stdout and "1 rows skipped" in result.stdout
    assert story.app.size() == before + 1
    again = runner.invoke(cli_app, [*args, "--month", "2022-02", "--lang", "en"])
    assert again.exit_code == 1
    assert "ALREADY_PAID" in again.stderr and "Row 2" in again.stderr
    assert story.app.size() == before + 1


def test_the_template_can_be_written_as_csv(cli: Cli) -> None:
    path = cli.dir / "mau.csv"
    cli("import", "--template", "payroll", "--out", path)
    header = path.read_bytes().decode("utf-8-sig").splitlines()[0]
    # the printed sheet's columns: its lookup code too (printed, never read back)
    assert header.split(",") == [*PAYROLL_HEADERS[:-1], "Mã tra cứu", "Ký nhận"]
    assert io.BytesIO(path.read_bytes()).read(3) == b"\xef\xbb\xbf"
