"""The payroll sheet printed from a browser: ~60 rows on A4 landscape, the heading row
("Ký nhận" and all) on every page, subtotals, total in words, the signature block.

The page fetches ``/v1/payroll/sheet`` with a cashier's token, as the officer console
does, draws it with ``payroll-sheet.js`` and prints it to PDF; the PDF's pages are
read back as text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import httpx
from playwright.sync_api import Page
from pypdf import PdfReader

from tests.api.http.test_auth import sign_in
from tests.api.sheets.commune import HUOI, ME, MONTH, make_sheetland
from tests.browser.conftest import SCREENSHOTS, Live, shoot
from tests.conftest import Officers, Story

HUOI_ROWS, ME_ROWS = 32, 28
BUILD = SCREENSHOTS.parent / "printed"
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Danh sách chi trả</title>
<link rel="stylesheet" href="/officer/static/payroll-sheet.css"></head>
<body><main id="sheet"></main></body></html>"""
DRAW = """async ([token, query, lang]) => {
    const answer = await fetch(`/v1/payroll/sheet?${query}`,
                               {headers: {Authorization: `Bearer ${token}`}});
    if (!answer.ok) throw new Error(await answer.text());
    const sheet = await answer.json();
    const {renderPayrollSheet} = await import('/officer/static/js/payroll-sheet.js');
    renderPayrollSheet(document.getElementById('sheet'), sheet, lang);
    await document.fonts.ready;
    return sheet;
}"""


def open_sheet(live: Live, page: Page, officers: Officers, query: str, lang: str = "vi") -> Any:
    """A page of the server's own origin (served by the test) with the sheet drawn on it."""
    with httpx.Client(base_url=live.url) as client:
        token = sign_in(client, officers.keys["cashier"])
    page.route(
        f"{live.url}/print/payroll",
        lambda route: route.fulfill(body=PAGE, content_type="text/html; charset=utf-8"),
    )
    page.goto(f"{live.url}/print/payroll")
    return page.evaluate(DRAW, [token, query, lang])


def squashed(text: str) -> str:
    """Text without its spaces: the PDF's text puts spaces around some letters with marks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdf_pages(page: Page) -> list[str]:
    """The printed PDF's pages, as text without spaces (compare with :func:`squashed`)."""
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    BUILD.mkdir(parents=True, exist_ok=True)
    (BUILD / "payroll-sheet.pdf").write_bytes(pdf)
    return [squashed(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_sixty_rows_print_on_several_a4_pages_each_headed_for_signatures(
    story: Story, officers: Officers, live: Live, page: Page
) -> None:
    make_sheetland(story, huoi=HUOI_ROWS, me=ME_ROWS)
    sheet = open_sheet(live, page, officers, f"month={MONTH}")
    assert sheet["total"]["rows"] == HUOI_ROWS + ME_ROWS
    assert page.locator("tr.ps-row").count() == HUOI_ROWS + ME_ROWS
    assert page.locator("tr.ps-subtotal").count() == 2
    shoot(page, "payroll-sheet")
    pages = pdf_pages(page)
    # Rows of 13 mm or more: at most a dozen to a page, so 60 rows and two villages'
    # headings and subtotals take five pages at least (six as laid out now: ten to
    # eleven rows a page, the words and signatures on the last, under the heading row).
    assert 5 <= len(pages) <= 8, len(pages)
    for number, text in enumerate(pages, start=1):
        assert squashed("Ký nhận") in text, f"page {number} has no heading row"
        assert squashed("Số tiền phải trả") in text
        assert squashed(f"Trang {number}/{len(pages)}") in text
    first, last = pages[0], pages[-1]
    assert squashed("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") in first
    assert squashed("DANH SÁCH CHI TRẢ TRỢ CẤP THÁNG 01/2022") in first
    everything = "".join(pages)
    assert squashed(f"Cộng {HUOI} ({HUOI_ROWS} người)") in everything
    assert squashed(f"Cộng {ME} ({ME_ROWS} người)") in everything
    assert squashed(f"Bằng chữ: {sheet['total_words']}.") in last
    for signer in ("Người lập biểu", "Kế toán", "Chủ tịch UBND xã"):
        assert squashed(signer) in last
    assert sheet["checkpoint"]["root"][:16] in everything


def test_sheet_shows_amounts_with_dots_and_names_from_the_vault(
    story: Story, officers: Officers, live: Live, page: Page
) -> None:
    land = make_sheetland(story, huoi=2, me=2)
    sheet = open_sheet(live, page, officers, f"month={MONTH}&village={ME}")
    rows = page.locator("tr.ps-row")
    assert rows.count() == 2
    first = sheet["villages"][0]["rows"][0]
    assert rows.nth(0).locator("td.ps-name").inner_text() == land.names[first["person_id"]]
    assert rows.nth(0).locator("td.ps-due").inner_text() == "540.000"
    assert page.locator("td.ps-signature").nth(0).inner_text() == ""
    assert page.locator(".ps-scope").inner_text() == f"Thôn/bản: {ME}"
    headings = page.locator("thead th").all_inner_texts()
    assert headings == sheet["columns"]
    shoot(page, "payroll-sheet-village")


def test_english_sheet_reads_in_english(
    story: Story, officers: Officers, live: Live, page: Page
) -> None:
    make_sheetland(story, huoi=1, me=1)
    sheet = open_sheet(live, page, officers, f"month={MONTH}&lang=en", lang="en")
    assert page.locator(".ps-title").inner_text() == "PAYROLL OF ALLOWANCES, MONTH 01/2022"
    assert page.locator("thead th").last.inner_text() == "Signature"
    assert page.locator(".ps-words").inner_text() == f"In words: {sheet['total_words']}."
    assert page.locator("tr.ps-total td.ps-due").inner_text() == "2,164,000"


def test_empty_month_prints_a_sheet_that_says_nobody_is_paid(
    story: Story, officers: Officers, live: Live, page: Page
) -> None:
    make_sheetland(story, huoi=1, me=1)
    open_sheet(live, page, officers, "month=2021-12")
    assert page.locator("tr.ps-row").count() == 0
    assert page.locator("tr.ps-empty").inner_text() == "Không có ai được chi trả trong tháng này."
    assert page.locator(".ps-words").inner_text() == "Bằng chữ: Không đồng."
    big = page.evaluate(
        """async () => {
            const {formatMoney} = await import('/officer/static/js/payroll-sheet.js');
            return [formatMoney('12345678901234567', 'vi'), formatMoney(1624000, 'en')];
        }"""
    )
    assert big == ["12.345.678.901.234.567", "1,624,000"]
