"""The cashier's screens driven as a cashier would: import a payroll, print it, pay a month."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pypdf
from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.browser.console.officer import Sent

LONG = 120_000  # ms: 500 rows read, signed and recorded on a busy machine


def squashed(text: str) -> str:
    """Text without spaces: a PDF's text puts spaces around some letters with marks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def read_file(page: Page, path: Path) -> None:
    page.set_input_files("#import-file", str(path))
    page.click("#read-file")
    expect(page.locator("#import-summary")).to_be_visible(timeout=LONG)


def refused_import(page: Page, wrong: Path, bad: int) -> None:
    """The file with bad rows: every one shown, its cell marked, nothing to sign."""
    page.click("#tab-import")
    page.select_option("#layout", "payroll")
    page.fill("#import-month", "01/2022")
    read_file(page, wrong)
    expect(page.locator("#bad-count")).to_have_text(f"{bad} dòng lỗi")
    expect(page.locator("#nothing-recorded")).to_be_visible()
    bad_rows = page.locator("#import-rows tr.bad")
    expect(bad_rows).to_have_count(bad)
    expect(bad_rows.first.locator("td.bad-cell")).to_have_count(1)
    assert page.locator("#sign-all").count() == 0
    shoot(page, "console-import-errors")


def recorded_import(page: Page, fixed: Path, sent: Sent, rows: int) -> None:
    """The fixed file: signed in the browser, sent as ONE JSON-lines submission."""
    before = len(sent.posts("/v1/statements"))
    read_file(page, fixed)
    expect(page.locator("#bad-count")).to_have_text("0 dòng lỗi")
    shoot(page, "console-import-clean")
    page.click("#sign-all")
    expect(page.locator("#batch-recorded")).to_be_visible(timeout=LONG)
    batches = sent.posts("/v1/statements")[before:]
    assert len(batches) == 1
    assert batches[0]["headers"]["content-type"] == "application/jsonl"
    assert batches[0]["body"].count(b"\n") == rows
    shoot(page, "console-import-recorded")


def printed_sheet(page: Page, month: str, village: str) -> list[str]:
    """The payroll sheet of a village, printed to PDF: each page's text, squashed."""
    page.click("#tab-payroll")
    page.fill("#payroll-month", month)
    page.select_option("#payroll-village", village)
    page.click("#show-sheet")
    expect(page.locator("#sheet")).to_contain_text("Ký nhận")
    shoot(page, "console-payroll-sheet")
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    return [squashed(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pay_on_screen(page: Page, month: str, count: int) -> None:
    """Tick the first ``count`` rows of the month as paid (a receipt number each), sign."""
    page.fill("#payroll-month", month)
    page.click("#show-sheet")
    expect(page.locator("#sheet")).to_contain_text(f"THÁNG {month}")
    page.click("#pay")
    rows = page.locator("#record-payments tbody tr")
    for i in range(count):
        rows.nth(i).locator(".paid-tick").check()
        rows.nth(i).locator(".receipt-no").fill(f"BN-{month}-{i + 1}")
    shoot(page, "console-payments")
    page.click("#sign-payments")
    expect(page.locator("#payments-recorded")).to_be_visible()
