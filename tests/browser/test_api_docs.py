"""``/docs`` and ``/redoc`` render with no Internet: every request to another host is refused."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Page, Route

from tests.browser.conftest import Live, shoot

LOCAL = ("127.0.0.1", "localhost")


def offline(page: Page) -> list[str]:
    """Cut the page off from every host but this machine; the addresses it tried elsewhere."""
    refused: list[str] = []

    def only_local(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOCAL:
            route.continue_()
        else:
            refused.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", only_local)
    return refused


def blocked(page: Page) -> list[str]:
    """What the page's Content-Security-Policy stopped, as the browser reports it."""
    said: list[str] = []
    page.on("console", lambda m: said.append(m.text) if "Content Security" in m.text else None)
    return said


def test_swagger_ui_shows_the_operations_offline(live: Live, page: Page) -> None:
    refused, stopped = offline(page), blocked(page)
    page.goto(f"{live.url}/docs")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for()
    paths = operations.all_inner_texts()
    assert any(p.strip() == "/v1/statements" for p in paths)
    assert any(p.strip() == "/print/lists" for p in paths)
    assert page.locator(".info .title").inner_text().startswith("ansinh")
    assert refused == [] and stopped == []
    shoot(page, "api-docs-swagger")


def test_redoc_shows_the_title_and_operations_offline(live: Live, page: Page) -> None:
    refused, stopped = offline(page), blocked(page)
    page.goto(f"{live.url}/redoc")
    title = page.locator("h1").first
    title.wait_for()
    assert title.inner_text().startswith("ansinh")
    operation = page.locator("h2", has_text="The approved lists (HTML)")
    operation.wait_for()
    assert operation.is_visible()
    assert refused == []
    # only ReDoc's own logo, which it loads from its maker's site, is kept from loading
    assert all("img-src" in said and "logo" in said for said in stopped)
    shoot(page, "api-docs-redoc")
