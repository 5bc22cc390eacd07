"""Reconciliation (đối soát): each irregularity planted in a small ledger is found.

Each test builds a ledger with the ``story`` fixture, plants one irregularity
and checks the anomaly names the right payment, benefit, person or household,
and that no other code appears unless it must follow from the same facts.
"""

from __future__ import annotations

from typing import Any

import pytest

from ledger.errors import InvalidField
from projections.query import snapshot
from projections.reports.export import to_json
from projections.reports.reconciliation import CODES, reconcile
from tests.conftest import Story, new_id

AMOUNT = 1_624_000


# -- a few more verbs for the story ------------------------------------------------
def fund(story: Story, program_id: str, amount: int = 100_000_000, date: str = "2022-01-02") -> str:
    receipt_id = new_id()
    body = {"receipt_id": receipt_id, "program_id": program_id, "amount": amount, "date": date}
    body |= {"source": "Phòng LĐ-TB&XH huyện Sông Mã", "reference": "UNC 12/2022"}
    story.submit(story.o.sub("cashier", "fund.received", body))
    return receipt_id


def benefit(
    story: Story,
    program_id: str,
    person_id: str | None = None,
    household_id: str | None = None,
    start: str = "2022-01",
    end: str | None = None,
    amount: int = AMOUNT,
    decided: str | None = "2022-01-06",
) -> str:
    """A benefit proposed by the registrar, approved on ``decided`` (None: left proposed)."""
    bid = new_id()
    body: dict[str, Any] = {"benefit_id": bid, "program_id": program_id, "amount": amount}
    body |= {"start": start, "basis": "Quyết định của UBND huyện"}
    body |= {"person_id": person_id} if person_id else {"household_id": household_id}
    if end is not None:
        body["end"] = end
    story.submit(story.o.sub("registrar", "benefit.proposed", body))
    if decided is not None:
        decision = {"number": "15/QĐ-UBND", "date": decided}
        story.submit(
            story.o.sub("approver", "benefit.approved", {"benefit_id": bid, "decision": decision})
        )
    return bid


def pay(
    story: Story,
    benefit_id: str,
    recipient: str,
    month: str | None = "2022-01",
    amount: int = AMOUNT,
    paid_on: str | None = None,
    receipt: str = "signature",
    who: str = "cashier",
) -> str:
    body = story.payment_body(benefit_id, recipient, month=month, amount=amount)
    body["paid_on"] = paid_on or (f"{month}-10" if month else "2022-01-10")
    body["receipt"]["kind"] = receipt
    story.submit(story.o.sub(who, "payment.recorded", body))
    return str(body["payment_id"])


def died(story: Story, person_id: str, date: str) -> None:
    story.submit(story.o.sub("registrar", "person.died", {"person_id": person_id, "date": date}))


def set_status(story: Story, household_id: str, status: str, effective: str) -> str:
    proposal_id = new_id()
    body = {"proposal_id": proposal_id, "household_id": household_id, "status": status}
    body |= {"effective": effective, "basis": {"deprivation_count": 3}}
    story.submit(story.o.sub("registrar", "household.status.proposed", body))
    approval = {"proposal_id": proposal_id, "decision": {"number": "20/QĐ", "date": effective}}
    story.submit(story.o.sub("approver", "household.status.approved", approval))
    return proposal_id


def reverse(story: Story, payment_id: str) -> None:
    body = {"payment_id": payment_id, "reason": "ghi nhầm"}
    story.submit(story.o.sub("cashier", "payment.reversed", body))


def report(story: Story, first: str = "2022-01", last: str = "2022-01", **kw: Any) -> dict:
    return reconcile(snapshot(story.app, kw.pop("as_of", None)), first, last, **kw)


def codes(doc: dict) -> list[str]:
    return [a["code"] for a in doc["anomalies"]]


def only(doc: dict, code: str, **ids: str) -> dict:
    """The report's one anomaly, which must have this code and these ids."""
    assert codes(doc) == [code], doc["anomalies"]
    found: dict = doc["anomalies"][0]
    assert {k: found.get(k) for k in ids} == ids, found
    return found


@pytest.fixture
def funded(story: Story) -> tuple[str, str, str, str]:
    """A household, its head, a funded monthly program (meritorious): (hid, pid, program, bid)."""
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    return hid, pid, program, benefit(story, program, person_id=pid)


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


def _head(story: Story, benefit_id: str) -> str:
    person_id = snapshot(story.app).benefits[benefit_id].person_id
    assert person_id is not None
    return person_id


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


