"""The officer console end to end, in Chromium: the issue's "Done when".

A registrar loads an encrypted key file and signs in; registers a household
with two people (their names sealed into vault records in the browser),
proposes its status and a benefit; the chairman, in another browser,
approves the benefit and rejects the status in the inbox. The cashier, in a
third, imports January's payroll of 500 rows: with 3 bad rows every problem
is shown and nothing is recorded; fixed, all are signed in the browser and
recorded in one JSON-lines submission (the log grows by exactly 500); the
sheet prints to PDF with "Ký nhận" on every page; February's first payments
are recorded on one screen. The public list, the totals and the
reconciliation show the money. Every request the browsers send is recorded:
none carries a key file, its base64 body, the seed or a passphrase. Screens
are shot at 1280x800 and 412x915.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from ledger.domain.base import read_statement
from tests.browser.conftest import Live, shoot
from tests.browser.console.cashier import (
    pay_on_screen,
    printed_sheet,
    recorded_import,
    refused_import,
    squashed,
)
from tests.browser.console.commune import AMOUNT, Due, build, payroll_xlsx
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
VIEW = {"width": 1280, "height": 800}
BAD = {17: {"paid_on": "32/01/2022"}, 250: {"paid": "nhiều"}, 499: {"method": "Séc"}}
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
    assert page.locator("#record-form .field.bad").count() >= 6  # every problem at once
    expect(box(page, "household_id")).to_contain_text("Chọn đúng một trong")
    shoot(page, "console-record-errors")
    program = box(page, "program_id").locator("select")
    expect(program.locator("option", has_text="TB-61")).to_have_count(1)
    program.select_option(label="TB-61 — Trợ cấp thương binh (Hằng tháng)")
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


def approve_and_reject(chairman: Page) -> None:
    """The chairman approves the benefit and rejects the status, in the inbox."""
    chairman.click("#tab-inbox")
    card = chairman.locator("article.card", has_text="Hưởng chế độ")
    expect(card).to_contain_text("1.624.000 đ")
    expect(card).to_contain_text("Cán bộ registrar")
    card.locator("details summary").click()
    expect(card.locator("ol.history li")).to_contain_text(["Đề nghị hưởng chế độ"])
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


def test_a_commune_month_in_the_console_from_key_file_to_public_list(
    live: Live, browser: Browser, story: Story, tmp_path: Path
) -> None:
    due = build(story, 499)  # the commune's other allowances, approved before
    keys = {
        "registrar": key_file(tmp_path, "registrar", story.o.keys["registrar"], PASSPHRASE),
        "approver": key_file(tmp_path, "approver", story.o.keys["approver"], None),
        "cashier": key_file(tmp_path, "cashier", story.o.keys["cashier"], PASSPHRASE),
    }
    contexts = [browser.new_context(locale="vi-VN", viewport=VIEW) for _ in keys]
    page, chairman, cashier = (c.new_page() for c in contexts)
    sent = [watch(page), watch(chairman), watch(cashier)]

    # the registrar: key file, sign-in, a household of two, a status and a benefit proposed
    page.goto(f"{live.url}/officer")
    shoot(page, "console-key")
    sign_in(page, live.url, keys["registrar"])
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
    own = page.locator("article.card", has_text="Hưởng chế độ")
    expect(own).to_contain_text(HEAD)
    expect(own.locator("button.approve")).to_be_disabled()
    expect(own).to_contain_text("không thể tự phê duyệt")
    shoot(page, "console-inbox-own")

    # the chairman, in another browser: approves the benefit, rejects the status
    sign_in(chairman, live.url, keys["approver"])
    approve_and_reject(chairman)
    assert story.app.size() == proposed + 3
    benefit_id = read_statement(story.app.entry(proposed).envelope)["body"]["benefit_id"]
    due.append(Due(VILLAGE, CODE, HEAD, benefit_id))

    # the cashier: January's payroll of 500 rows, 3 bad, then fixed; printed; February paid
    sign_in(cashier, live.url, keys["cashier"])
    wrong, fixed = tmp_path / "chi-tra-sai.xlsx", tmp_path / "chi-tra-01-2022.xlsx"
    wrong.write_bytes(payroll_xlsx(due, BAD))
    fixed.write_bytes(payroll_xlsx(due))
    before = story.app.size()
    refused_import(cashier, wrong, len(BAD))
    assert story.app.size() == before  # nothing recorded
    recorded_import(cashier, fixed, sent[2], len(due))
    assert story.app.size() == before + len(due) == before + 500
    pages = printed_sheet(cashier, "01/2022", VILLAGE)
    assert len(pages) == 1  # one household in Bản Tát
    assert squashed("Ký nhận") in pages[0] and squashed(HEAD) in pages[0]
    pages = printed_sheet(cashier, "01/2022", "Bản Nà")
    assert 8 <= len(pages) <= 13, len(pages)  # 100 rows, a dozen a page at most
    for number, text in enumerate(pages, start=1):
        assert squashed("Ký nhận") in text, f"page {number} has no heading for signatures"
        assert squashed(f"Trang {number}/{len(pages)}") in text
    pay_on_screen(cashier, "02/2022", 2)
    assert story.app.size() == before + 502

    # the public lists and the reconciliation show it
    answer = cashier.request.get(f"{live.url}/v1/reports/reconciliation?from=2022-01&to=2022-02")
    assert int(answer.json()["totals"]["paid"]) == AMOUNT * 502
    chairman.goto(f"{live.url}/lists?village={VILLAGE}")
    expect(chairman.locator("body")).to_contain_text(HEAD)
    shoot(chairman, "console-public-lists")
    chairman.goto(f"{live.url}/totals")
    expect(chairman.locator("body")).to_contain_text(squashed_amount(AMOUNT * 500))

    leaks = [
        leak for s, key in zip(sent, keys.values(), strict=True) for leak in s.leaks(key.secrets)
    ]
    assert leaks == []
    assert all(len(s.requests) > 10 for s in sent)  # the watch saw each browser's traffic
    for context in contexts:
        context.close()


def squashed_amount(amount: int) -> str:
    """An amount as the Vietnamese pages write it (1.624.000)."""
    return f"{amount:,}".replace(",", ".")
