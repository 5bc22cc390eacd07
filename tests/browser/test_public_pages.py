"""The public pages in a real browser: they load whole from the server, nothing from elsewhere."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page

from tests.browser.conftest import Live, shoot


def test_public_lists_page_loads_nothing_from_another_host(live: Live, page: Page) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live.url}/lists")
    assert page.locator("h1").first.inner_text().strip()
    hosts = {urlsplit(url).netloc for url in asked}
    assert hosts == {urlsplit(live.url).netloc}
    written = shoot(page, "public-lists")
    assert all(path.stat().st_size > 1000 for path in written)


def test_the_server_is_a_secure_context_with_ed25519_signing(live: Live, page: Page) -> None:
    page.goto(f"{live.url}/lists")
    length = page.evaluate(
        """async () => {
            const pair = await crypto.subtle.generateKey({name: 'Ed25519'}, false, ['sign']);
            const data = new TextEncoder().encode('ansinh');
            return (await crypto.subtle.sign({name: 'Ed25519'}, pair.privateKey, data)).byteLength;
        }"""
    )
    assert length == 64
