"""Driving the officer console in a browser, as an officer would: key files, screens, forms.

What the tests share: key files written from the story's officers' keys,
every request a page sends recorded (to look for the private key in them),
and short verbs for the console's screens.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Request, expect

from ledger.formats.keys import KeyPair

PASSPHRASE = "mật-khẩu Chiềng En 2022"


@dataclass
class KeyFile:
    """A key written as its holder keeps it, and every form of its secret to look for."""

    path: Path
    passphrase: str | None
    secrets: list[str]


def key_file(directory: Path, name: str, pair: KeyPair, passphrase: str | None) -> KeyFile:
    pem = pair.to_pem(passphrase.encode() if passphrase else None).decode()
    path = directory / f"{name}.key"
    path.write_text(pem)
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    plain = pair.to_pem(None).decode()
    plain_body = "".join(line for line in plain.splitlines() if not line.startswith("-----"))
    secrets = [pem.strip(), body, plain_body, pair.seed.hex(), base64.b64encode(pair.seed).decode()]
    secrets += [base64.urlsafe_b64encode(pair.seed).decode().rstrip("=")]
    secrets += [line for line in pem.splitlines() if not line.startswith("-----")]  # each line
    if passphrase:
        secrets.append(passphrase)
    return KeyFile(path, passphrase, secrets)


@dataclass
class Sent:
    """Every request a page made: where, its headers and its body."""

    requests: list[dict[str, Any]] = field(default_factory=list)

    def record(self, request: Request) -> None:
        try:
            body = request.post_data_buffer or b""
        except Exception:  # a body Playwright cannot hand over (a stream) is read as bytes below
            body = b""
        self.requests.append(
            {"method": request.method, "url": request.url, "headers": request.headers, "body": body}
        )

    def posts(self, path: str) -> list[dict[str, Any]]:
        """The POST requests to ``path`` (a URL path)."""
        return [r for r in self.requests if r["method"] == "POST" and r["url"].endswith(path)]

    def leaks(self, secrets: list[str]) -> list[str]:
        found = []
        for sent in self.requests:
            text = sent["url"] + repr(sent["headers"]) + sent["body"].decode("latin-1")
            found += [f"{sent['url']}: {s[:12]}…" for s in secrets if s and s in text]
        return found


def watch(page: Page) -> Sent:
    sent = Sent()
    page.on("request", sent.record)
    return sent


def sign_in(page: Page, url: str, key: KeyFile) -> None:
    """Open the console, load the key file (the passphrase when asked), sign in."""
    page.goto(f"{url}/officer")
    page.set_input_files("#key-file", str(key.path))
    page.click("#sign-in")
    if key.passphrase:
        expect(page.locator("#key-error")).to_contain_text("mật khẩu")
        page.fill("#key-pass", key.passphrase)
        page.click("#sign-in")
    expect(page.locator("#whoami")).to_be_visible()


def choose_type(page: Page, statement_type: str) -> None:
    page.click("#tab-record")
    page.select_option("#statement-type", statement_type)
    expect(page.locator("#record-form")).to_be_visible()


def box(page: Page, path: str) -> Any:
    return page.locator(f'#record-form [data-field="{path}"]')


def type_in(page: Page, path: str, text: str) -> None:
    box(page, path).locator("input, textarea").first.fill(text)


def select(page: Page, path: str, value: str) -> None:
    box(page, path).locator("select").first.select_option(value)


def pick(page: Page, path: str, query: str, choice: str) -> None:
    """Search a picker and choose the result whose text holds ``choice``."""
    picker = box(page, path)
    picker.locator("input[type=search]").fill(query)
    picker.locator("ul.found button", has_text=choice).first.click()
    expect(picker.locator(".chosen")).to_contain_text(choice)


def check_and_sign(page: Page) -> int:
    """Check the form, see the preview, sign and record; the entry's index."""
    page.locator("#form-area .actions button", has_text="Kiểm tra").click()
    page.wait_for_selector("#sign:enabled, #problems:visible")
    problems = page.locator("#problems")
    assert not problems.is_visible(), problems.text_content()
    expect(page.locator("#preview")).to_be_visible()
    page.click("#sign")
    recorded = page.locator("#recorded")
    expect(recorded).to_be_visible()
    return int(recorded.inner_text().rstrip(".").split()[-1])
