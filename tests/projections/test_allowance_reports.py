"""Allowance changes in the reports (docs/formats.md 11.2).

A rebased benefit is due the standard level in force each month times its
coefficient, so the 2024-07 level raises it without a new proposal; a
suspended month is not due, nor a month after the beneficiary left the
commune; a payment for such a month is a finding with its evidence.
"""

from __future__ import annotations

from projections.query import snapshot
from projections.reports.entitlements import entitlements
from projections.reports.lists import lists
from tests.conftest import Story
from tests.projections.verbs import benefit, died, fund, only, pay, report
from tests.support.drafts import Draft, adopted_1_3
from tests.support.steps.allowances import change, changed, decided, level, social_benefit


def _due(story: Story, first: str, last: str, on: str | None = None) -> dict[str, int]:
    return {e.month: e.amount for e in entitlements(snapshot(story.app), first, last, on)}


def _leaves(story: Story, person_id: str, date: str) -> int:
    body = {"person_id": person_id, "date": date, "to": "phường Chiềng Lề, thành phố Sơn La"}
    return story.submit(Draft("registrar", "person.left", body).sub(story.o)).index


def test_a_rebased_benefit_follows_the_level_in_force_each_month(story: Story) -> None:
    bid = social_benefit(story)  # 540,000 đ as proposed
    story.submit(level(story, 360_000, "2021-07").sub(story.o))
    assert _due(story, "2022-01", "2022-02") == {"2022-01": 540_000, "2022-02": 540_000}
    changed(story, bid, "rebase", "2022-02", 250)
    assert _due(story, "2022-01", "2022-02") == {"2022-01": 540_000, "2022-02": 900_000}
    story.submit(level(story, 500_000, "2024-07").sub(story.o))
    due = _due(story, "2024-06", "2024-08")
    assert due == {"2024-06": 900_000, "2024-07": 1_250_000, "2024-08": 1_250_000}


def test_a_coefficient_rounds_down_to_the_dong(story: Story) -> None:
    bid = social_benefit(story)
    story.submit(level(story, 360_001, "2021-07").sub(story.o))
    changed(story, bid, "rebase", "2022-01", 150)
    assert _due(story, "2022-01", "2022-01") == {"2022-01": 540_001}  # 540,001.5 down


def test_a_rejected_or_undecided_rebase_changes_nothing(story: Story) -> None:
    bid = social_benefit(story)
    story.submit(level(story).sub(story.o))
    rejected = change(story, bid, "rebase", "2022-01", 400)
    story.submit(rejected.sub(story.o))
    assert _due(story, "2022-01", "2022-01") == {"2022-01": 540_000}
    story.submit(decided(rejected, approve=False).sub(story.o))
    assert _due(story, "2022-01", "2022-01") == {"2022-01": 540_000}


def test_suspended_months_are_not_due_and_a_payment_for_one_is_a_finding(story: Story) -> None:
    bid = social_benefit(story)
    pid = snapshot(story.app).benefits[bid].person_id or ""
    fund(story, snapshot(story.app).benefits[bid].program_id)
    suspension = change(story, bid, "suspend", "2022-03")
    proposed = story.submit(suspension.sub(story.o)).index
    approved = story.submit(decided(suspension).sub(story.o)).index
    changed(story, bid, "resume", "2022-05")
    assert list(_due(story, "2022-01", "2022-06")) == ["2022-01", "2022-02", "2022-05", "2022-06"]
    payment = pay(story, bid, pid, month="2022-04", amount=540_000)
    found = only(
        report(story, "2022-04", "2022-04"),
        "PAID_WHILE_SUSPENDED",
        payment_id=payment,
        benefit_id=bid,
        month="2022-04",
    )
    assert found["detail"] == "suspended from 2022-03 (decision 15/QĐ-UBND); paid for 2022-04"
    assert found["detail_vi"] == (
        "Chi cho tháng 04/2022 trong thời gian tạm dừng trợ cấp "
        "(từ tháng 03/2022, quyết định số 15/QĐ-UBND)"
    )
    assert {proposed, approved} <= set(found["evidence"])
    assert (found["expected"], found["paid"]) == (0, 540_000)


