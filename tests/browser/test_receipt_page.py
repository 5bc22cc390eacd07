"""The lookup page (/xac-nhan) in a real browser: at phone size and on a desk screen, a
code typed in the form (lowercase, without its dash) finds its line, and the line's
box fits the screen without scrolling sideways."""

from __future__ import annotations

from playwright.sync_api import Page

from api import reading
from api.sheets.payroll import payroll_sheet
from tests.api.sheets.commune import MONTH, make_sheetland
from tests.browser.conftest import Live, shoot
from tests.conftest import Story


def test_a_beneficiary_types_a_code_and_reads_the_line_on_a_phone_and_a_desk(
    story: Story, live: Live, page: Page
) -> None:
    land = make_sheetland(story, huoi=2, me=1)
    read = reading.read_at(reading.Direct(story.app), None)
    rows = [r for g in payroll_sheet(read, MONTH)["villages"] for r in g["rows"]]
    row = next(r for r in rows if r["payments"])
    page.set_viewport_size({"width": 412, "height": 915})
    page.goto(f"{live.url}/")
    page.get_by_text("Tra cứu khoản chi trả của bạn").click()
    page.fill("#ma", row["receipt_code"].lower().replace("-", ""))
    page.get_by_role("button", name="Tra cứu").click()
    assert page.locator("#code").inner_text() == row["receipt_code"]
    assert page.locator("#due").inner_text() == "1.624.000 đ"
    assert "Đã chi trả đủ." in page.locator("#status").inner_text()
    assert "đã ký nhận" in page.locator("#payments").inner_text()
    body = page.locator("body").inner_text()
    assert land.names[row["person_id"]] not in body and row["household_code"] not in body
    for width in (412, 1280):
        page.set_viewport_size({"width": width, "height": 915 if width == 412 else 800})
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the page scrolls sideways at {width}px"
    shoot(page, "receipt-line")
    page.get_by_role("link", name="English").click()
    assert "Paid in full." in page.locator("#status").inner_text()
    assert "signed for" in page.locator("#payments").inner_text()
    shoot(page, "receipt-line-en")
    page.goto(f"{live.url}/xac-nhan/ZZZZZ-ZZZZZ")
    assert "10 chữ và số" in page.locator("#how-to-type").inner_text()
    shoot(page, "receipt-not-found")
