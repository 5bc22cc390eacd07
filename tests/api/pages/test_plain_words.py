"""The pages villagers read: plain words, counts that say what they count, a check code
short enough to compare by eye; technical terms only in the part marked for inspectors."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.pages.commune import page, shown

PAGES = ("/", "/lists", "/print/lists?village=Bản Huổi", "/totals", "/checkpoints")
# Words a villager should not have to know; each stays in the inspectors' part.
JARGON = {
    "vi": (
        "Merkle",
        "kích thước cây",
        "JCS",
        "RFC 8785",
        "SHA-256",
        "sha256sum",
        "mã băm",
        "hệ 16",
        "JSON",
        "base64",
        "tree size",
        "mô hình đọc",
        "dữ liệu đọc",
    ),
    "en": ("Merkle", "tree size", "JCS", "RFC 8785", "SHA-256", "sha256sum", "digest", "JSON"),
}
SHORT = re.compile(r"[0-9a-f]{4}( [0-9a-f]{4}){7}")


def for_villagers(text: str) -> str:
    """The words a page shows, without its styles and its part for inspectors."""
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r'<section class="technical".*?</section>', " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def part(text: str, opening: str) -> str:
    """The words of the element that opens with ``opening``, on one line."""
    found = re.search(opening + r".*?</(p|ul)>", text, flags=re.S)
    assert found is not None, f"no {opening} on the page"
    return re.sub(r" ([;.,])", r"\1", " ".join(for_villagers(found.group(0)).split()))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("url", PAGES)
def test_no_jargon_is_left_on_the_pages_villagers_read(
    client: TestClient, commune: dict[str, Any], url: str, lang: str
) -> None:
    text = page(client, url + ("&" if "?" in url else "?") + f"lang={lang}")
    words = for_villagers(text)
    left = [term for term in JARGON[lang] if term.lower() in words.lower()]
    assert left == [], f"{url} ({lang}) still says {left}"
    assert 'class="technical"' in text, f"{url} has no part marked for inspectors"


def test_the_technical_terms_are_kept_for_inspectors(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/lists")
    technical = re.search(r'<section class="technical".*?</section>', text, flags=re.S)
    assert technical is not None
    said = html.unescape(technical.group(0))
    assert "Dành cho cán bộ thanh tra, kiểm tra" in said
    for term in ("Gốc Merkle", "Kích thước cây Merkle", "JCS (RFC 8785)", "SHA-256", "sha256sum"):
        assert term in said
    plain = for_villagers(text)
    for term in ("Mã kiểm chứng của sổ", "Số bút toán đã ghi", "Mã đối chiếu danh sách"):
        assert term in plain


@pytest.mark.parametrize("url", PAGES)
def test_the_short_check_code_is_the_first_eight_groups_of_the_digest(
    client: TestClient, commune: dict[str, Any], url: str
) -> None:
    text = page(client, url)
    digest = shown(text, "digest")
    short = shown(text, "digest-short")
    assert SHORT.fullmatch(short), short
    assert short.replace(" ", "") == digest[:32]
    assert shown(text, "digest-full").replace(" ", "") == digest
    assert "8 nhóm, mỗi nhóm 4 ký tự" in for_villagers(text)


def test_the_printed_notice_carries_the_short_check_code_beside_the_full_one(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/print/lists?village=Bản Huổi")
    full = shown(text, "print-digest")
    assert shown(text, "print-digest-short") == " ".join(full[i : i + 4] for i in range(0, 32, 4))
    assert full == shown(text, "digest")
    stamp = re.search(r'<figure class="stamp".*?</figure>', text, flags=re.S)
    assert stamp is not None and "Cách so:" in stamp.group(0)


def test_the_home_page_counts_households_by_status_and_the_people_receiving_benefits(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/")
    assert (
        part(text, r'<p id="counted">')
        == "1 hộ nghèo, 0 hộ cận nghèo; 1 người hưởng chế độ, trợ cấp."
    )
    assert part(text, r'<ul class="links" id="villages">') == (
        "Bản Huổi 1 hộ nghèo, 0 hộ cận nghèo; 1 người hưởng chế độ, trợ cấp "
        "Bản Huổi Pao 0 hộ nghèo, 0 hộ cận nghèo; chưa ai hưởng chế độ, trợ cấp"
    )
    english = part(page(client, "/?lang=en"), r'<p id="counted">')
    assert english == "1 poor household, 0 near-poor households; 1 person receiving benefits."