def test_a_suspension_decided_after_the_report_date_does_not_count_yet(story: Story) -> None:
    bid = social_benefit(story)
    suspension = change(story, bid, "suspend", "2022-03")
    story.submit(suspension.sub(story.o))
    late = decided(suspension)
    late.body["decision"] = {"number": "40/QĐ-UBND", "date": "2022-05-02"}
    story.submit(late.sub(story.o))
    assert "2022-03" in _due(story, "2022-03", "2022-03", on="2022-04-30")
    assert _due(story, "2022-03", "2022-03", on="2022-05-02") == {}


def test_months_after_leaving_are_not_due_and_a_payment_for_one_is_a_finding(
    story: Story,
) -> None:
    bid = social_benefit(story)
    pid = snapshot(story.app).benefits[bid].person_id or ""
    fund(story, snapshot(story.app).benefits[bid].program_id)
    index = _leaves(story, pid, "2022-03-15")
    assert list(_due(story, "2022-01", "2022-05")) == ["2022-01", "2022-02", "2022-03"]
    pay(story, bid, pid, month="2022-03", amount=540_000)
    payment = pay(story, bid, pid, month="2022-04", amount=540_000)
    doc = report(story, "2022-03", "2022-04")
    found = only(doc, "PAID_AFTER_LEAVING", payment_id=payment, person_id=pid, month="2022-04")
    assert found["detail"] == (
        "beneficiary left the commune in 2022-03 (to phường Chiềng Lề, thành phố Sơn La); "
        "paid for 2022-04"
    )
    assert found["detail_vi"].startswith("Chi cho tháng 04/2022 sau khi đối tượng chuyển đi")
    assert index in found["evidence"]


def test_a_household_benefit_stops_when_no_member_is_alive_and_present(story: Story) -> None:
    adopted_1_3(story)
    hid = story.household()
    first, second = story.person(hid), story.person(hid)
    program = story.program(category="social_protection")
    bid = benefit(story, program, household_id=hid, amount=300_000)

    def months(last: str = "2022-05") -> list[str]:
        due = entitlements(snapshot(story.app), "2022-01", last)
        return [e.month for e in due if e.benefit_id == bid]

    _leaves(story, first, "2022-02-20")
    assert months() == ["2022-01", "2022-02", "2022-03", "2022-04", "2022-05"]
    died(story, second, "2022-03-05")
    assert months() == ["2022-01", "2022-02", "2022-03"]
    payment = pay(story, bid, second, month="2022-04", amount=300_000, paid_on="2022-03-01")
    doc = report(story, "2022-04", "2022-04")
    found = [a for a in doc["anomalies"] if a.get("payment_id") == payment]
    assert [a["code"] for a in found] == ["PAID_AFTER_LEAVING"]
    assert found[0]["detail"].startswith(
        "the last household member present left the commune in 2022-03"
    )


def test_the_beneficiary_list_shows_the_rebased_amount_and_leaves_out_a_suspension(
    story: Story,
) -> None:
    bid = social_benefit(story)
    story.submit(level(story, 360_000, "2021-07").sub(story.o))
    story.submit(level(story, 500_000, "2024-07").sub(story.o))
    changed(story, bid, "rebase", "2024-01", 150)

    def listed(on: str) -> list[int]:
        rows = lists(snapshot(story.app), on)["beneficiaries"]
        return [r["amount"] for r in rows if r["benefit_id"] == bid]

    assert listed("2024-06-30") == [540_000]
    assert listed("2024-07-31") == [750_000]
    changed(story, bid, "suspend", "2024-09")
    assert listed("2024-08-31") == [750_000]
    assert listed("2024-09-30") == []
