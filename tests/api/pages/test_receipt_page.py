"""``/xac-nhan/{code}``: a payroll line checked by the lookup code printed on it, showing
the commune, program, month and amounts and nothing else; ``GET /v1/receipts/{code}``."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from api import reading
from api.sheets.payroll import payroll_sheet
from projections.reports.lookup import receipt_lines
from projections.reports.receipts import receipt_code
from tests.api.pages.test_plain_words import JARGON, for_villagers
from tests.api.sheets.commune import HUOI, INVALID_VND, ME, MONTH, Sheetland, make_sheetland
from tests.conftest import Story


def lines(story: Story) -> list[dict[str, Any]]:
    read = reading.read_at(reading.Direct(story.app), None)
    sheet = payroll_sheet(read, MONTH)
    return [row for group in sheet["villages"] for row in group["rows"]]


def paid_line(story: Story) -> dict[str, Any]:
    return next(r for r in lines(story) if r["payments"])


def secrets_of(land: Sheetland, row: dict[str, Any]) -> list[str]:
    person = row["person_id"]
    return [land.names[person], land.national_ids[person], row["household_code"], person]


def test_a_paid_line_shows_commune_program_month_amounts_and_that_it_was_signed_for(
    client: TestClient, story: Story
) -> None:
    make_sheetland(story, huoi=2, me=1)
    row = paid_line(story)
    response = client.get(f"/xac-nhan/{row['receipt_code']}")
    assert response.status_code == 200
    text = response.text
    assert "Trợ cấp thương binh" in text
    assert "01/2022" in text
    assert "1.624.000 đ" in text
    assert "Đã chi trả đủ." in text
    assert "ngày 10/01/2022" in text and "đã ký nhận" in text


def test_the_page_never_shows_a_name_household_village_or_id(
    client: TestClient, story: Story
) -> None:
    land = make_sheetland(story, huoi=2, me=2)
    for row in lines(story):
        for url in (f"/xac-nhan/{row['receipt_code']}", f"/v1/receipts/{row['receipt_code']}"):
            body = client.get(url).text
            for secret in [*secrets_of(land, row), row["village"], row["benefit_id"], HUOI, ME]:
                assert secret not in body, f"{secret!r} shown on {url}"
            for payment in row["payments"]:
                assert payment["payment_id"] not in body


def test_an_unpaid_line_says_so_and_keeps_its_code_once_paid(
    client: TestClient, story: Story
) -> None:
    land = make_sheetland(story, huoi=1, me=1)
    row = next(r for r in lines(story) if not r["payments"])
    code = row["receipt_code"]
    assert "Chưa chi trả." in client.get(f"/xac-nhan/{code}").text
    story.pay(row["benefit_id"], land.heads[row["benefit_id"]], month=MONTH, amount=row["due"])
    after = next(r for r in lines(story) if r["benefit_id"] == row["benefit_id"])
    assert after["receipt_code"] == code
    assert "Đã chi trả đủ." in client.get(f"/xac-nhan/{code}").text


def test_a_code_typed_lowercase_without_dash_or_with_o_and_i_finds_the_same_line(
    client: TestClient, story: Story
) -> None:
    make_sheetland(story, huoi=2, me=1)
    code = paid_line(story)["receipt_code"]
    sloppy = code.replace("-", "").lower().replace("0", "o").replace("1", "i")
    for url in (f"/xac-nhan/{sloppy}", f"/xac-nhan?ma={sloppy}", f"/v1/receipts/{sloppy}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert code in response.text


def test_the_json_twin_gives_the_pages_fields_only(client: TestClient, story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    row = paid_line(story)
    found = client.get(f"/v1/receipts/{row['receipt_code']}").json()
    assert set(found) == {
        "code",
        "ledger",
        "commune",
        "entries",
        "program_code",
        "program_name",
        "month",
        "due",
        "paid",
        "status",
        "payments",
    }
    assert (found["month"], found["due"], found["paid"]) == (MONTH, INVALID_VND, INVALID_VND)
    assert found["payments"] == [
        {"paid_on": "2022-01-10", "amount": INVALID_VND, "receipt": "signature"}
    ]
    assert found["code"] == receipt_code(found["ledger"], row["benefit_id"], MONTH)


def test_an_unknown_or_malformed_code_is_a_404_page_saying_how_to_type_it_and_whom_to_ask(
    client: TestClient, story: Story
) -> None:
    make_sheetland(story, huoi=1, me=1)
    for typed in ("ZZZZZ-ZZZZZ", "abc", "UUUUU-UUUUU", "12345-67890-12"):
        response = client.get(f"/xac-nhan/{typed}")
        assert response.status_code == 404, typed
        assert "10 chữ và số" in response.text
        assert "cán bộ tài chính xã" in response.text
        assert 'name="ma"' in response.text  # the form to try again
    english = client.get("/xac-nhan/ZZZZZ-ZZZZZ?lang=en")
    assert english.status_code == 404 and "No payment has the code" in english.text
    unknown = client.get("/v1/receipts/ZZZZZ-ZZZZZ")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "UNKNOWN_ENTITY"
    malformed = client.get("/v1/receipts/abc")
    assert malformed.status_code == 400
    assert malformed.json()["error"]["code"] == "INVALID_FIELD"
    assert "code" in malformed.json()["error"]["message"]


def test_the_page_reads_in_english_and_the_home_page_links_the_form(
    client: TestClient, story: Story
) -> None:
    make_sheetland(story, huoi=1, me=1)
    code = paid_line(story)["receipt_code"]
    english = client.get(f"/xac-nhan/{code}?lang=en").text
    assert "Paid in full." in english and "1,624,000 VND" in english and "signed for" in english
    home = client.get("/").text
    assert "Tra cứu khoản chi trả của bạn" in home and 'href="/xac-nhan"' in home
    form = client.get("/xac-nhan")
    assert form.status_code == 200 and 'action="/xac-nhan"' in form.text


def test_the_openapi_document_lists_the_receipt_lookup(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "404" in paths["/v1/receipts/{code}"]["get"]["responses"]
    assert "/xac-nhan/{code}" in paths


def test_every_payroll_line_is_found_by_its_code_with_the_sheets_amounts(story: Story) -> None:
    make_sheetland(story, huoi=3, me=2)
    snap = reading.read_at(reading.Direct(story.app), None).snap
    found = receipt_lines(snap)
    for row in lines(story):
        line = found[row["receipt_code"]]
        assert (line["month"], line["due"], line["paid"]) == (MONTH, row["due"], row["paid"])
        assert line["status"] == row["status"]


def test_the_lookup_pages_speak_plain_words(client: TestClient, story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    code = paid_line(story)["receipt_code"]
    for lang in ("vi", "en"):
        for url in (f"/xac-nhan/{code}", "/xac-nhan", "/xac-nhan/ZZZZZ-ZZZZZ"):
            words = for_villagers(client.get(f"{url}?lang={lang}").text)
            left = [term for term in JARGON[lang] if term.lower() in words.lower()]
            assert left == [], f"{url} ({lang}) still says {left}"
