"""A province's server in Chromium: the communes' index, and one commune's console under /c/SCHEMA/.

The registrar of commune b opens the server's index, follows b's console
link, signs in with her key file and registers a household: every request
the page makes stays under b's address, b's log grows by one, a's does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from api.http.communes import create_communes_app
from tests.browser.conftest import shoot
from tests.browser.console.officer import check_and_sign, choose_type, key_file, type_in, watch
from tests.support.communes import Province, province
from tests.support.live import running

__all__ = ["province"]


@pytest.fixture
def live(province: Province) -> Iterator[str]:
    app = create_communes_app(province.communes(checkpoint_every_s=0.5, pool_size=4))
    with running(app) as url:
        yield url


def test_a_registrar_records_in_her_communes_console_on_the_provinces_server(
    live: str, page: Page, province: Province, tmp_path: Path
) -> None:
    a, b = province.stories["a"], province.stories["b"]
    before = a.app.size(), b.app.size()
    page.goto(live + "/")
    rows = page.locator("#communes tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("UBND xã xa-b")
    shoot(page, "communes-index")
    sent = watch(page)
    rows.nth(1).get_by_role("link", name="Bàn làm việc").click()
    key = key_file(tmp_path, "registrar", b.o.keys["registrar"], None)
    page.set_input_files("#key-file", str(key.path))
    page.click("#sign-in")
    expect(page.locator("#whoami")).to_be_visible()
    choose_type(page, "household.registered")
    type_in(page, "code", "XB-001")
    type_in(page, "village", "Bản Pá")
    assert check_and_sign(page) == before[1]
    shoot(page, "communes-console-recorded")
    assert (a.app.size(), b.app.size()) == (before[0], before[1] + 1)
    prefix = f"/c/{province.schemas['b']}/"
    paths = {urlsplit(r["url"]).path for r in sent.requests}
    assert paths and all(p.startswith(prefix) for p in paths), sorted(paths)
    assert f"{prefix}v1/statements" in paths
