"""A beneficiary's confirmation from the lookup page (docs/formats.md 11.5, api.pages.confirm).

With the page's key (role intake), a line's page shows the buttons; a press
from the page itself is recorded as ``receipt.confirmed`` signed by that key,
and the page thanks and counts. Without the key, or with one the ledger does
not know, the page tells whom to tell. A form from another site, a made-up
answer, an unknown code and too many presses are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from ledger.domain.base import read_statement
from tests.conftest import Story
from tests.support.drafts import adopted_1_3
from tests.support.steps.grievances import INTAKE, intake_key, paid_line

ORIGIN = {"origin": "http://testserver"}


@pytest.fixture
def code(story: Story) -> str:
    """A paid line's code, in a ledger following 1.3 with the page's key registered."""
    intake_key(story)
    return paid_line(story)


@pytest.fixture
def taking(service: Any, story: Story, code: str) -> Iterator[TestClient]:
    with TestClient(create_app(service, intake=story.o.keys[INTAKE])) as test_client:
        yield test_client


def _last(story: Story) -> dict[str, Any]:
    return read_statement(story.app.entry(story.app.size() - 1).envelope)


def test_a_press_from_the_page_is_recorded_and_the_page_thanks_and_counts(
    taking: TestClient, story: Story, code: str
) -> None:
    page = taking.get(f"/xac-nhan/{code}")
    assert 'id="confirm-received"' in page.text and "Tôi chưa nhận / nhận không đủ" in page.text
    size = story.app.size()
    sent = taking.post(
        f"/xac-nhan/{code}",
        data={"ket_qua": "wrong_amount"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/xac-nhan/{code}?da_gui=wrong_amount"
    assert story.app.size() == size + 1
    statement = _last(story)
    assert statement["type"] == "receipt.confirmed"
    assert statement["by"] == story.o.keys[INTAKE].key_id
    body = statement["body"]
    assert (body["code"], body["outcome"]) == (code, "wrong_amount")
    assert set(body) == {"confirmation_id", "code", "outcome", "confirmed_on"}  # nothing of who
    thanked = taking.get(sent.headers["location"])
    assert "Đã ghi phản ánh: bạn nhận không đủ." in thanked.text
    assert "1 lần báo nhận không đủ" in thanked.text


def test_without_the_key_the_page_sends_villagers_to_the_commune_office(
    client: TestClient, story: Story, code: str
) -> None:
    page = client.get(f"/xac-nhan/{code}")
    assert 'id="confirm-received"' not in page.text
    assert "hãy báo tại Ủy ban nhân dân xã" in page.text
    refused = client.post(f"/xac-nhan/{code}", data={"ket_qua": "received"}, headers=ORIGIN)
    assert refused.status_code == 403


def test_a_key_the_ledger_does_not_hold_as_intake_takes_nothing(service: Any, story: Story) -> None:
    adopted_1_3(story)
    code = paid_line(story)
    with TestClient(create_app(service, intake=story.o.keys["cashier"])) as test_client:
        assert 'id="confirm-received"' not in test_client.get(f"/xac-nhan/{code}").text


@pytest.mark.parametrize(
    "headers", [{"origin": "https://elsewhere.example"}, {"sec-fetch-site": "cross-site"}, {}]
)
def test_a_form_from_another_site_is_refused(
    taking: TestClient, story: Story, code: str, headers: dict[str, str]
) -> None:
    size = story.app.size()
    refused = taking.post(f"/xac-nhan/{code}", data={"ket_qua": "received"}, headers=headers)
    assert refused.status_code == 403
    assert "Chỉ nhận xác nhận gửi từ chính trang tra cứu này." in refused.text
    assert story.app.size() == size


def test_a_made_up_answer_and_an_unknown_code_are_refused(
    taking: TestClient, story: Story, code: str
) -> None:
    size = story.app.size()
    made_up = taking.post(f"/xac-nhan/{code}", data={"ket_qua": "maybe"}, headers=ORIGIN)
    assert made_up.status_code == 400
    unknown = taking.post("/xac-nhan/ZZZZZ-ZZZZZ", data={"ket_qua": "received"}, headers=ORIGIN)
    assert unknown.status_code == 404
    assert story.app.size() == size


def test_more_presses_than_the_rate_allows_are_refused_with_retry_after(
    taking: TestClient, story: Story, code: str
) -> None:
    answers = [
        taking.post(
            f"/xac-nhan/{code}",
            data={"ket_qua": "received"},
            headers=ORIGIN,
            follow_redirects=False,
        ).status_code
        for _ in range(4)
    ]
    assert answers == [303, 303, 303, 429]
    again = taking.post(f"/xac-nhan/{code}", data={"ket_qua": "received"}, headers=ORIGIN)
    assert again.status_code == 429 and int(again.headers["retry-after"]) >= 1
    counted = taking.get(f"/xac-nhan/{code}").text
    assert "3 lần xác nhận đã nhận đủ" in counted


def test_the_grievances_page_counts_and_gives_due_dates_but_no_identity(
    taking: TestClient, story: Story, code: str
) -> None:
    from tests.support.steps.grievances import lodged

    lodged(story)  # lodged on 1 February 2022 about a paid line, due 3 March
    taking.post(
        f"/xac-nhan/{code}",
        data={"ket_qua": "not_received"},
        headers=ORIGIN,
        follow_redirects=False,
    )
    page = taking.get("/khieu-nai?on=2022-03-10")
    assert page.status_code == 200
    assert "03/03/2022" in page.text and "Quá hạn, chưa trả lời" in page.text
    assert "02/2022" in page.text  # the month the first was lodged
    assert "1 lần báo chưa nhận" in page.text
    for secret in (code, "Hộ trình bày", "staff-registrar", "Lò Thị Xuân"):
        assert secret not in page.text
    home = taking.get("/")
    assert 'href="/khieu-nai"' in home.text


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_anonymous_reconciliation_says_a_grievance_is_overdue_but_not_whose(
    client: TestClient, story: Story, fmt: str
) -> None:
    from tests.support.steps.grievances import lodged

    lodged(story)  # about a paid line: a household's month
    answer = client.get(
        f"/v1/reports/reconciliation?from=2022-01&to=2022-01&on=2022-03-10&format={fmt}"
        + ("&table=anomalies" if fmt == "csv" else "")
    )
    assert answer.status_code == 200
    if fmt == "csv":
        assert "GRIEVANCE_OVERDUE" in answer.text or "Khiếu nại quá hạn" in answer.text
        return
    (found,) = [a for a in answer.json()["anomalies"] if a["code"] == "GRIEVANCE_OVERDUE"]
    assert set(found) == {
        "code", "detail", "detail_vi", "finding_id", "program_code", "program_name", "evidence"
    }  # fmt: skip
    assert found["evidence"] == []


def test_a_form_from_the_public_address_is_taken_behind_a_proxy(
    service: Any, story: Story, code: str
) -> None:
    from api.http.forwarded import PublicAddress

    public = PublicAddress.of("https://xa-chieng-en.example.vn", "127.0.0.1")
    app = create_app(service, public=public, intake=story.o.keys[INTAKE])
    with TestClient(app) as test_client:
        sent = test_client.post(
            f"/xac-nhan/{code}",
            data={"ket_qua": "received"},
            headers={"origin": "https://xa-chieng-en.example.vn"},
            follow_redirects=False,
        )
    assert sent.status_code == 303
