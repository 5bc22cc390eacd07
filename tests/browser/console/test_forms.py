"""The console's forms and files: a payment with its scanned receipt, the lists to download.

A cashier records a payment through the form: the benefit is chosen by the
beneficiary's name, the amount comes from it, the receipt's evidence is
the SHA-256 of the scan chosen from disk (computed in the browser). The
import screen hands out its blank template; the payroll screen its XLSX.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from playwright.sync_api import Page, expect

from ledger.domain.base import read_statement
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import (
    box,
    check_and_sign,
    choose_type,
    key_file,
    pick,
    sign_in,
    type_in,
)
from tests.conftest import Story

NAME = "Lò Thị Xuân"  # the story's people (generated)


def test_a_payment_is_recorded_with_the_sha256_of_its_scanned_receipt(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    _, person, benefit = story.beneficiary()
    scan = tmp_path / "bien-nhan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    sign_in(page, live.url, key_file(tmp_path, "cashier", story.o.keys["cashier"], None))
    choose_type(page, "payment.recorded")
    pick(page, "benefit_id", "lo thi", NAME)
    expect(box(page, "amount").locator("input")).to_have_value("1.624.000")
    expect(box(page, "recipient").locator(".chosen")).to_contain_text(NAME)  # the beneficiary
    type_in(page, "month", "01/2022")
    type_in(page, "paid_on", "10/01/2022")
    page.set_input_files("#evidence-file", str(scan))
    shoot(page, "console-payment-form")
    index = check_and_sign(page)
    expect(page.locator("#preview")).to_contain_text(hashlib.sha256(scan.read_bytes()).hexdigest())
    body = read_statement(story.app.entry(index).envelope)["body"]
    assert body["receipt"] == {
        "kind": "signature",
        "evidence": hashlib.sha256(scan.read_bytes()).hexdigest(),
    }
    assert (body["benefit_id"], body["recipient"]) == (benefit, person)
    assert (body["amount"], body["month"], body["paid_on"]) == (1_624_000, "2022-01", "2022-01-10")


def test_a_typed_receipt_number_is_recorded_as_its_sha256(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    story.beneficiary()
    sign_in(page, live.url, key_file(tmp_path, "cashier", story.o.keys["cashier"], None))
    choose_type(page, "payment.recorded")
    pick(page, "benefit_id", "lo thi", NAME)
    page.fill("#evidence-text", "BN-2022-0042")
    index = check_and_sign(page)
    body = read_statement(story.app.entry(index).envelope)["body"]
    assert body["receipt"]["evidence"] == hashlib.sha256(b"BN-2022-0042").hexdigest()


def test_the_import_template_and_the_payroll_workbook_download(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    story.beneficiary()
    sign_in(page, live.url, key_file(tmp_path, "cashier", story.o.keys["cashier"], None))
    page.click("#tab-import")
    page.select_option("#layout", "payroll")
    with page.expect_download() as template:
        page.click("#template")
    assert template.value.suggested_filename == "mau-payroll.xlsx"
    assert Path(template.value.path()).read_bytes()[:2] == b"PK"  # a workbook (zip)
    page.click("#tab-payroll")
    page.fill("#payroll-month", "01/2022")
    page.click("#show-sheet")
    expect(page.locator("#sheet")).to_contain_text(NAME)
    with page.expect_download() as workbook:
        page.click("#xlsx")
    assert workbook.value.suggested_filename == "chi-tra-2022-01.xlsx"
    assert Path(workbook.value.path()).read_bytes()[:2] == b"PK"


def test_a_households_csv_is_imported_as_one_batch(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    sheet = tmp_path / "ho-gia-dinh.csv"
    sheet.write_text("Mã hộ;Thôn/bản\nHH-101;Bản Mòng\nHH-102;Bản Mòng\n", encoding="utf-8")
    sign_in(page, live.url, key_file(tmp_path, "registrar", story.o.keys["registrar"], None))
    page.click("#tab-import")
    page.select_option("#layout", "households")
    expect(page.locator("#import-month")).to_be_hidden()
    before = story.app.size()
    page.set_input_files("#import-file", str(sheet))
    page.click("#read-file")
    expect(page.locator("#bad-count")).to_have_text("0 dòng lỗi")
    page.click("#sign-all")
    expect(page.locator("#batch-recorded")).to_contain_text(f"từ số {before} đến số {before + 1}")
    assert story.app.size() == before + 2


def test_an_approver_decides_a_suspected_pair_picking_both_people_by_name(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    """identity.reviewed (FORMATS 1.2): both people are chosen with the person picker."""
    story.submit(story.o.sub("authority", "ledger.formats.adopted", {"formats": "1.2"}))
    first_home, second_home = story.household(), story.household()
    first, second = story.person(first_home), story.person(second_home)
    codes = [f"CE-{first_home[:6]}", f"CE-{second_home[:6]}"]
    sign_in(page, live.url, key_file(tmp_path, "approver", story.o.keys["approver"], None))
    choose_type(page, "identity.reviewed")
    pick(page, "person_id", "lo thi", codes[0])
    pick(page, "other_person_id", "lo thi", codes[1])
    type_in(page, "basis", "Khác cha mẹ, khác quê quán")
    box(page, "outcome").locator("select").first.select_option("different_people")
    type_in(page, "decision.number", "27/QĐ-UBND")
    type_in(page, "decision.date", "03/12/2026")
    shoot(page, "console-identity-review-form")
    index = check_and_sign(page)
    body = read_statement(story.app.entry(index).envelope)["body"]
    assert (body["person_id"], body["other_person_id"]) == (first, second)
    assert body["outcome"] == "different_people"
    assert body["decision"] == {"number": "27/QĐ-UBND", "date": "2026-12-03"}
