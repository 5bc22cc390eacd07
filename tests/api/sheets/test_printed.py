"""Reports printed to PDF (the workbook, by LibreOffice): the demo's six-month reconciliation
fits on four A4 pages, and no page holds table rows without their heading row."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from tests.conftest import Story
from tests.support.paths import ROOT

MONEY = re.compile(r"\d{1,3}(,\d{3})+")
SIGNERS = ("Prepared by", "Accountant", "Chairman of the Commune People's Committee")


@pytest.fixture(scope="module")
def office() -> str:
    """LibreOffice, installed when missing (as ``make test`` does); never a skip."""
    if shutil.which("soffice") is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "ensure-libreoffice.sh")], check=False)
    found = shutil.which("soffice")
    if found is None:
        pytest.fail(
            "soffice is not installed (make test installs it: scripts/ensure-libreoffice.sh)"
        )
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo ledger (xã Chiềng En, January to June 2022), built once for the module."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "ansinh.db"
    args = ["demo", "--db", str(db), "--keys", str(folder / "keys"), "--no-later"]
    built = CliRunner().invoke(cli_app, args)
    assert built.exit_code == 0, built.output
    yield db


def pdf_of(db: Path | str, out: Path, *args: str) -> PdfReader:
    command = ["report", "reconciliation", "--from", "2022-01", "--db", str(db), *args]
    result = CliRunner().invoke(cli_app, [*command, "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    return PdfReader(io.BytesIO(out.read_bytes()))


def test_the_pdf_holds_the_title_and_the_signature_block(
    villages: Story,
    db_url: str,
    tmp_path: Path,
    office: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ANSINH_DB", raising=False)
    reader = pdf_of(db_url, tmp_path / "doi-soat.pdf", "--to", "2022-02", "--lang", "en")
    assert len(reader.pages) >= 1
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "RECONCILIATION OF SOCIAL WELFARE PAYMENTS" in text
    assert "SOCIALIST REPUBLIC OF VIET NAM" in text and "From 01/2022 to 02/2022" in text
    for signer in SIGNERS:
        assert signer in text
    assert text.count("(Signature, full name)") == 3


def test_the_demo_reconciliation_prints_on_four_pages_each_with_its_headings(
    demo: Path, tmp_path: Path, office: str
) -> None:
    vi = pdf_of(demo, tmp_path / "doi-soat.pdf", "--to", "2022-06")
    assert len(vi.pages) <= 4
    reader = pdf_of(demo, tmp_path / "reconciliation.pdf", "--to", "2022-06", "--lang", "en")
    assert len(reader.pages) <= 4
    pages = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(pages, 1):
        if MONEY.search(text):  # a page with rows of money holds their heading row
            assert "(VND)" in text and "Program code" in text, number
        if "UNPAID_ENTITLEMENT" in text:
            assert "Finding" in text and "Detail" in text and "Verify" in text, number
            assert "Payment id" not in text, number  # its UUIDs stay in the CSV and JSON
        for line in text.splitlines():  # a total is on the page of the rows it adds up
            if line.startswith(("Total (", "Subtotal ")):
                assert MONEY.search(line), (number, line)
    assert "From 01/2022 to 06/2022" in pages[0] and "Figures as on" in pages[0]
    assert "Received (VND)" in pages[0]  # the funds, short, before the programs
    command = ["report", "reconciliation", "--from", "2022-01", "--to", "2022-06", "--db"]
    doc = json.loads(CliRunner().invoke(cli_app, [*command, str(demo), "--format", "json"]).stdout)
    for key, value in doc["totals"].items():  # each total's label on the line of its value
        assert f"Total {key} (VND) {value:,}" in pages[0], key
    assert f"Anomalies {len(doc['anomalies'])} " in pages[0]
    assert "Prepared by" in pages[-1] and "(Signature, full name)" in pages[-1]
    assert sum(text.count("Total (") for text in pages) == 3  # programs, villages, funds
    entitled = doc["totals"]["entitled"]  # in Vietnamese, thousands are separated by dots
    assert f"{entitled:,}".replace(",", ".") in vi.pages[0].extract_text()


def test_the_reconciliation_downloads_as_a_pdf(
    client: Any,
    villages: Story,
    office: str,
) -> None:
    url = "/v1/reports/reconciliation?from=2022-01&to=2022-02&format=pdf&lang=en"
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="doi-soat-2022-01-2022-02.pdf"' in response.headers["content-disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "RECONCILIATION OF SOCIAL WELFARE PAYMENTS" in text and "Accountant" in text


def test_without_libreoffice_the_pdf_is_refused_naming_what_to_install(
    villages: Story,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ANSINH_DB", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice to be found
    args = ["report", "reconciliation", "--from", "2022-01", "--to", "2022-01", "--db", db_url]
    out = tmp_path / "doi-soat.pdf"
    result = CliRunner().invoke(cli_app, [*args, "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith("PRINT_UNAVAILABLE: format:")
    assert "libreoffice-calc-nogui" in result.stderr and not out.exists()
    refused = CliRunner().invoke(cli_app, [*args, "--format", "pdf"])
    assert refused.exit_code == 2 and "--out" in refused.output
