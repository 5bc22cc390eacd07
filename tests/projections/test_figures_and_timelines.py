"""Reconciliation figures and timelines: sums per program and month, the report date
``on``, what the ledger knew (``as_of``), reversals, deaths, stable bytes, refusals."""

from __future__ import annotations

import pytest

from ledger.errors import InvalidField
from projections.query import snapshot
from projections.reports.export import to_json
from projections.reports.reconciliation import CODES, reconcile
from tests.conftest import Story
from tests.projections import verbs


# -- figures and timelines --------------------------------------------------------------
def test_figures_add_up_per_program_and_month(story: Story, funded: tuple) -> None:
    hid, pid, program, bid = funded
    other = verbs.benefit(story, program, person_id=story.person(hid), amount=2_000_000)
    verbs.pay(story, bid, pid, month="2022-01")
    verbs.pay(story, bid, pid, month="2022-02", amount=verbs.AMOUNT + 100)
    verbs.pay(story, other, verbs.beneficiary(story, other), month="2022-01", amount=1_500_000)
    doc = verbs.report(story, "2022-01", "2022-02")
    rows = {r["month"]: r for r in doc["programs"]}
    assert rows["2022-01"]["entitled"] == verbs.AMOUNT + 2_000_000
    assert rows["2022-01"]["paid"] == verbs.AMOUNT + 1_500_000
    assert (rows["2022-01"]["unpaid"], rows["2022-01"]["overpaid"]) == (500_000, 0)
    assert (rows["2022-02"]["unpaid"], rows["2022-02"]["overpaid"]) == (2_000_000, 100)
    assert (rows["2022-02"]["entitled_count"], rows["2022-02"]["unpaid_count"]) == (2, 1)
    for r in doc["programs"]:
        assert r["entitled"] - r["unpaid"] + r["overpaid"] == r["paid"]
    assert sorted(verbs.codes(doc)) == ["OVERPAYMENT", "UNDERPAYMENT", "UNPAID_ENTITLEMENT"]


def test_on_limits_what_was_due_and_paid_by_that_day(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    verbs.pay(story, bid, pid, month="2022-01", paid_on="2022-01-10")
    verbs.pay(story, bid, pid, month="2022-02", paid_on="2022-02-10")
    early = verbs.report(story, "2022-01", "2022-03", on="2022-01-31")
    assert early["anomalies"] == [] and early["totals"]["entitled"] == verbs.AMOUNT
    mid = verbs.report(story, "2022-01", "2022-03", on="2022-02-05")
    assert [(a["code"], a["month"]) for a in mid["anomalies"]] == [
        ("UNPAID_ENTITLEMENT", "2022-02")
    ]
    before_approval = verbs.report(story, "2022-01", "2022-01", on="2022-01-05")
    assert before_approval["totals"]["entitled"] == 0


def test_a_payment_for_a_month_not_yet_due_on_the_date_is_an_overpayment(
    story: Story, funded: tuple
) -> None:
    _, pid, _, bid = funded
    verbs.pay(story, bid, pid, month="2022-01", paid_on="2022-01-10")
    advance = verbs.pay(story, bid, pid, month="2022-02", paid_on="2022-01-10")
    doc = verbs.report(story, "2022-01", "2022-02", on="2022-01-31")
    found = verbs.only(doc, "OVERPAYMENT", payment_id=advance, month="2022-02")
    assert "not yet due" in found["detail"]
    assert verbs.report(story, "2022-01", "2022-02")["anomalies"] == []


def test_as_of_shows_what_the_ledger_knew_before_a_payment_was_recorded(
    story: Story, funded: tuple
) -> None:
    _, pid, _, bid = funded
    size = story.app.size()
    verbs.pay(story, bid, pid)
    assert verbs.codes(verbs.report(story, as_of=size)) == ["UNPAID_ENTITLEMENT"]
    assert verbs.report(story, as_of=size)["as_of"]["entries"] == size
    assert verbs.report(story)["anomalies"] == []


def test_a_reversed_payment_counts_for_nothing(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    wrong = verbs.pay(story, bid, pid, amount=verbs.AMOUNT * 10)
    verbs.reverse(story, wrong)
    doc = verbs.report(story)
    assert verbs.codes(doc) == ["UNPAID_ENTITLEMENT"]
    assert doc["totals"]["paid"] == 0 and doc["funds"][0]["paid"] == 0
    verbs.pay(story, bid, pid)
    assert verbs.report(story)["anomalies"] == []


def test_a_household_benefit_ends_when_its_last_member_dies(story: Story) -> None:
    hid = story.household()
    a, b = story.person(hid), story.person(hid)
    program = story.program("monthly", "social_protection")
    verbs.fund(story, program)
    bid = verbs.benefit(story, program, household_id=hid, amount=540_000)
    verbs.died(story, a, "2022-01-03")
    entitled = verbs.report(story, "2022-01", "2022-06")["programs"]
    assert len(entitled) == 6
    verbs.died(story, b, "2022-02-14")
    doc = verbs.report(story, "2022-01", "2022-06")
    assert [r["month"] for r in doc["programs"]] == ["2022-01", "2022-02"]
    assert [(x["code"], x["benefit_id"], x["household_id"]) for x in doc["anomalies"]] == [
        ("UNPAID_ENTITLEMENT", bid, hid)
    ] * 2


def test_the_same_snapshot_gives_the_same_json_bytes(story: Story, funded: tuple) -> None:
    _, pid, _, bid = funded
    verbs.pay(story, bid, pid, amount=1)
    verbs.pay(story, bid, pid, month="2022-03")
    stranger = story.person(story.household())
    verbs.pay(story, bid, stranger, month="2022-02")
    first = to_json(verbs.report(story, "2022-01", "2022-04"))
    again = to_json(verbs.report(story, "2022-01", "2022-04"))
    assert first == again
    doc = verbs.report(story, "2022-01", "2022-04")
    ordered = [
        (a["code"], a.get("payment_id", ""), a.get("benefit_id", "")) for a in doc["anomalies"]
    ]
    assert ordered == sorted(ordered)
    assert set(verbs.codes(doc)) <= set(CODES)


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
