"""The registrar imports the civil registry's death list in the console: the template, the
preview (who died, what it stops, what was paid after), then one batch signed in the browser."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.api.imports.test_death_list import BAD, GOOD
from tests.api.imports.test_deaths import bury_other, pay_march
from tests.api.imports.village import make_village, xlsx
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import key_file, sign_in, watch
from tests.conftest import Story


def read(page: Page, path: Path) -> None:
    page.set_input_files("#import-file", str(path))
    page.click("#read-file")
    expect(page.locator("#import-summary")).to_be_visible()


def test_a_death_list_is_previewed_with_what_it_stops_and_recorded_in_one_batch(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    village = make_village(story)
    pay_march(village)
    bury_other(village)
    sent = watch(page)
    sign_in(page, live.url, key_file(tmp_path, "registrar", story.o.keys["registrar"], None))
    page.click("#tab-import")
    page.select_option("#layout", "deaths")
    expect(page.locator("#import-month")).to_be_hidden()
    with page.expect_download() as template:
        page.click("#template")
    assert template.value.suggested_filename == "mau-deaths.xlsx"

    wrong, fixed = tmp_path / "khai-tu-sai.xlsx", tmp_path / "khai-tu-02-2022.xlsx"
    wrong.write_bytes(xlsx(BAD))
    fixed.write_bytes(xlsx(GOOD))
    before = story.app.size()
    read(page, wrong)
    expect(page.locator("#bad-count")).to_have_text("2 dòng lỗi")
    expect(page.locator("#import-rows tr.bad")).to_have_count(2)
    expect(page.locator("#import-rows tr.bad").first).to_contain_text("không phải ngày hợp lệ")
    assert page.locator("#sign-all").count() == 0

    read(page, fixed)
    expect(page.locator("#bad-count")).to_have_text("0 dòng lỗi")
    expect(page.locator("#notes-count")).to_have_text("2 ghi chú")
    death = page.locator("#deaths tbody tr")
    expect(death).to_have_count(1)
    expect(death).to_contain_text("HH-001/1")
    expect(death).to_contain_text("Lò Thị Xuân")
    expect(death).to_contain_text("15/02/2022")
    expect(death).to_contain_text("TB-61")
    expect(death).to_contain_text("hưởng đến hết tháng 02/2022")
    expect(death.locator(".paid-after")).to_contain_text("đã chi sau khi mất: 03/2022")
    noted = page.locator("#import-rows tr.noted")
    expect(noted).to_have_count(2)
    expect(noted.first).to_contain_text("không có trong sổ")
    expect(noted.nth(1)).to_contain_text("đã ghi nhận người này mất ngày 01/12/2021")
    shoot(page, "console-deaths-preview")
    assert story.app.size() == before

    page.click("#sign-all")
    expect(page.locator("#batch-recorded")).to_be_visible()
    batches = sent.posts("/v1/statements")
    assert len(batches) == 1 and batches[0]["body"].count(b"\n") == 1
    assert story.app.size() == before + 1
    assert village.read().snap.people[village.head].died_on == "2022-02-15"
    shoot(page, "console-deaths-recorded")
