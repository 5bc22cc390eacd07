"""The posting windows of a poverty review round, as a browser shows them on the public list.

The table fits the phone's width as the list's own tables do (one labelled
cell a line), and the screenshots are kept for people to look at.
"""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Live, shoot
from tests.conftest import Story
from tests.support.drafts import Draft
from tests.support.steps import reviews as r


def test_the_list_page_shows_each_village_s_posting_window(
    live: Live, page: Page, story: Story
) -> None:
    assessed = r.posted_assessment(story)
    lodged: Draft = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    page.goto(f"{live.url}/lists?on=2024-10-19")
    table = page.locator("#posting-windows")
    assert table.is_visible()
    row = table.locator("tbody tr").first
    assert row.locator("td").nth(2).inner_text() == "15/10/2024"
    assert row.locator(".days-left").inner_text() == "3"
    written = shoot(page, "public-review-postings")
    assert all(path.stat().st_size > 1000 for path in written)
    page.set_viewport_size({"width": 412, "height": 915})
    box = table.bounding_box()
    assert box is not None and box["width"] <= 412
