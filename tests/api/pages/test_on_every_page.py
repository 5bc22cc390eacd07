"""``?on=`` (the day a reader asks about) works on every page, and stays from page to page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.pages.commune import page, shown

PAGES = ("/", "/lists", "/print/lists", "/totals", "/checkpoints")
NAV = re.compile(r'<nav class="site".*?</nav>', flags=re.S)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_takes_the_day_and_its_links_keep_it(
    client: TestClient, commune: dict[str, Any], url: str
) -> None:
    text = page(client, f"{url}?on=2022-01-15")
    nav = NAV.search(text)
    assert nav is not None
    links = re.findall(r'href="([^"]+)"', nav.group(0))
    assert len(links) == 5 and all("on=2022-01-15" in link for link in links), links
    drawn = "/totals.json?year=2022" if url == "/totals" else "/lists.json?on=2022-01-15"
    assert drawn in text.replace("&amp;", "&")  # drawn from that day's list (or year)


@pytest.mark.parametrize("url", ["/", "/lists", "/print/lists"])
def test_the_lists_pages_show_the_day_asked_for(
    client: TestClient, commune: dict[str, Any], url: str
) -> None:
    assert shown(page(client, f"{url}?on=2022-01-15"), "on") == "15/01/2022"
    assert shown(page(client, f"{url}?on=2022-01-15&lang=en"), "on") == "2022-01-15"


def test_the_home_page_counts_the_lists_of_the_day_asked_for(
    client: TestClient, commune: dict[str, Any]
) -> None:
    before = page(client, "/?on=2021-12-31")  # before the household was rated poor
    after = page(client, "/?on=2022-01-15")
    assert "0 hộ nghèo" in before and "1 hộ nghèo" in after
    assert shown(before, "digest") != shown(after, "digest")
    village = re.search(r'href="(/lists\?village=[^"]+)"', before)
    assert village is not None and "on=2021-12-31" in village.group(1)


def test_the_totals_page_shows_the_year_of_the_day_asked_for(
    client: TestClient, commune: dict[str, Any]
) -> None:
    assert shown(page(client, "/totals?on=2021-06-30"), "year") == "2021"
    assert shown(page(client, "/totals?on=2021-06-30&year=2022"), "year") == "2022"
    assert client.get("/totals.json?on=2021-06-30").json()["year"] == 2021


@pytest.mark.parametrize("url", PAGES)
def test_a_day_that_is_not_a_date_is_refused_on_every_page_naming_on(
    client: TestClient, commune: dict[str, Any], url: str
) -> None:
    text = page(client, f"{url}?on=15-01-2022", status=400)
    assert "«on»" in shown(text, "problem")
    nav = NAV.search(text)
    assert nav is not None
    site, other_language = re.findall(r'href="([^"]+)"', nav.group(0))[:4], nav.group(0)
    assert not any("15-01-2022" in link for link in site)  # the site's links drop it
    assert "15-01-2022" in other_language  # (the same refusal, in the other language)
