"""The lookup page's confirmation in a real browser, at phone size: a beneficiary opens
/xac-nhan/CODE, presses "Tôi đã nhận đủ", and the page thanks and counts; the press is
in the log, signed by the page's key, and says nothing of who pressed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page

from ledger.domain.base import read_statement
from tests.browser.conftest import Live, shoot
from tests.conftest import Story
from tests.support.live import running
from tests.support.steps.grievances import INTAKE, intake_key, paid_line


@pytest.fixture
def taking(service: Any, story: Story) -> Iterator[Live]:
    """A live server holding the page's key (role intake)."""
    from api.http.app import create_app

    intake_key(story)
    with running(create_app(service, intake=story.o.keys[INTAKE])) as url:
        yield Live(url, service)


def test_a_beneficiary_confirms_on_a_phone_and_the_page_thanks_and_counts(
    story: Story, taking: Live, page: Page
) -> None:
    code = paid_line(story)
    page.set_viewport_size({"width": 412, "height": 915})
    page.goto(f"{taking.url}/xac-nhan/{code}")
    assert page.locator("#code").inner_text() == code
    received = page.get_by_role("button", name="Tôi đã nhận đủ")
    assert received.is_visible()
    assert page.get_by_text("Tôi chưa nhận / nhận không đủ:").is_visible()
    box = received.bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb's size on a phone
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 412, "the page scrolls sideways on a phone"
    shoot(page, "receipt-confirm")
    size = story.app.size()
    received.click()
    page.wait_for_url(f"**/xac-nhan/{code}?da_gui=received")
    assert "Cảm ơn bạn. Đã ghi: bạn đã nhận đủ." in page.locator("#confirm-sent").inner_text()
    assert "1 lần xác nhận đã nhận đủ" in page.locator("#confirm-counts").inner_text()
    shoot(page, "receipt-confirmed")
    assert story.app.size() == size + 1
    statement = read_statement(story.app.entry(size).envelope)
    assert statement["type"] == "receipt.confirmed"
    assert statement["body"]["outcome"] == "received"
    page.get_by_role("button", name="Tôi chưa nhận").click()
    page.wait_for_url(f"**/xac-nhan/{code}?da_gui=not_received")
    assert "Xã phải trả lời trong 30 ngày" in page.locator("#confirm-sent").inner_text()
    page.goto(f"{taking.url}/khieu-nai")
    assert "Đang chờ trả lời" in page.locator("#open").inner_text()
    assert code not in page.locator("body").inner_text()
    shoot(page, "grievances")