# -- figures and timelines --------------------------------------------------------------
def test_figures_add_up_per_program_and_month(story: Story, funded: tuple) -> None:
    hid, pid, program, bid = funded
    other = benefit(story, program, person_id=story.person(hid), amount=2_000_000)
    pay(story, bid, pid, month="2022-01")
    pay(story, bid, pid, month="2022-02", amount=AMOUNT + 100)
    pay(story, other, _head(story, other), month="2022-01", amount=1_500_000)
    doc = report(story, "2022-01", "2022-02")
    rows = {r["month"]: r for r in doc["programs"]}
    assert rows["2022-01"]["entitled"] == AMOUNT + 2_000_000
    assert rows["2022-01"]["paid"] == AMOUNT + 1_500_000
    assert (rows["2022-01"]["unpaid"], rows["2022-01"]["overpaid"]) == (500_000, 0)
    assert (rows["2022-02"]["unpaid"], rows["2022-02"]["overpaid"]) == (2_000_000, 100)
    assert (rows["2022-02"]["entitled_count"], rows["2022-02"]["unpaid_count"]) == (2, 1)
    for r in doc["programs"]:
        assert r["entitled"] - r["unpaid"] + r["overpaid"] == r["paid"]
    assert sorted(codes(doc)) == ["OVERPAYMENT", "UNDERPAYMENT", "UNPAID_ENTITLEMENT"]


def test_on_limits_what_was_due_and_paid_by_that_day(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    pay(story, bid, pid, month="2022-01", paid_on="2022-01-10")
    pay(story, bid, pid, month="2022-02", paid_on="2022-02-10")
    early = report(story, "2022-01", "2022-03", on="2022-01-31")
    assert early["anomalies"] == [] and early["totals"]["entitled"] == AMOUNT
    mid = report(story, "2022-01", "2022-03", on="2022-02-05")
    assert [(a["code"], a["month"]) for a in mid["anomalies"]] == [
        ("UNPAID_ENTITLEMENT", "2022-02")
    ]
    before_approval = report(story, "2022-01", "2022-01", on="2022-01-05")
    assert before_approval["totals"]["entitled"] == 0


def test_a_payment_for_a_month_not_yet_due_on_the_date_is_an_overpayment(
    story: Story, funded: tuple
) -> None:
    _, pid, _, bid = funded
    pay(story, bid, pid, month="2022-01", paid_on="2022-01-10")
    advance = pay(story, bid, pid, month="2022-02", paid_on="2022-01-10")
    doc = report(story, "2022-01", "2022-02", on="2022-01-31")
    found = only(doc, "OVERPAYMENT", payment_id=advance, month="2022-02")
    assert "not yet due" in found["detail"]
    assert report(story, "2022-01", "2022-02")["anomalies"] == []


def test_as_of_shows_what_the_ledger_knew_before_a_payment_was_recorded(
    story: Story, funded: tuple
) -> None:
    _, pid, _, bid = funded
    size = story.app.size()
    pay(story, bid, pid)
    assert codes(report(story, as_of=size)) == ["UNPAID_ENTITLEMENT"]
    assert report(story, as_of=size)["as_of"]["entries"] == size
    assert report(story)["anomalies"] == []


def test_a_reversed_payment_counts_for_nothing(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    wrong = pay(story, bid, pid, amount=AMOUNT * 10)
    reverse(story, wrong)
    doc = report(story)
    assert codes(doc) == ["UNPAID_ENTITLEMENT"]
    assert doc["totals"]["paid"] == 0 and doc["funds"][0]["paid"] == 0
    pay(story, bid, pid)
    assert report(story)["anomalies"] == []


def test_a_household_benefit_ends_when_its_last_member_dies(story: Story) -> None:
    hid = story.household()
    a, b = story.person(hid), story.person(hid)
    program = story.program("monthly", "social_protection")
    fund(story, program)
    bid = benefit(story, program, household_id=hid, amount=540_000)
    died(story, a, "2022-01-03")
    entitled = report(story, "2022-01", "2022-06")["programs"]
    assert len(entitled) == 6
    died(story, b, "2022-02-14")
    doc = report(story, "2022-01", "2022-06")
    assert [r["month"] for r in doc["programs"]] == ["2022-01", "2022-02"]
    assert [(x["code"], x["benefit_id"], x["household_id"]) for x in doc["anomalies"]] == [
        ("UNPAID_ENTITLEMENT", bid, hid)
    ] * 2


def test_the_same_snapshot_gives_the_same_json_bytes(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    pay(story, bid, pid, amount=1)
    pay(story, bid, pid, month="2022-03")
    stranger = story.person(story.household())
    pay(story, bid, stranger, month="2022-02")
    first = to_json(report(story, "2022-01", "2022-04"))
    again = to_json(report(story, "2022-01", "2022-04"))
    assert first == again
    doc = report(story, "2022-01", "2022-04")
    ordered = [
        (a["code"], a.get("payment_id", ""), a.get("benefit_id", "")) for a in doc["anomalies"]
    ]
    assert ordered == sorted(ordered)
    assert set(codes(doc)) <= set(CODES)


@pytest.mark.parametrize(
    ("first", "last", "on", "field"),
    [
        ("2022-13", "2022-12", None, "from"),
        ("2022-01", "2022-1", None, "to"),
        ("2022-03", "2022-01", None, "from"),
        ("2022-01", "2022-02", "2022-02-30", "on"),
    ],
)
def test_bad_period_is_refused_naming_the_field(
    story: Story, first: str, last: str, on: str | None, field: str
) -> None:
    with pytest.raises(InvalidField) as err:
        reconcile(snapshot(story.app), first, last, on)
    assert err.value.field == field
