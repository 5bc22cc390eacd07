"""The lists sent to paying agents, and what the report makes of the agents' settlements
(docs/formats.md 11.3): the list's exact bytes, the month's figures, and the findings
LIST_SENT_LATE, AGENT_HOLDS_FUNDS and PAYMENT_NOT_ACKNOWLEDGED."""

from __future__ import annotations

import hashlib
from typing import Any

from api import paying_agents, reading
from projections.reports.agents import LIST_HEADER, deadline, window_end
from projections.reports.receipts import receipt_code
from tests.conftest import LEDGER_ID, Story
from tests.support.steps.agents import FILE_SHA256, line_body, send


def _report(story: Story, on: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    return paying_agents.agents_report(reading.read_at(reading.Direct(story.app), as_of), on)


def _settle(story: Story, body: dict[str, Any], by_agent: bool = True) -> None:
    if by_agent:
        story.submit(story.o.sub("agent", "payroll.settled", body))
    else:
        body = body | {"source": FILE_SHA256}
        story.submit(story.o.sub("cashier", "payroll.settlement.recorded", body))


def _pay_by_post(story: Story, benefit_id: str, person_id: str) -> None:
    body = story.payment_body(benefit_id, person_id) | {"method": "post"}
    story.submit(story.o.sub("cashier", "payment.recorded", body))


def test_the_list_is_the_month_s_due_lines_by_code_and_its_digest_is_of_those_bytes(
    story: Story,
) -> None:
    benefits = sorted(story.beneficiary()[2] for _ in range(3))
    read = reading.read_at(reading.Direct(story.app), None)
    data, lines, total = paying_agents.agent_list(read, "2022-01")
    expected = sorted((receipt_code(LEDGER_ID, b, "2022-01"), b) for b in benefits)
    assert data == (LIST_HEADER + "".join(f"{code},{b},1624000\n" for code, b in expected)).encode()
    assert (lines, total) == (3, 3 * 1_624_000)
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert paying_agents.agent_list(read, "2021-12")[1:] == (0, 0)  # nothing due before the start


def test_a_list_is_late_from_the_25th_of_the_month_before_and_settled_by_the_month_after() -> None:
    assert deadline("2022-01") == "2021-12-25"
    assert deadline("2022-07") == "2022-06-25"
    assert window_end("2022-01") == "2022-02-28"
    assert window_end("2022-12") == "2023-01-31"


def test_the_month_counts_sent_paid_not_paid_returned_refunded_and_held(story: Story) -> None:
    sending_id = send(story, lines=3, total=3 * 1_624_000)
    first, second, third = (story.beneficiary()[2] for _ in range(3))
    _settle(story, line_body(sending_id, first))
    _settle(story, line_body(sending_id, second, "not_paid"), by_agent=False)
    _settle(story, line_body(sending_id, third, "returned"))
    refund = {
        "refund_id": "6f1d0c1e-0000-4000-8000-000000000001",
        "sending_id": sending_id,
        "amount": 1_624_000,
        "date": "2022-02-05",
        "reference": "GNT-0125",
    }
    story.submit(story.o.sub("cashier", "agent.refunded", refund))
    (row,) = _report(story, on="2022-02-10")["sendings"]
    assert row["late"] is False and row["deadline"] == "2021-12-25"
    assert (row["lines"], row["settled_lines"], row["signed_by_agent"]) == (3, 3, 2)
    assert (row["paid_lines"], row["not_paid_lines"], row["returned_lines"]) == (1, 1, 1)
    assert (row["total"], row["paid"], row["not_paid"], row["returned"]) == (
        4_872_000,
        1_624_000,
        1_624_000,
        1_624_000,
    )
    assert (row["refunded"], row["held"]) == (1_624_000, 1_624_000)
    early = _report(story, on="2022-02-01")["sendings"][0]
    assert early["refunded"] == 0 and early["held"] == 3_248_000  # refunded on the 5th


def test_a_list_sent_on_the_25th_is_late(story: Story) -> None:
    send(story, sent_on="2021-12-24")
    late = send(story, sent_on="2021-12-25")
    findings = _report(story, on="2022-01-10")["findings"]
    assert [(f["code"], f["sending_id"]) for f in findings] == [("LIST_SENT_LATE", late)]
    assert findings[0]["detail_vi"] == (
        "Danh sách chi trả tháng 01/2022 gửi ngày 25/12/2021, không trước ngày 25/12/2021"
    )


def test_money_not_paid_out_nor_handed_back_is_held_past_the_window(story: Story) -> None:
    sending_id = send(story)
    _settle(story, line_body(sending_id, story.beneficiary()[2]))
    _settle(story, line_body(sending_id, story.beneficiary()[2], "not_paid"))
    assert _report(story, on="2022-02-28")["findings"] == []  # the window is still open
    (found,) = _report(story, on="2022-03-01")["findings"]
    assert (found["code"], found["amount"], found["agent"]) == (
        "AGENT_HOLDS_FUNDS",
        1_624_000,
        "buu-dien-song-ma",
    )
    assert (
        "còn giữ 1.624.000 đ của danh sách tháng 01/2022 quá ngày 28/02/2022"
        in (found["detail_vi"])
    )
    refund = {
        "refund_id": "6f1d0c1e-0000-4000-8000-000000000002",
        "sending_id": sending_id,
        "amount": 1_624_000,
        "date": "2022-02-20",
        "reference": "GNT-0131",
    }
    story.submit(story.o.sub("cashier", "agent.refunded", refund))
    assert _report(story, on="2022-03-01")["findings"] == []


def test_a_payment_by_post_counts_only_once_the_agent_acknowledges_its_line(
    story: Story,
) -> None:
    paid, refused, silent = (story.beneficiary() for _ in range(3))
    sending_id = send(story, lines=3, total=3 * 1_624_000)
    for _, person, benefit in (paid, refused, silent):
        _pay_by_post(story, benefit, person)
    _settle(story, line_body(sending_id, paid[2]))
    _settle(story, line_body(sending_id, refused[2], "not_paid"))
    findings = _report(story, on="2022-02-28")["findings"]
    assert [(f["code"], f["benefit_id"]) for f in findings] == [
        ("PAYMENT_NOT_ACKNOWLEDGED", refused[2])
    ]
    assert "báo chưa chi dòng này" in findings[0]["detail_vi"]
    assert findings[0]["code_of_line"] == receipt_code(LEDGER_ID, refused[2], "2022-01")
    later = {(f["code"], f.get("benefit_id")) for f in _report(story, on="2022-03-01")["findings"]}
    assert ("PAYMENT_NOT_ACKNOWLEDGED", silent[2]) in later  # never settled, window closed
    assert ("PAYMENT_NOT_ACKNOWLEDGED", paid[2]) not in later


def test_a_report_as_of_an_earlier_entry_counts_only_what_was_recorded_by_then(
    story: Story,
) -> None:
    sending_id = send(story)
    size = story.app.size()
    _settle(story, line_body(sending_id, story.beneficiary()[2]))
    (before,) = _report(story, on="2022-01-31", as_of=str(size))["sendings"]
    (now,) = _report(story, on="2022-01-31")["sendings"]
    assert (before["settled_lines"], now["settled_lines"]) == (0, 1)


def test_the_report_is_served_to_anyone_as_of_any_size(story: Story, client: Any) -> None:
    sending_id = send(story, sent_on="2021-12-26")
    _settle(story, line_body(sending_id, story.beneficiary()[2]))
    served = client.get("/v1/reports/agents", params={"on": "2022-01-15"})
    assert served.status_code == 200, served.text
    doc = served.json()
    assert doc["as_of"]["entries"] == story.app.size()
    (row,) = doc["sendings"]
    assert (row["sending_id"], row["paid_lines"], row["late"]) == (sending_id, 1, True)
    assert [f["code"] for f in doc["findings"]] == ["LIST_SENT_LATE"]
    earlier = client.get("/v1/reports/agents", params={"as_of": str(story.app.size() - 1)})
    assert earlier.json()["sendings"][0]["paid_lines"] == 0
    refused = client.get("/v1/reports/agents", params={"on": "2022-13-01"})
    assert refused.status_code == 400


def test_a_payment_by_post_of_a_benefit_approved_after_the_list_is_not_the_agent_s(
    story: Story,
) -> None:
    send(story)
    _, person, benefit = story.beneficiary()  # approved after the list was sent
    _pay_by_post(story, benefit, person)
    assert _report(story, on="2022-03-01")["findings"][0]["code"] == "AGENT_HOLDS_FUNDS"
    assert "PAYMENT_NOT_ACKNOWLEDGED" not in {
        f["code"] for f in _report(story, on="2022-03-01")["findings"]
    }


def test_the_reconciliation_of_the_month_carries_the_agents_findings_with_evidence(
    story: Story,
) -> None:
    """An inspector reads one list of findings: the agents' are in the reconciliation of
    the months their lists are for, each with its entries as evidence, not in others."""
    story.beneficiary()  # the list's one line
    late = send(story, lines=1, total=1_624_000, sent_on="2021-12-27")
    read = reading.read_at(reading.Direct(story.app), None)
    doc = reading.reconciliation(read, "2022-01", "2022-01", "2022-03-31", identities=False)
    (finding,) = [a for a in doc["anomalies"] if a["code"] == "LIST_SENT_LATE"]
    assert finding["sending_id"] == late and finding["month"] == "2022-01"
    sent_at = story.app.size() - 1
    assert finding["evidence"] == [sent_at] and len(finding["finding_id"]) == 12
    assert "27/12/2021" in finding["detail_vi"]
    held = [a for a in doc["anomalies"] if a["code"] == "AGENT_HOLDS_FUNDS"]
    assert [a["sending_id"] for a in held] == [late]  # nothing settled by 28/02, all held
    assert held[0]["evidence"] == [sent_at]
    other = reading.reconciliation(read, "2022-02", "2022-02", "2022-03-31", identities=False)
    codes = {a["code"] for a in other["anomalies"]}
    assert not codes & {"LIST_SENT_LATE", "AGENT_HOLDS_FUNDS"}
