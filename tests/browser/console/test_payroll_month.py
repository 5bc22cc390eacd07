"""The cashier's month in the console, in Chromium: import, print, pay.

A payroll of 500 rows filled in as a spreadsheet, three of them wrong: every
bad row is shown with its problem and nothing is recorded. Fixed, it is
signed in the browser and recorded as one JSON-lines submission: the log
grows by exactly 500. The sheet of one village prints (a PDF with the
"Ký nhận" column on every page); February's payments are recorded on one
screen; the public pages and the reconciliation show the money paid.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pypdf
from playwright.sync_api import Page, expect

from tests.browser.conftest import Live, shoot
from tests.browser.console.commune import AMOUNT, build, payroll_xlsx
from tests.browser.console.officer import key_file, sign_in, watch
from tests.conftest import Story

BAD = {17: {"paid_on": "32/01/2022"}, 250: {"paid": "nhiều"}, 499: {"method": "Séc"}}
LONG = 120_000  # ms: 500 rows read, signed and recorded


def squashed(text: str) -> str:
    """Text without spaces: a PDF's text puts spaces around some letters with marks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def read_file(page: Page, path: Path) -> None:
    page.set_input_files("#import-file", str(path))
    page.click("#read-file")
    expect(page.locator("#import-summary")).to_be_visible(timeout=LONG)


def test_a_cashier_imports_prints_and_pays_a_month(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    due = build(story)
    cashier = key_file(tmp_path, "cashier", story.o.keys["cashier"], None)
    sent = watch(page)
    sign_in(page, live.url, cashier)

    page.click("#tab-import")
    page.select_option("#layout", "payroll")
    page.fill("#import-month", "01/2022")
    wrong, fixed = tmp_path / "chi-tra-sai.xlsx", tmp_path / "chi-tra.xlsx"
    wrong.write_bytes(payroll_xlsx(due, BAD))
    fixed.write_bytes(payroll_xlsx(due))
    before = story.app.size()
    read_file(page, wrong)
    expect(page.locator("#bad-count")).to_have_text("3 dòng lỗi")
    expect(page.locator("#nothing-recorded")).to_be_visible()
    bad_rows = page.locator("#import-rows tr.bad")
    assert bad_rows.count() == 3
    expect(bad_rows.first).to_contain_text("Ngày nhận")
    assert page.locator("#sign-all").count() == 0
    shoot(page, "console-import-errors")
    assert story.app.size() == before

    read_file(page, fixed)
    expect(page.locator("#bad-count")).to_have_text("0 dòng lỗi")
    shoot(page, "console-import-clean")
    page.click("#sign-all")
    expect(page.locator("#batch-recorded")).to_be_visible(timeout=LONG)
    assert story.app.size() == before + 500
    (batch,) = sent.posts("/v1/statements")
    assert batch["headers"]["content-type"] == "application/jsonl"
    assert batch["body"].count(b"\n") == 500
    shoot(page, "console-import-recorded")

    page.click("#tab-payroll")
    page.fill("#payroll-month", "01/2022")
    page.select_option("#payroll-village", "Bản Nà")
    page.click("#show-sheet")
    expect(page.locator("#sheet")).to_contain_text("Ký nhận")
    shoot(page, "console-payroll-sheet")
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    texts = [squashed(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    assert 8 <= len(texts) <= 13, len(texts)  # 100 rows of one village, a dozen a page at most
    for number, text in enumerate(texts, start=1):
        assert squashed("Ký nhận") in text, f"page {number} has no heading for signatures"
        assert squashed(f"Trang {number}/{len(texts)}") in text
    everything = "".join(texts)
    village_names = [d.name for d in due if d.village == "Bản Nà"]
    assert all(squashed(name) in everything for name in village_names)
    assert squashed("Bản Lọng") not in everything  # only the village asked for

    page.fill("#payroll-month", "02/2022")
    page.click("#show-sheet")
    expect(page.locator("#sheet")).to_contain_text("THÁNG 02/2022")
    page.click("#pay")
    rows = page.locator("#record-payments tbody tr")
    expect(rows).to_have_count(100)
    for i in (0, 1):
        rows.nth(i).locator(".paid-tick").check()
        rows.nth(i).locator(".receipt-no").fill(f"BN-02-{i + 1}")
    shoot(page, "console-payments")
    page.click("#sign-payments")
    expect(page.locator("#payments-recorded")).to_be_visible()
    assert story.app.size() == before + 502

    reconciliation = page.request.get(
        f"{live.url}/v1/reports/reconciliation?from=2022-01&to=2022-02"
    )
    totals = reconciliation.json()["totals"]
    assert int(totals["paid"]) == AMOUNT * 502
    page.goto(f"{live.url}/totals")
    expect(page.locator("body")).to_contain_text("TB-61")
    page.goto(f"{live.url}/lists")
    expect(page.locator("body")).to_contain_text(village_names[0])
    shoot(page, "console-public-lists")
    assert sent.leaks(cashier.secrets) == []
