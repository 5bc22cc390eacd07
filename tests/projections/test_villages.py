"""The reconciliation per village and program adds up to the per-program rows."""

from __future__ import annotations

from tests.conftest import Story
from tests.projections.verbs import AMOUNT, benefit, pay, report


def test_each_village_shows_what_its_households_were_due_and_paid(
    story: Story, funded: tuple
) -> None:
    _, pid, program, bid = funded  # in Bản Huổi
    other = story.household("Bản Nà")
    neighbour = story.person(other)
    second = benefit(story, program, person_id=neighbour)
    pay(story, bid, pid, month="2022-01")
    pay(story, bid, pid, month="2022-02", amount=AMOUNT * 2)
    pay(story, second, neighbour, month="2022-01")
    doc = report(story, "2022-01", "2022-02")
    rows = {r["village"]: r for r in doc["villages"]}
    assert list(rows) == ["Bản Huổi", "Bản Nà"]
    huoi, na = rows["Bản Huổi"], rows["Bản Nà"]
    assert (huoi["entitled"], huoi["paid"], huoi["unpaid"], huoi["overpaid"]) == (
        2 * AMOUNT,
        3 * AMOUNT,
        0,
        AMOUNT,
    )
    assert (na["entitled"], na["paid"], na["unpaid"], na["unpaid_count"]) == (
        2 * AMOUNT,
        AMOUNT,
        AMOUNT,
        1,
    )
    assert huoi["program_id"] == na["program_id"] == program


def test_the_villages_add_up_to_the_report_totals(story: Story, funded: tuple) -> None:
    _, pid, program, bid = funded
    other = story.household("Bản Nà")
    second = benefit(story, program, household_id=other)
    pay(story, bid, pid, month="2022-01")
    pay(story, second, story.person(other), month="2022-03")
    doc = report(story, "2022-01", "2022-03")
    for measure, total in doc["totals"].items():
        assert sum(r[measure] for r in doc["villages"]) == total, measure
    for count in ("entitled_count", "paid_count", "unpaid_count"):
        assert sum(r[count] for r in doc["villages"]) == sum(r[count] for r in doc["programs"])
