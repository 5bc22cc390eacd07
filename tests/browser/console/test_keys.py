"""Keys in the console: made in the browser, registered by the admin, refused with clear words.

A new officer makes their key in the page and downloads it (encrypted with
their passphrase) with its .pub; the admin registers the .pub through the
console's form; the officer then signs in with the downloaded file. A file
that is not a key, or a wrong passphrase, is named as such; signing out
forgets the key.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Download, Page, expect

from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import (
    PASSPHRASE,
    KeyFile,
    check_and_sign,
    choose_type,
    key_file,
    sign_in,
    type_in,
    watch,
)
from tests.conftest import Story

NEW_NAME, NEW_PASS = "Lường Thị Mai", "hoa ban nở tháng ba"


def make_key_in_the_page(page: Page, url: str, tmp_path: Path) -> tuple[Path, Path]:
    """Create a key on the key screen; the key file and the .pub it downloads."""
    downloads: list[Download] = []
    page.on("download", lambda found: downloads.append(found))
    page.goto(f"{url}/officer")
    page.fill("#new-name", NEW_NAME)
    page.fill("#new-pass", NEW_PASS)
    page.fill("#new-pass2", NEW_PASS + "!")
    page.click("#create-key button[type=submit]")
    expect(page.locator("#created")).to_contain_text("không giống nhau")
    page.fill("#new-pass2", NEW_PASS)
    page.click("#create-key button[type=submit]")
    expect(page.locator("#created")).to_contain_text("Đã tạo khóa", timeout=30_000)
    for _ in range(100):  # the two downloads' events may arrive after the notice
        if len(downloads) == 2:
            break
        page.wait_for_timeout(50)
    assert len(downloads) == 2
    saved = {}
    for found in downloads:
        target = tmp_path / found.suggested_filename
        found.save_as(target)
        saved[target.suffix] = target
    shoot(page, "console-key-created")
    return saved[".key"], saved[".pub"]


def test_a_key_made_in_the_browser_is_registered_by_the_admin_and_signs_in(
    live: Live, browser: Browser, story: Story, tmp_path: Path
) -> None:
    newcomer = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = newcomer.new_page()
    sent = watch(page)
    key_path, pub_path = make_key_in_the_page(page, live.url, tmp_path)
    assert "ENCRYPTED PRIVATE KEY" in key_path.read_text()

    admin_context = browser.new_context(locale="vi-VN")
    admin = admin_context.new_page()
    authority = key_file(tmp_path, "authority", story.o.keys["authority"], PASSPHRASE)
    sign_in(admin, live.url, authority)
    choose_type(admin, "key.registered")
    admin.set_input_files("#pub-file", str(pub_path))
    expect(admin.locator('[data-field="holder.name"] input')).to_have_value(NEW_NAME)
    type_in(admin, "holder.id", "mai.lt")
    admin.locator('[data-field="roles"] input[value="registrar"]').check()
    size = story.app.size()
    assert check_and_sign(admin) == size

    pem = key_path.read_text()
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    mine = KeyFile(key_path, NEW_PASS, [pem.strip(), body, NEW_PASS])
    sign_in(page, live.url, mine)
    expect(page.locator("#whoami")).to_contain_text(NEW_NAME)
    expect(page.locator("#my-roles")).to_have_text("Công chức văn hóa - xã hội")
    assert sent.leaks(mine.secrets) == []
    newcomer.close()
    admin_context.close()


def test_a_file_that_is_not_a_key_and_a_wrong_passphrase_are_named(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    not_a_key = tmp_path / "danh-sach.key"
    not_a_key.write_text("STT,Họ và tên\n1,Lò Thị Xuân\n")
    page.goto(f"{live.url}/officer")
    page.set_input_files("#key-file", str(not_a_key))
    page.click("#sign-in")
    expect(page.locator("#key-error")).to_contain_text("không phải tệp khóa")
    locked = key_file(tmp_path, "registrar", story.o.keys["registrar"], PASSPHRASE)
    page.set_input_files("#key-file", str(locked.path))
    page.click("#sign-in")
    expect(page.locator("#key-error")).to_contain_text("có mật khẩu")
    page.fill("#key-pass", "sai mật khẩu")
    page.click("#sign-in")
    expect(page.locator("#key-error")).to_contain_text("Sai mật khẩu")
    shoot(page, "console-key-wrong-passphrase")
    expect(page.locator("#tab-record")).to_be_disabled()


def test_signing_out_forgets_the_key_and_closes_the_screens(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    sign_in(page, live.url, key_file(tmp_path, "cashier", story.o.keys["cashier"], None))
    expect(page.locator("#tab-payroll")).to_be_enabled()
    page.click("#sign-out")
    expect(page.locator("#load-key")).to_be_visible()
    expect(page.locator("#tab-payroll")).to_be_disabled()
    assert page.evaluate("() => sessionStorage.length + localStorage.length") == 0


def test_the_console_speaks_english_when_asked(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    page.goto(f"{live.url}/officer?lang=en")
    expect(page.locator("h1")).to_have_text("Key & sign-in")
    page.set_input_files(
        "#key-file", str(key_file(tmp_path, "r", story.o.keys["registrar"], None).path)
    )
    page.click("#sign-in")
    expect(page.locator("#my-roles")).to_have_text("Registrar")
    page.click("#tab-record")
    page.select_option("#statement-type", "household.registered")
    expect(page.locator('#record-form [data-field="village"] label')).to_have_text("Village")
    shoot(page, "console-english")
