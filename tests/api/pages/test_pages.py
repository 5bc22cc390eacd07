"""The public disclosure pages: what they show, what they never show, and their digest.

Every test runs on the configured backend (SQLite by default, PostgreSQL with
``ANSINH_TEST_DB=postgres``) through the HTTP app, as a reader would see it.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import rfc8785
import segno
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.service import LedgerService
from ledger.formats.vault import VaultRecord
from tests.conftest import Officers, Story, new_id
from tests.projections.verbs import fund, pay, reverse, set_status

AMOUNT = 1_624_000
NATIONAL_ID = "014062009137"
ETHNICITY = "Xinh Mun"
BANK_ACCOUNT = "VBARD-7301-2055-9981"
SECRETS = (NATIONAL_ID, ETHNICITY, BANK_ACCOUNT, "nhiễm chất độc")


def person(story: Story, household_id: str, name: str, relation: str = "head") -> str:
    """A person with a full vault record: a name, and personal data no page may show."""
    pid = new_id()
    record = VaultRecord.new(
        pid,
        {
            "full_name": name,
            "national_id": NATIONAL_ID,
            "ethnicity": ETHNICITY,
            "bank_account": BANK_ACCOUNT,
            "health": "nhiễm chất độc hóa học, mất sức lao động 61%",
        },
    )
    body = {"person_id": pid, "household_id": household_id, "relation": relation, "sex": "m"}
    body |= {"birth_year": 1948, "pii": record.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(record,)))
    return pid


def benefit(
    story: Story, program_id: str, person_id: str, decision: str | None = "approved", **kw: int
) -> str:
    """A benefit proposed by the registrar, then approved, rejected or (None) left waiting."""
    bid = new_id()
    body = {"benefit_id": bid, "program_id": program_id, "person_id": person_id}
    body |= {"amount": kw.get("amount", AMOUNT), "start": "2022-01", "basis": "Thương binh 61%"}
    story.submit(story.o.sub("registrar", "benefit.proposed", body))
    if decision == "approved":
        body = {"benefit_id": bid, "decision": {"number": "15/QĐ-UBND", "date": "2022-01-06"}}
        story.submit(story.o.sub("approver", "benefit.approved", body))
    elif decision == "rejected":
        body = {"benefit_id": bid, "reason": "không đủ điều kiện"}
        story.submit(story.o.sub("approver", "benefit.rejected", body))
    return bid


def program(story: Story, code: str) -> str:
    pid = new_id()
    body = {"program_id": pid, "code": code, "name": "Trợ cấp hằng tháng thương binh"}
    body |= {"category": "meritorious", "kind": "monthly"}
    story.submit(story.o.sub("authority", "program.defined", body))
    return pid


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return response.text


def shown(text: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', text)
    assert found is not None, f"no #{element_id} on the page"
    return html.unescape(found.group(1))


def attribute(text: str, element_id: str, name: str) -> str:
    tag = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', text)
    assert tag is not None, f"no #{element_id} on the page"
    found = re.search(rf'{name}="([^"]+)"', tag.group(0))
    assert found is not None, f"#{element_id} has no {name}"
    return html.unescape(found.group(1))


def qr_modules(svg: str) -> str:
    """The QR symbol's path (in modules), independent of scale and title."""
    found = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert found is not None
    return found.group(1)


@pytest.fixture
def commune(story: Story) -> dict[str, Any]:
    """Two villages: an approved war invalid heading a poor household; a proposed and a
    rejected benefit."""
    meritorious = program(story, "NCC-TB")
    huoi = story.household("Bản Huổi")
    invalid = person(story, huoi, "Quàng Văn Pọm")
    approved = benefit(story, meritorious, invalid)
    set_status(story, huoi, "poor", "2022-01-01")
    pao = story.household("Bản Huổi Pao")
    waiting = person(story, pao, "Lường Văn Chăn")
    benefit(story, meritorious, waiting, None, amount=2_436_000)
    refused = person(story, pao, "Tòng Thị Ọc", relation="member")
    benefit(story, meritorious, refused, "rejected", amount=3_248_000)
    return {"program": meritorious, "huoi": huoi, "invalid": invalid, "benefit": approved}


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


