"""The officer console end to end, in Chromium: the issue's "Done when".

A registrar loads an encrypted key file and signs in; registers a household
with two people (their names sealed into vault records in the browser) and
proposes a benefit; the chairman, in another browser, approves it in the
inbox; the public list then shows it. Every request either browser sends is
recorded: none carries the key file, its base64 body, the seed or the
passphrase. Screens are shot at 1280x800 and 412x915.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import (
    PASSPHRASE,
    box,
    check_and_sign,
    choose_type,
    key_file,
    pick,
    select,
    sign_in,
    type_in,
    watch,
)
from tests.conftest import Story

CODE, VILLAGE = "HH-T01", "Bản Tát"
HEAD, SON = "Cầm Thị Hoa", "Cầm Văn Lả"


def register_household(page: Page, log_size: int) -> None:
    choose_type(page, "household.registered")
    type_in(page, "code", CODE)
    type_in(page, "village", VILLAGE)
    assert check_and_sign(page) == log_size


def register_person(page: Page, name: str, relation: str, national_id: str) -> int:
    choose_type(page, "person.registered")
    pick(page, "household_id", CODE.lower(), CODE)
    select(page, "relation", relation)
    select(page, "sex", "f" if relation == "head" else "m")
    page.fill("#pii-full-name", name)
    page.fill("#pii-national-id", national_id)
    page.fill("#pii-birth-date", "05/03/1958" if relation == "head" else "17/11/1984")
    return check_and_sign(page)


def propose_benefit(page: Page) -> int:
    choose_type(page, "benefit.proposed")
    page.locator("#form-area .actions button", has_text="Kiểm tra").click()  # all empty
    expect(page.locator("#problems")).to_be_visible()
    assert page.locator("#record-form .field.bad").count() >= 4  # every problem at once
    shoot(page, "console-record-errors")
    box(page, "program_id").locator("select").select_option(index=1)
    pick(page, "person_id", "cam thi", HEAD)
    type_in(page, "amount", "1624000")
    type_in(page, "start", "01/2022")
    type_in(page, "basis", "Thương binh 61%, Quyết định 45/QĐ-LĐTBXH")
    page.locator("#form-area .actions button", has_text="Kiểm tra").click()
    expect(page.locator("#preview")).to_contain_text('"amount": 1624000')
    assert box(page, "amount").locator("input").input_value() == "1.624.000"
    shoot(page, "console-record-preview")
    page.click("#sign")
    expect(page.locator("#recorded")).to_be_visible()
    return int(page.locator("#recorded").inner_text().rstrip(".").split()[-1])


def propose_status(page: Page) -> int:
    choose_type(page, "household.status.proposed")
    pick(page, "household_id", "ban tat", CODE)
    select(page, "status", "poor")
    type_in(page, "effective", "01/01/2022")
    type_in(page, "basis.income_per_capita_month", "1.200.000")
    type_in(page, "basis.deprivation_count", "3")
    return check_and_sign(page)


def test_an_officer_records_and_the_chairman_approves_in_the_browser(
    live: Live, browser: Browser, story: Story, tmp_path: Path
) -> None:
    story.program()
    registrar_key = key_file(tmp_path, "registrar", story.o.keys["registrar"], PASSPHRASE)
    approver_key = key_file(tmp_path, "approver", story.o.keys["approver"], None)
    registrar = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    approver = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page, chairman = registrar.new_page(), approver.new_page()
    sent = [watch(page), watch(chairman)]

    page.goto(f"{live.url}/officer")
    shoot(page, "console-key")
    sign_in(page, live.url, registrar_key)
    expect(page.locator("#whoami")).to_contain_text("Cán bộ registrar")
    expect(page.locator("#my-roles")).to_contain_text("Công chức văn hóa - xã hội")
    shoot(page, "console-signed-in")

    register_household(page, story.app.size())
    register_person(page, HEAD, "head", "014158000201")
    register_person(page, SON, "member", "014184000202")
    propose_status(page)
    proposed = propose_benefit(page)
    assert proposed == story.app.size() - 1

    page.click("#tab-inbox")
    shoot(page, "console-inbox-own")
    own = page.locator("article.card", has_text="Hưởng chế độ")
    expect(own).to_contain_text(HEAD)
    expect(own.locator("button.approve")).to_be_disabled()
    expect(own).to_contain_text("không thể tự phê duyệt")

    sign_in(chairman, live.url, approver_key)
    chairman.click("#tab-inbox")
    card = chairman.locator("article.card", has_text="Hưởng chế độ")
    expect(card).to_contain_text("1.624.000 đ")
    expect(card).to_contain_text("Cán bộ registrar")
    shoot(chairman, "console-inbox")
    card.locator("input[name=number]").fill("45/QĐ-UBND")
    card.locator("input[name=date]").fill("06/01/2022")
    card.locator("button.approve").click()
    expect(chairman.locator(".notice", has_text="Đã phê duyệt")).to_be_visible()
    status = chairman.locator("article.card", has_text="Công nhận diện hộ")
    expect(status).to_contain_text("thu nhập 1.200.000 đ/người/tháng; thiếu hụt 3 chỉ số")
    status.locator("button.reject").click()  # no reason yet: refused in the page
    expect(status.locator(".problems")).to_contain_text("Lý do")
    status.locator("input[name=reason]").fill("Chưa họp dân bình xét")
    status.locator("button.reject").click()
    expect(chairman.locator(".notice", has_text="không phê duyệt")).to_be_visible()
    assert story.app.size() == proposed + 3

    chairman.goto(f"{live.url}/lists")
    expect(chairman.locator("body")).to_contain_text(HEAD)

    leaks = sent[0].leaks(registrar_key.secrets) + sent[1].leaks(approver_key.secrets)
    assert leaks == []
    assert sum(len(s.requests) for s in sent) > 20  # the watch saw the traffic
    registrar.close()
    approver.close()
