"""The console's duplicates queue (#duplicates) in Chromium: an approver decides a pair."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ledger.domain.registry import IdentityReview, pair_id
from tests.api.http.commune import HEAD_NAME, person
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import key_file
from tests.conftest import Officers, Story
from tests.support.drafts import adopted


def _open(page: Page, url: str, officers: Officers, name: str, tmp_path: Path) -> None:
    key = key_file(tmp_path, name, officers.keys[name], None)
    page.goto(url)
    page.set_input_files("#key-file", str(key.path))
    page.click("#sign-in")
    expect(page.locator("#holder-name")).to_be_visible()
    page.click("#tab-duplicates")


def test_an_approver_decides_two_namesakes_are_different_people(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    first = person(story, story.household("Bản Huổi"), HEAD_NAME, "014150000101")
    later = person(story, story.household("Bản Huổi"), HEAD_NAME, "014150000999")
    story.submit(adopted(story).sub(story.o))
    _open(page, f"{live.url}/officer", officers, "approver", tmp_path)
    expect(page.locator("h1")).to_have_text("Nghi trùng nhân thân")
    expect(page.locator("#pairs-count")).to_have_text("1 cặp chờ xem xét / 1 cặp")
    pair = page.locator("article.card")
    expect(pair.locator("h3")).to_contain_text("Trùng họ tên, năm sinh, thôn")
    expect(pair.locator("dd", has_text=HEAD_NAME)).to_have_count(2)
    shoot(page, "duplicates-queue")
    pair.get_by_role("button", name="Là hai người khác nhau").click()
    expect(pair.locator(".problems")).to_contain_text("Căn cứ đối chiếu")  # nothing signed yet
    pair.locator("input").first.fill("Khác cha mẹ, khác số định danh")
    pair.get_by_role("button", name="Là hai người khác nhau").click()
    expect(page.locator(".notice")).to_contain_text("Đã ghi quyết định")
    expect(page.locator("#pairs-count")).to_have_text("0 cặp chờ xem xét / 1 cặp")
    review = story.app.repository.get(pair_id(first, later))
    assert isinstance(review, IdentityReview) and review.outcome == "different_people"


def test_a_registrar_sees_the_queue_but_may_not_decide(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    person(story, story.household("Bản Huổi"), HEAD_NAME, "014150000101")
    person(story, story.household("Bản Mòng"), HEAD_NAME, "014150000101")  # one national id
    _open(page, f"{live.url}/officer?lang=en", officers, "registrar", tmp_path)
    pair = page.locator("article.card")
    expect(pair.locator("h3")).to_contain_text("Same national id")
    expect(pair.get_by_role("button", name="Two different people")).to_be_disabled()
    expect(pair.locator(".why")).to_contain_text("does not follow FORMATS 1.2")