# -- where a page comes from, and its digest ---------------------------------------------
def test_the_digest_on_the_page_is_sha256_of_the_jcs_document(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/lists?village=B%E1%BA%A3n+Hu%E1%BB%95i")
    json_url = attribute(text, "json-link", "href")
    document = client.get(json_url)
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/json"
    assert document.content == rfc8785.dumps(json.loads(document.content))
    digest = hashlib.sha256(document.content).hexdigest()
    assert shown(text, "digest") == digest
    assert document.headers["x-ansinh-digest"] == f"sha256:{digest}"
    doc = document.json()
    assert set(doc) == {"ledger", "on", "as_of", "root", "village", "program", "rows"}
    assert (doc["village"], doc["program"]) == ("Bản Huổi", None)
    assert [(r["list"], r.get("name") or r.get("head")) for r in doc["rows"]] == [
        ("households", "Quàng Văn Pọm"),
        ("beneficiaries", "Quàng Văn Pọm"),
    ]


def test_a_page_names_the_tree_size_and_root_it_was_drawn_from(
    client: TestClient, service: LedgerService, commune: dict[str, Any]
) -> None:
    service.sign_checkpoint()
    size = service.size()
    root = base64.b64encode(service.merkle().root(size)).decode()
    for url in ("/", "/lists", "/totals", "/checkpoints", "/print/lists"):
        text = page(client, url)
        assert (shown(text, "tree-size"), shown(text, "root")) == (str(size), root), url
        assert shown(text, "signed") == "đã ký", url


def test_the_projection_lag_is_shown_when_the_read_models_are_behind(
    client: TestClient,
    service: LedgerService,
    commune: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert 'id="lag"' not in page(client, "/lists")
    size = service.size()
    monkeypatch.setattr(service, "lag", lambda: (size - 3, size))
    text = page(client, "/lists?lang=en")
    assert "3 entries behind" in shown(text, "lag")


def test_the_print_page_carries_the_digest_and_a_qr_code_pinning_the_tree_size(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    text = page(client, "/print/lists?village=B%E1%BA%A3n+Hu%E1%BB%95i")
    size = story.app.size()
    digest = shown(text, "digest")
    assert shown(text, "print-digest") == digest
    url = attribute(text, "qr", "data-url")
    assert shown(text, "qr-url") == url
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/lists")
    params = parse_qs(parts.query)
    assert params["as_of"] == [str(size)] and params["village"] == ["Bản Huổi"]
    day, month, year = shown(text, "on").split("/")
    assert params["on"] == [f"{year}-{month}-{day}"]
    svg = text[text.index("<svg") : text.index("</svg>") + 6]
    assert qr_modules(svg) == qr_modules(segno.make(url, error="m").svg_inline())
    # the QR code keeps showing that list after the ledger has grown
    benefit(story, commune["program"], person(story, commune["huoi"], "Lò Văn Ban"))
    later = page(client, parts.path + "?" + parts.query)
    assert shown(later, "digest") == digest and "Lò Văn Ban" not in later
    assert "Lò Văn Ban" in page(client, "/lists")


def test_as_of_shows_what_the_ledger_knew_then(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    before = story.app.size()
    recorded_at = next(iter(story.app.entries(before - 1, before))).recorded_at
    benefit(story, commune["program"], person(story, commune["huoi"], "Lò Văn Ban"))
    assert "Lò Văn Ban" in page(client, "/lists")
    then = page(client, f"/lists?as_of={before}")
    assert "Lò Văn Ban" not in then and "Quàng Văn Pọm" in then
    assert shown(then, "tree-size") == str(before)
    by_time = page(client, f"/lists?as_of={recorded_at}")
    assert shown(by_time, "tree-size") == str(before)
    assert shown(by_time, "digest") == shown(then, "digest")


def test_a_kept_page_is_redrawn_when_the_log_grows(
    client: TestClient, service: LedgerService, story: Story, commune: dict[str, Any]
) -> None:
    service.sign_checkpoint()  # a signed page is kept as it is until the log grows
    first = page(client, "/lists")
    assert page(client, "/lists") == first  # kept
    benefit(story, commune["program"], person(story, commune["huoi"], "Lò Văn Ban"))
    again = page(client, "/lists")
    assert "Lò Văn Ban" in again
    assert int(shown(again, "tree-size")) == int(shown(first, "tree-size")) + 3


def test_a_client_holding_the_page_gets_not_modified(
    client: TestClient, service: LedgerService, commune: dict[str, Any]
) -> None:
    service.sign_checkpoint()
    first = client.get("/lists")
    again = client.get("/lists", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


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
    assert f'data-label="Số bút toán (kích thước cây)">{issued.size}<' in text
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
