"""Reconciliation (đối soát): each irregularity planted in a small ledger is found.

Each test builds a ledger with the ``story`` fixture, plants one irregularity
and checks the anomaly names the right payment, benefit, person or household,
and that no other code appears unless it must follow from the same facts.
"""

from __future__ import annotations

from projections.query import snapshot
from projections.reports.reconciliation import reconcile
from tests.conftest import Story, new_id
from tests.projections.verbs import (
    AMOUNT,
    benefit,
    codes,
    died,
    fund,
    only,
    pay,
    report,
    set_status,
)


# -- a clean ledger ------------------------------------------------------------------
def test_a_clean_ledger_paid_exactly_reports_no_anomaly(story: Story, funded: tuple) -> None:
    _, pid, program, bid = funded
    for month in ("2022-01", "2022-02", "2022-03"):
        pay(story, bid, pid, month=month)
    doc = report(story, "2022-01", "2022-03")
    assert doc["anomalies"] == []
    assert [
        (r["month"], r["entitled"], r["paid"], r["unpaid"], r["overpaid"]) for r in doc["programs"]
    ] == [(m, AMOUNT, AMOUNT, 0, 0) for m in ("2022-01", "2022-02", "2022-03")]
    assert doc["totals"] == {"entitled": 3 * AMOUNT, "paid": 3 * AMOUNT, "unpaid": 0, "overpaid": 0}
    (row,) = doc["funds"]
    assert (row["program_id"], row["received"], row["paid"]) == (program, 10**8, 3 * AMOUNT)
    assert (row["returned"], row["balance"]) == (0, 10**8 - 3 * AMOUNT)


def test_the_report_states_its_period_snapshot_and_checkpoint(story: Story, funded: tuple) -> None:
    checkpoint = {"tree_size": story.app.size(), "root": "AAAA", "signed": False}
    doc = reconcile(snapshot(story.app), "2022-01", "2022-02", "2022-02-28", None, checkpoint)
    assert doc["period"] == {"from": "2022-01", "to": "2022-02", "on": "2022-02-28"}
    assert doc["as_of"]["entries"] == story.app.size()
    assert doc["as_of"]["recorded_at"] == story.app.entry(story.app.size() - 1).recorded_at
    assert doc["checkpoint"] == checkpoint
    assert doc["ledger"]["id"] == story.o.ledger_id
    assert doc["identities_checked"] is False


# -- each anomaly code -------------------------------------------------------------------
def test_payment_on_a_benefit_never_approved_is_no_approved_benefit(
    story: Story, funded: tuple
) -> None:
    _, pid, program, bid = funded
    proposed = benefit(story, program, person_id=pid, decided=None)
    pay(story, bid, pid)
    payment = pay(story, proposed, pid)
    doc = report(story)
    only(doc, "NO_APPROVED_BENEFIT", payment_id=payment, benefit_id=proposed, person_id=pid)
    assert doc["totals"]["overpaid"] == AMOUNT  # nothing was due on that benefit


def test_payment_dated_before_the_approval_decision_is_no_approved_benefit(
    story: Story, funded: tuple
) -> None:
    hid, pid, program, bid = funded
    member = story.person(hid)
    late = benefit(story, program, person_id=member, decided="2022-01-20")
    pay(story, bid, pid)
    payment = pay(story, late, member, paid_on="2022-01-15")
    found = only(report(story), "NO_APPROVED_BENEFIT", payment_id=payment, benefit_id=late)
    assert "2022-01-20" in found["detail"]


def test_month_after_the_benefit_ended_is_outside_benefit_period(
    story: Story, funded: tuple
) -> None:
    _, pid, _, bid = funded
    ended = {"benefit_id": bid, "last_month": "2022-01", "reason": "chuyển đi nơi khác"}
    story.submit(story.o.sub("approver", "benefit.ended", ended))
    pay(story, bid, pid, month="2022-01")
    payment = pay(story, bid, pid, month="2022-02")
    doc = report(story, "2022-01", "2022-02")
    only(doc, "OUTSIDE_BENEFIT_PERIOD", payment_id=payment, benefit_id=bid, month="2022-02")
    february = [r for r in doc["programs"] if r["month"] == "2022-02"]
    assert [(r["entitled"], r["paid"], r["overpaid"]) for r in february] == [(0, AMOUNT, AMOUNT)]


