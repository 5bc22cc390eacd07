"""The inspector's screen (/inspect) in Chromium: sign in, filter the log, take evidence."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ledger.audit.evidence import verify_evidence
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import key_file, watch
from tests.conftest import Officers, Story


def _open(page: Page, url: str, officers: Officers, name: str, tmp_path: Path) -> None:
    key = key_file(tmp_path, name, officers.keys[name], None)
    page.goto(url)
    page.set_input_files("#key-file", str(key.path))
    page.click("#sign-in")


def test_an_inspector_filters_the_log_and_downloads_evidence_that_verifies(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    huoi = story.household("Bản Huổi")
    story.household("Bản Mòng")
    sent = watch(page)
    _open(page, f"{live.url}/inspect", officers, "inspector", tmp_path)
    rows = page.locator("#inspect-rows tr")
    expect(rows).to_have_count(story.app.size())  # opened on the inspector's screen, all shown
    expect(page.locator("h1")).to_have_text("Kiểm tra sổ cái")
    expect(page.locator("h2")).to_have_text("Lọc bút toán, lấy bằng chứng")
    page.select_option("#inspect-type", "household.registered")
    page.click("#inspect-filter")
    expect(rows).to_have_count(2)
    page.fill("#inspect-entity", f"ce-{huoi[:6]}")
    page.click("#inspect-filter")
    expect(rows).to_have_count(1)
    expect(page.locator("#inspect-status")).to_have_text("1 bút toán")
    shoot(page, "inspect-log")
    with page.expect_download() as downloaded:
        page.click("#inspect-evidence")
    saved = tmp_path / "evidence.json"
    downloaded.value.save_as(saved)
    outcome = verify_evidence(saved.read_text(), authority=officers.keys["authority"].key_id)
    assert len(outcome.asked) == 1
    assert all("/v1/inspect/" not in r["url"] or r["method"] == "GET" for r in sent.requests)


def test_a_bad_date_range_is_shown_and_english_is_there(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    _open(page, f"{live.url}/inspect?lang=en", officers, "inspector", tmp_path)
    expect(page.locator("#inspect-rows tr")).to_have_count(story.app.size())
    page.fill("#inspect-from", "2022-03-02")
    page.fill("#inspect-to", "2022-03-01")
    page.click("#inspect-filter")
    expect(page.locator("#inspect-status")).to_contain_text("from: 2022-03-02 is after to")
    expect(page.locator("#inspect-rows tr")).to_have_count(0)


def test_a_cashier_is_told_the_screen_is_for_inspectors(
    live: Live, page: Page, story: Story, officers: Officers, tmp_path: Path
) -> None:
    _open(page, f"{live.url}/inspect", officers, "cashier", tmp_path)
    expect(page.locator("#inspect-refused")).to_contain_text("dành cho thanh tra")
