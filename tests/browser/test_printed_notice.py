"""The printed village notice, as a browser shows and prints it, from ``ansinh serve
--public-url``: its QR code, read off the screen, opens the public address of exactly
that list; and a village's rows print on as few pages as they need."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page
from pypdf import PdfReader

from ledger.formats.vault import VaultKey
from tests.api.cli.test_serve import Served, serving
from tests.api.pages.commune import make_commune
from tests.browser.conftest import shoot
from tests.conftest import Officers, Story
from tests.projections.verbs import set_status

PUBLIC = "https://xa-chieng-en.example.vn"
VILLAGE = "Bản Huổi"
MANY = 45  # poor households in Bản Nà Hày: more than one A4 page holds, fewer than two


@pytest.fixture
def served(
    story: Story, db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey
) -> Iterator[Served]:
    """``ansinh serve --public-url`` over the pages' commune, and a village of many rows."""
    make_commune(story)
    for _ in range(MANY):
        set_status(story, story.household("Bản Nà Hày"), "poor", "2022-01-01")
    with serving(db_url, tmp_path, officers, vault_key, "--public-url", PUBLIC + "/") as running:
        yield running


def qr_text(page: Page) -> str:
    """What the notice's QR code says, read from a screenshot of it."""
    picture = Image.open(io.BytesIO(page.locator("#qr svg").screenshot()))
    found = zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, "no QR code could be read off the notice"
    return str(found[0].text)


def test_the_printed_notice_qr_code_opens_the_public_address_of_that_list(
    served: Served, page: Page
) -> None:
    assert f"  printed notices carry {PUBLIC}" in served.banner
    page.goto(f"{served.url}/print/lists?village={quote(VILLAGE)}&on=2022-03-31")
    read = qr_text(page)
    as_of = page.locator("#tree-size").inner_text()
    village = quote(VILLAGE).replace("%20", "+")
    assert read == f"{PUBLIC}/lists?village={village}&on=2022-03-31&as_of={as_of}"
    assert page.locator("#qr-url").inner_text() == read
    assert page.locator("#qr").get_attribute("data-url") == read
    shoot(page, "printed-notice")


def test_the_short_check_code_on_the_notice_is_the_start_of_the_page_it_opens(
    served: Served, page: Page
) -> None:
    page.goto(f"{served.url}/print/lists?village={quote(VILLAGE)}")
    printed = page.locator("#print-digest-short").inner_text()
    opened = qr_text(page).removeprefix(PUBLIC)  # the same list, at this server
    page.goto(served.url + opened)
    assert page.locator("#digest-short").inner_text() == printed
    assert page.locator("#digest").inner_text().startswith(printed.replace(" ", ""))


def pdf_pages(page: Page, url: str) -> list[str]:
    """The text of each A4 page the browser prints of ``url``."""
    page.goto(url)
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    return [p.extract_text() for p in reader.pages]


def test_a_village_prints_on_as_few_pages_as_its_rows_need(served: Served, page: Page) -> None:
    small = pdf_pages(page, f"{served.url}/print/lists?village={quote(VILLAGE)}")
    assert len(small) == 1, small
    many = pdf_pages(page, f"{served.url}/print/lists?village={quote('Bản Nà Hày')}")
    assert len(many) == 2, [len(p.splitlines()) for p in many]
    first = [line for line in many[0].splitlines() if line.endswith("hộ nghèo")]
    assert len(first) >= 33  # rows a page (a row 9 mm high, as before, gave 20)
    assert many[1].startswith("STT Mã hộ Chủ hộ")  # the column heads again, atop page 2
    assert sum(line.endswith("hộ nghèo") for page in many for line in page.splitlines()) == MANY
