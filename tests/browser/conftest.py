"""Browser tests: Debian's Chromium, headless, driven by Playwright, against a live server.

``live`` serves the story's ledger (:mod:`tests.conftest`) on a free port of
127.0.0.1 (a secure context: WebCrypto works there) in a thread of this
process; ``page`` is a fresh browser context on it. Chromium must be
installed (``make test`` installs it, ``scripts/ensure-chromium.sh``): a
machine without it fails these tests, it does not skip them.

``shoot(page, name)`` writes a screenshot at 1280x800 and 412x915 to
``build/screenshots/`` (looked at by people, not compared by the tests).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.support.live import running
from tests.support.paths import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORTS = ((1280, 800), (412, 915))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed (make test installs it: scripts/ensure-chromium.sh)")
    return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@dataclass
class Live:
    """A server on a free port of 127.0.0.1, serving the story's ledger."""

    url: str
    service: Any


@pytest.fixture
def live(service: Any) -> Iterator[Live]:
    from api.http.app import create_app

    with running(create_app(service)) as url:
        yield Live(url, service)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    return opened


def shoot(page: Page, name: str) -> list[Path]:
    """Screenshots of the page as it is, at each viewport; the viewport is put back."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size
    written = []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        path = SCREENSHOTS / f"{name}-{width}x{height}.png"
        page.screenshot(path=str(path), full_page=True)
        written.append(path)
    if before is not None:
        page.set_viewport_size(before)
    return written