def test_month_before_the_start_is_outside_benefit_period(story: Story, funded: tuple) -> None:
    hid, pid, program, bid = funded
    member = story.person(hid)
    later = benefit(story, program, person_id=member, start="2022-02")
    pay(story, bid, pid)
    payment = pay(story, later, member, month="2022-01")
    only(
        report(story),
        "OUTSIDE_BENEFIT_PERIOD",
        payment_id=payment,
        benefit_id=later,
        month="2022-01",
    )


def test_second_payment_for_a_month_is_a_duplicate_payment(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    first = pay(story, bid, pid, paid_on="2022-01-10")
    second = pay(story, bid, pid, paid_on="2022-01-12")
    found = only(
        report(story), "DUPLICATE_PAYMENT", payment_id=second, benefit_id=bid, month="2022-01"
    )
    assert first in found["detail"]


def test_second_payment_of_a_one_off_is_a_duplicate_payment(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    gift = story.program("one_off", "tet_gift")
    fund(story, gift)
    bid = benefit(story, gift, person_id=pid, amount=400_000)
    pay(story, bid, pid, month=None, amount=400_000, paid_on="2022-01-25")
    second = pay(story, bid, pid, month=None, amount=400_000, paid_on="2022-01-28")
    doc = report(story)
    only(doc, "DUPLICATE_PAYMENT", payment_id=second, month="2022-01")
    assert doc["totals"] == {"entitled": 400_000, "paid": 800_000, "unpaid": 0, "overpaid": 400_000}


def test_paying_more_than_entitled_is_an_overpayment(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    payment = pay(story, bid, pid, amount=AMOUNT + 500_000)
    doc = report(story)
    only(doc, "OVERPAYMENT", payment_id=payment, benefit_id=bid, person_id=pid)
    assert doc["totals"]["overpaid"] == 500_000


def test_paying_less_than_entitled_is_an_underpayment(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    payment = pay(story, bid, pid, amount=AMOUNT - 200_000)  # an intermediary skimmed
    doc = report(story)
    only(doc, "UNDERPAYMENT", payment_id=payment, month="2022-01")
    assert (doc["totals"]["paid"], doc["totals"]["unpaid"]) == (AMOUNT - 200_000, 200_000)


def test_payment_for_a_month_after_the_death_is_paid_after_death(
    story: Story, funded: tuple
) -> None:
    hid, pid, _, bid = funded
    heir = story.person(hid)
    died(story, pid, "2022-01-20")
    pay(story, bid, heir, month="2022-01", paid_on="2022-01-25")  # the month of death is due
    payment = pay(story, bid, heir, month="2022-02")
    doc = report(story, "2022-01", "2022-03")
    only(doc, "PAID_AFTER_DEATH", payment_id=payment, person_id=pid, month="2022-02")
    assert [r["month"] for r in doc["programs"] if r["entitled"]] == ["2022-01"]


def test_payment_received_by_someone_already_dead_is_paid_after_death(
    story: Story, funded: tuple
) -> None:
    hid, _, _, bid = funded
    member = story.person(hid)
    died(story, member, "2022-01-05")
    payment = pay(story, bid, member, paid_on="2022-01-10")
    only(report(story), "PAID_AFTER_DEATH", payment_id=payment, person_id=member, benefit_id=bid)


def test_payment_to_a_stranger_is_recipient_not_eligible(story: Story, funded: tuple) -> None:
    hid, _, _, bid = funded
    stranger = story.person(story.household())
    payment = pay(story, bid, stranger)
    only(
        report(story),
        "RECIPIENT_NOT_ELIGIBLE",
        payment_id=payment,
        person_id=stranger,
        household_id=hid,
    )


def test_a_household_member_or_an_authorised_proxy_may_receive(story: Story, funded: tuple) -> None:
    hid, _, _, bid = funded
    pay(story, bid, story.person(hid), month="2022-01")
    pay(story, bid, story.person(story.household()), month="2022-02", receipt="proxy")
    assert report(story, "2022-01", "2022-02")["anomalies"] == []


def test_poverty_support_after_the_household_left_the_list_is_household_not_eligible(
    story: Story,
) -> None:
    hid = story.household()
    pid = story.person(hid)
    support = story.program("monthly", "poverty")
    fund(story, support)
    set_status(story, hid, "poor", "2022-01-01")
    set_status(story, hid, "not_poor", "2022-02-01")
    bid = benefit(story, support, household_id=hid, amount=500_000, end="2022-01")
    pay(story, bid, pid, month="2022-01", amount=500_000)
    bid2 = benefit(story, support, household_id=hid, start="2022-02", amount=500_000)
    payment = pay(story, bid2, pid, month="2022-02", amount=500_000)
    found = only(
        report(story, "2022-01", "2022-02"),
        "HOUSEHOLD_NOT_ELIGIBLE",
        payment_id=payment,
        household_id=hid,
        month="2022-02",
    )
    assert "not_poor" in found["detail"]


def test_a_month_with_no_payment_is_an_unpaid_entitlement(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    pay(story, bid, pid, month="2022-01")
    doc = report(story, "2022-01", "2022-02")
    found = only(doc, "UNPAID_ENTITLEMENT", benefit_id=bid, person_id=pid, month="2022-02")
    assert "payment_id" not in found
    assert doc["totals"]["unpaid"] == AMOUNT


def test_paying_more_than_the_program_received_is_fund_overdrawn(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program, amount=AMOUNT - 1)
    bid = benefit(story, program, person_id=pid)
    pay(story, bid, pid)
    doc = report(story)
    only(doc, "FUND_OVERDRAWN", program_id=program)
    assert doc["funds"][0]["balance"] == -1


def test_returned_funds_count_against_the_balance(story: Story, funded: tuple) -> None:
    _, pid, program, bid = funded
    pay(story, bid, pid)
    body = {"return_id": new_id(), "program_id": program, "amount": 99_000_000}
    body |= {"date": "2022-01-30", "reference": "Nộp trả KBNN"}
    story.submit(story.o.sub("cashier", "fund.returned", body))
    doc = report(story)
    assert codes(doc) == ["FUND_OVERDRAWN"]
    assert doc["funds"][0]["returned"] == 99_000_000


def test_payment_recorded_by_the_benefits_approver_is_self_approved(
    story: Story, funded: tuple
) -> None:
    _, pid, _, bid = funded
    # The approver's holder gets a second key, with the cashier role.
    story.submit(story.o.register("registrar2", ["cashier"], holder="staff-approver"))
    payment = pay(story, bid, pid, who="registrar2")
    found = only(report(story), "SELF_APPROVED_PAYMENT", payment_id=payment, benefit_id=bid)
    assert "staff-approver" in found["detail"]


def test_two_benefits_of_one_program_over_the_same_months_overlap(
    story: Story, funded: tuple
) -> None:
    _, pid, program, bid = funded
    second = benefit(story, program, person_id=pid, start="2022-03", end="2022-12")
    for month in ("2022-01", "2022-02", "2022-03"):
        pay(story, bid, pid, month=month)
    pay(story, second, pid, month="2022-03")
    found = only(
        report(story, "2022-01", "2022-03"),
        "OVERLAPPING_BENEFITS",
        benefit_id=second,
        person_id=pid,
        month="2022-03",
    )
    assert bid in found["detail"]


def test_two_tet_gifts_for_one_person_in_a_year_overlap(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    commune, district = story.program("one_off", "tet_gift"), story.program("in_kind", "tet_gift")
    fund(story, commune)
    fund(story, district)
    first = benefit(story, commune, person_id=pid, amount=300_000)
    second = benefit(story, district, person_id=pid, amount=500_000)
    pay(story, first, pid, month=None, amount=300_000)
    pay(story, second, pid, month=None, amount=500_000)
    found = only(report(story), "OVERLAPPING_BENEFITS", benefit_id=second, person_id=pid)
    assert first in found["detail"]


def test_two_people_with_one_national_id_are_a_duplicate_identity(
    story: Story, funded: tuple
) -> None:
    hid, pid, _, bid = funded
    ghost = story.person(story.household())
    other = story.person(hid)
    pay(story, bid, pid)
    identities = {pid: "014190009876", ghost: "014190009876", other: "014190000001"}
    doc = report(story, identities=identities)
    found = only(doc, "DUPLICATE_IDENTITY", person_id=ghost)
    assert pid in found["detail"]
    assert "014190009876" not in found["detail"]  # the national id stays out of reports
    assert doc["identities_checked"] is True
    assert report(story)["identities_checked"] is False
