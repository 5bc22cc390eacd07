"""The console's queue of suspected duplicates: an approver sees the pair with both names,
follows its link to the identity.reviewed form with both people filled in, signs, and the
pair is decided."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ledger.domain.base import read_statement
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import check_and_sign, key_file, select, sign_in, type_in
from tests.conftest import Story
from tests.support.drafts import adopted


def test_an_approver_decides_a_suspected_pair_from_the_queue(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    household = story.household()
    first, later = story.person(household), story.person(household)  # the same national id
    story.submit(adopted(story).sub(story.o))
    sign_in(page, live.url, key_file(tmp_path, "approver", story.o.keys["approver"], None))
    page.click("#tab-duplicates")
    expect(page.locator("#duplicates")).to_contain_text("Cùng số định danh")
    expect(page.locator("#to-review")).to_contain_text("1 / 1")
    shoot(page, "console-duplicates")
    page.get_by_role("link", name="Kết luận cặp này").click()
    expect(page.locator("#statement-type")).to_have_value("identity.reviewed")
    select(page, "outcome", "different_people")
    type_in(page, "basis", "Đối chiếu căn cước và sổ hộ khẩu")
    type_in(page, "decision.number", "27/QĐ-UBND")
    index = check_and_sign(page)
    body = read_statement(story.app.entry(index).envelope)["body"]
    assert (body["person_id"], body["other_person_id"]) == (first, later)
    page.click("#tab-duplicates")
    expect(page.locator("#to-review")).to_contain_text("0 / 1")
