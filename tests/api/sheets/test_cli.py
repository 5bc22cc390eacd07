"""`ansinh report payroll --format sheet`: the same workbook as the server's, to a file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api import reading
from api.sheets.payroll import payroll_sheet
from api.sheets.xlsx import sheet_xlsx
from ledger.formats.vault import VaultKey
from tests.api.cli.test_reports import Cli
from tests.api.sheets.commune import ME, MONTH, make_sheetland
from tests.conftest import Story


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("ANSINH_DB", "ANSINH_VAULT_KEY", "ANSINH_VAULT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return Cli(db_url)


def test_cli_writes_the_printable_sheet_as_the_server_draws_it(
    story: Story, cli: Cli, tmp_path: Path
) -> None:
    land = make_sheetland(story, huoi=2, me=2)
    key = tmp_path / "vault.key"
    VaultKey.write(key, b"\x07" * 32)  # the `app` fixture's vault key
    out = tmp_path / "chi-tra.xlsx"
    args = ("--month", MONTH, "--village", ME, "--db", cli.db_url, "--vault-key", key)
    result = cli("payroll", *args, "--format", "sheet", "--out", out)
    assert f"wrote {out}" in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # names from the vault
    read = reading.read_at(reading.Direct(story.app), None)
    assert out.read_bytes() == sheet_xlsx(payroll_sheet(read, MONTH, village=ME))
    values = {c for row in load_workbook(out).active.iter_rows(values_only=True) for c in row}
    assert {land.names[land.heads[b]] for b, v in land.benefits.items() if v == ME} <= values


def test_cli_sheet_refused_without_a_file_or_with_an_unknown_program(
    story: Story, cli: Cli, tmp_path: Path
) -> None:
    make_sheetland(story, huoi=1, me=1)
    args = ("--month", MONTH, "--db", cli.db_url, "--format", "sheet")
    assert "--out" in cli("payroll", *args, code=2).output
    refused = cli("payroll", *args, "--program", "KHONG", "--out", tmp_path / "x.xlsx", code=1)
    assert "INVALID_FIELD" in refused.output and "program" in refused.output
    assert not (tmp_path / "x.xlsx").exists()
    filtered = cli("payroll", "--month", MONTH, "--db", cli.db_url, "--village", ME, code=2)
    assert "printable sheet only" in filtered.output
