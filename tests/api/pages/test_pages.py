"""The public disclosure pages: what they show, what they never show, the other pages,
and bad requests (where a page comes from: :mod:`tests.api.pages.test_provenance`).

Every test runs on the configured backend (SQLite by default, PostgreSQL with
``ANSINH_TEST_DB=postgres``) through the HTTP app, as a reader would see it.
"""

from __future__ import annotations

import base64
import hashlib
import html
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.service import LedgerService
from tests.api.pages.commune import AMOUNT, SECRETS, benefit, page, person, shown
from tests.conftest import Officers, Story
from tests.projections.verbs import fund, pay, reverse, set_status


# -- what the list shows, and never shows ------------------------------------------------
def test_list_shows_approved_beneficiaries_names_and_amounts_but_no_personal_data(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/lists")
    assert "Quàng Văn Pọm" in text
    assert "1.624.000 đ" in text
    assert "Bản Huổi" in text
    for url in ("/lists", "/print/lists", "/lists.json", "/", "/lists?lang=en"):
        body = client.get(url).text
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked on {url}"


def test_a_proposed_or_rejected_benefit_is_not_listed(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/lists")
    assert "Lường Văn Chăn" not in text  # proposed, never approved
    assert "Tòng Thị Ọc" not in text  # rejected
    assert "2.436.000 đ" not in text
    assert "3.248.000 đ" not in text
    rows = client.get("/lists.json").json()["rows"]
    assert [r["name"] for r in rows if r["list"] == "beneficiaries"] == ["Quàng Văn Pọm"]


def test_poor_households_are_listed_with_their_head_and_status(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    near = story.household("Bản Huổi Pao")
    person(story, near, "Cầm Thị Ánh")
    set_status(story, near, "near_poor", "2022-01-01")
    rows = client.get("/lists.json?program=households").json()["rows"]
    assert [(r["village"], r["head"], r["status"]) for r in rows] == [
        ("Bản Huổi", "Quàng Văn Pọm", "poor"),
        ("Bản Huổi Pao", "Cầm Thị Ánh", "near_poor"),
    ]
    text = page(client, "/lists?program=households&village=B%E1%BA%A3n+Hu%E1%BB%95i+Pao")
    assert "hộ cận nghèo" in text and "Cầm Thị Ánh" in text
    assert "Quàng Văn Pọm" not in text  # another village


def test_a_village_filter_lists_only_that_village(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    elsewhere = story.household("Bản Tà Cọ")
    benefit(story, commune["program"], person(story, elsewhere, "Vì Văn Un"))
    text = page(client, "/lists?village=B%E1%BA%A3n+T%C3%A0+C%E1%BB%8D")
    assert "Vì Văn Un" in text
    assert "Quàng Văn Pọm" not in text


def test_pages_are_vietnamese_by_default_and_english_with_lang_en(
    client: TestClient, commune: dict[str, Any]
) -> None:
    vi = page(client, "/lists")
    assert '<html lang="vi">' in vi and 'name="viewport"' in vi
    assert "Họ và tên" in vi and "Thôn, bản" in vi and "Điểm kiểm chứng" in vi
    assert "hộ nghèo" in vi and "Name" not in vi
    en = page(client, "/lists?lang=en")
    assert '<html lang="en">' in en
    assert "Approved lists" in en and "Village" in en and "Head of household" in en
    assert "1,624,000 VND" in en and "Họ và tên" not in en
    assert "Quàng Văn Pọm" in en  # names stay as written
    assert shown(vi, "digest") == shown(en, "digest")  # the digest does not depend on language


def test_a_name_is_withheld_when_the_record_is_erased(
    client: TestClient, service: LedgerService, commune: dict[str, Any]
) -> None:
    service.ledger.erase_vault(commune["invalid"])
    text = page(client, "/lists")
    assert "Quàng Văn Pọm" not in text
    assert "(không công bố tên)" in text
    assert "1.624.000 đ" in text
    rows = client.get("/lists.json").json()["rows"]
    assert {r.get("name", r.get("head")) for r in rows} == {None}


def test_names_are_withheld_when_the_server_has_no_vault_key(
    db_url: str, officers: Officers, commune: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSINH_VAULT_KEY", raising=False)
    monkeypatch.delenv("ANSINH_VAULT_KEY_FILE", raising=False)
    service = LedgerService(db_url, notary=officers.keys["notary"])
    try:
        with TestClient(create_app(service)) as keyless:
            text = page(keyless, "/lists?lang=en")
    finally:
        service.ledger.close()
    assert "Quàng Văn Pọm" not in text
    assert "(name withheld)" in text and "1,624,000 VND" in text


# -- the other pages ------------------------------------------------------------------------
def test_the_home_page_links_villages_programs_totals_and_checkpoints(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/")
    assert "UBND xã Chiềng En" in text
    assert 'href="/lists?village=B%E1%BA%A3n+Hu%E1%BB%95i"' in text
    assert 'href="/lists?village=B%E1%BA%A3n+Hu%E1%BB%95i+Pao"' in text
    assert 'href="/lists?program=NCC-TB"' in text
    assert 'href="/totals"' in text and 'href="/checkpoints"' in text
    assert shown(text, "digest") == hashlib.sha256(client.get("/lists.json").content).hexdigest()


def test_totals_count_unreversed_payments_per_program_and_month(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    fund(story, commune["program"])
    paid, invalid = commune["benefit"], commune["invalid"]
    pay(story, paid, invalid, month="2022-01")
    pay(story, paid, invalid, month="2022-02")
    mistake = pay(story, paid, invalid, month="2022-02")
    reverse(story, mistake)
    doc = client.get("/totals.json?year=2022").json()
    assert [(r["program_code"], r["month"], r["payments"], r["paid"]) for r in doc["rows"]] == [
        ("NCC-TB", "2022-01", 1, AMOUNT),
        ("NCC-TB", "2022-02", 1, AMOUNT),
    ]
    text = page(client, "/totals")
    assert shown(text, "year") == "2022"
    assert shown(text, "grand-total") == "3.248.000 đ"
    assert "02/2022" in text
    assert shown(text, "digest") == hashlib.sha256(client.get("/totals.json").content).hexdigest()
    assert "No payments" in page(client, "/totals?year=2021&lang=en")


def test_the_checkpoints_page_shows_signed_checkpoints_and_how_to_verify(
    client: TestClient, service: LedgerService, commune: dict[str, Any]
) -> None:
    issued = service.sign_checkpoint()
    assert issued is not None
    text = page(client, "/checkpoints")
    assert f'data-label="Số bút toán đã ghi">{issued.size}<' in text
    assert base64.b64encode(issued.root).decode() in text
    assert html.escape(issued.note.splitlines()[0]) in text
    assert "ansinh verify" in text and "sha256sum" in text


# -- bad requests -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/lists?on=2022-02-30", "on"),
        ("/lists?as_of=yesterday", "as_of"),
        ("/lists?as_of=999999", "as_of"),
        ("/print/lists?on=30/01/2022", "on"),
        ("/print/lists?as_of=-1", "as_of"),
        ("/totals?year=22", "year"),
        ("/lists?lang=fr", "lang"),
        ("/?as_of=x", "as_of"),
    ],
)
def test_a_bad_parameter_gets_a_400_page_naming_it(
    client: TestClient, commune: dict[str, Any], url: str, field: str
) -> None:
    text = page(client, url, status=400)
    assert shown(text, "problem") == f"Tham số «{field}» không hợp lệ."
    assert '<html lang="vi">' in text
    if field != "lang":
        english = page(client, url + "&lang=en", status=400)
        assert shown(english, "problem") == f"The parameter «{field}» is not valid."


@pytest.mark.parametrize(
    ("url", "vi", "en"),
    [
        (
            "/lists?village=B%E1%BA%A3n+Kh%C3%B4ng",
            "Không có thôn, bản «Bản Không».",
            "There is no village «Bản Không».",
        ),
        ("/print/lists?program=XYZ", "Không có chương trình «XYZ».", "There is no program «XYZ»."),
    ],
)
def test_an_unknown_village_or_program_gets_a_404_page_in_the_page_language(
    client: TestClient, commune: dict[str, Any], url: str, vi: str, en: str
) -> None:
    assert shown(page(client, url, status=404), "problem") == vi
    english = page(client, url + "&lang=en", status=404)
    assert shown(english, "problem") == en and '<html lang="en">' in english


def test_the_json_document_refuses_a_bad_date_as_the_api_does(
    client: TestClient, commune: dict[str, Any]
) -> None:
    response = client.get("/lists.json?on=2022-13-01")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_FIELD"
    assert response.json()["error"]["message"].startswith("on:")
