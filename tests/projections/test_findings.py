"""Findings an inspector can act on: who, where, how much, the entries that prove it;
person codes; and the date reports stand on by default."""

from __future__ import annotations

from projections.query import snapshot
from projections.reports.codes import person_codes, resolve
from projections.reports.entitlements import snapshot_date
from projections.reports.exhibits import commands
from projections.reports.export import reconciliation_views
from projections.reports.findings import finding_id
from projections.reports.lists import lists
from projections.reports.payroll import payroll
from tests.conftest import Story
from tests.projections.verbs import (
    AMOUNT,
    benefit,
    died,
    fund,
    only,
    pay,
    report,
    set_status,
)


def _code(story: Story, household_id: str) -> str:
    return snapshot(story.app).households[household_id].code


def test_finding_names_the_household_code_village_program_and_amounts(story: Story) -> None:
    hid = story.household("Bản Nà Hát")
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    bid = benefit(story, program, person_id=pid)
    payment = pay(story, bid, pid, amount=AMOUNT + 500_000)
    found = only(report(story), "OVERPAYMENT", payment_id=payment)
    snap = snapshot(story.app)
    assert found["household_code"] == snap.households[hid].code
    assert found["village"] == "Bản Nà Hát"
    assert found["person_code"] == f"{snap.households[hid].code}/1"
    assert found["program_code"] == snap.programs[program].code
    assert found["program_name"] == snap.programs[program].name
    assert found["months"] == ["2022-01"]
    assert (found["expected"], found["paid"], found["difference"]) == (
        AMOUNT,
        AMOUNT + 500_000,
        500_000,
    )
    assert "household_id" not in found  # a person's benefit: the DESIGN.md shape is kept


def test_finding_evidence_lists_the_payment_the_benefit_and_the_death(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    bid = benefit(story, program, person_id=pid)
    died(story, pid, "2022-01-20")
    payment = pay(story, bid, pid, month="2022-02", paid_on="2022-01-15")
    found = only(report(story, "2022-02", "2022-02"), "PAID_AFTER_DEATH", payment_id=payment)
    snap = snapshot(story.app)
    b, p = snap.benefits[bid], snap.payments[payment]
    death = snap.people[pid].died_index
    assert death is not None
    assert found["evidence"] == sorted([b.index, b.approved_index, death, p.index])
    assert found["detail"] == "beneficiary died in 2022-01; paid for 2022-02"
    assert found["detail_vi"] == "Chi cho tháng 02/2022 sau khi đối tượng mất (01/2022)"
    assert (found["expected"], found["paid"]) == (0, AMOUNT)


def test_a_household_finding_proves_it_with_the_status_decisions(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    support = story.program(category="poverty")
    fund(story, support)
    set_status(story, hid, "poor", "2022-01-01")
    set_status(story, hid, "not_poor", "2022-02-01")
    bid = benefit(story, support, household_id=hid, start="2022-02", amount=500_000)
    payment = pay(story, bid, pid, month="2022-02", amount=500_000)
    found = only(report(story, "2022-02", "2022-02"), "HOUSEHOLD_NOT_ELIGIBLE")
    snap = snapshot(story.app)
    decisions = {i for p in snap.proposals.values() for i in (p.index, p.decided_index)}
    assert decisions <= set(found["evidence"])
    assert snap.payments[payment].index in found["evidence"]
    assert "hộ không nghèo" in found["detail_vi"]


def test_finding_ids_are_short_stable_and_distinct(story: Story) -> None:
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    bid = benefit(story, program, person_id=pid)
    pay(story, bid, pid)
    pay(story, bid, pid)
    doc = report(story, "2022-01", "2022-02")
    ids = [a["finding_id"] for a in doc["anomalies"]]
    assert len(ids) == len(set(ids)) == 2  # a duplicate payment, February unpaid
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)
    assert ids == [a["finding_id"] for a in report(story, "2022-01", "2022-02")["anomalies"]]
    assert ids == [finding_id(a) for a in doc["anomalies"]]


def test_the_findings_view_leads_with_codes_and_prints_the_commands_to_check(
    story: Story,
) -> None:
    hid = story.household("Bản Mé")
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    benefit(story, program, person_id=pid)
    doc = report(story)
    (vi,) = [v for v in reconciliation_views(doc) if v.name == "anomalies"]
    assert vi.columns[:6] == (
        "finding_id",
        "code",
        "label",
        "village",
        "household_code",
        "person_code",
    )
    assert vi.columns[-4:] == ("payment_id", "benefit_id", "person_id", "household_id")
    row = dict(zip(vi.headings, vi.rows[0], strict=True))
    assert row["Mã hộ"] == _code(story, hid) and row["Thôn, bản"] == "Bản Mé"
    assert row["Chi tiết"].startswith("Mức hưởng 1.624.000 đ của tháng 01/2022 chưa được chi")
    (finding,) = doc["anomalies"]
    size = doc["as_of"]["entries"]
    assert row["Kiểm chứng"].splitlines() == commands(finding, size)
    assert commands(finding, size)[0] == f"ansinh history {_code(story, hid)}/1"
    assert commands(finding, size)[1:] == [
        f"ansinh proof inclusion --index {i} --tree-size {size}" for i in finding["evidence"]
    ]
    (en,) = [v for v in reconciliation_views(doc, "en") if v.name == "anomalies"]
    english = dict(zip(en.headings, en.rows[0], strict=True))
    assert english["Detail"] == finding["detail"] and english["Verify"] == row["Kiểm chứng"]


def test_person_codes_count_registrations_within_the_household(story: Story) -> None:
    first, second = story.household(), story.household()
    a = story.person(first)
    b = story.person(second)
    c = story.person(first)
    snap = snapshot(story.app)
    codes = person_codes(snap)
    one, two = snap.households[first].code, snap.households[second].code
    assert (codes[a], codes[b], codes[c]) == (f"{one}/1", f"{two}/1", f"{one}/2")
    assert resolve(snap, f"{one}/2") == ("person", c)
    assert resolve(snap, one) == ("household", first)
    assert resolve(snap, f"{one}/3") is None and resolve(snap, "CE-nothing") is None


def test_reports_default_to_the_end_of_the_last_month_paid_not_the_day_written(
    story: Story,
) -> None:
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    bid = benefit(story, program, person_id=pid, end="2022-03")
    for month in ("2022-01", "2022-02", "2022-03"):
        pay(story, bid, pid, month=month)
    snap = snapshot(story.app)
    assert snap.last_recorded_at[:4] > "2022"  # written years later
    assert snapshot_date(snap) == "2022-03-31"
    doc = report(story, "2022-01", "2022-03")
    assert doc["period"]["on"] == "2022-03-31" and doc["anomalies"] == []
    assert doc["totals"]["paid"] == doc["totals"]["entitled"] == 3 * AMOUNT
    assert lists(snap)["on"] == "2022-03-31"
    assert [r["benefit_id"] for r in lists(snap)["beneficiaries"]] == [bid]
    assert payroll(snap, "2022-02")["on"] == "2022-03-31"
    # A period asked for beyond the last month paid is reported on as it closes.
    assert report(story, "2022-01", "2022-04")["period"]["on"] == "2022-04-30"


def test_a_ledger_without_payments_reports_on_the_day_of_its_last_entry(story: Story) -> None:
    story.household()
    snap = snapshot(story.app)
    assert snapshot_date(snap) == snap.last_recorded_at[:10]
