"""A poverty review round in the console's forms: opened, a household scored, recognised.

The round's id is made in the page; the round is picked by its dates and the
household by its code; the deprivations are ticked from the twelve
indicators by their Vietnamese names; the recognition picks the assessment
by the household's code, which fills in the household and the result.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ledger.domain.base import read_statement
from tests.browser.conftest import Live, shoot
from tests.browser.console.officer import (
    box,
    check_and_sign,
    choose_type,
    key_file,
    pick,
    select,
    sign_in,
    type_in,
)
from tests.conftest import Story
from tests.support.drafts import adopted_1_3
from tests.support.steps import reviews as r


def test_the_chairman_opens_a_round_and_the_registrar_scores_a_household(
    live: Live, page: Page, story: Story, tmp_path: Path
) -> None:
    adopted_1_3(story)
    household = story.household("Bản Huổi")
    code = f"CE-{household[:6]}"
    sign_in(page, live.url, key_file(tmp_path, "approver", story.o.keys["approver"], None))
    choose_type(page, "review.opened")
    select(page, "kind", "periodic")
    type_in(page, "from", "01/09/2024")
    type_in(page, "to", "14/12/2024")
    type_in(page, "plan.number", "112/KH-UBND")
    type_in(page, "plan.date", "20/08/2024")
    shoot(page, "console-review-opened")
    opened = read_statement(story.app.entry(check_and_sign(page)).envelope)["body"]
    assert (opened["kind"], opened["from"], opened["to"]) == (
        "periodic",
        "2024-09-01",
        "2024-12-14",
    )

    registrar = page.context.new_page()
    sign_in(registrar, live.url, key_file(tmp_path, "registrar", story.o.keys["registrar"], None))
    choose_type(registrar, "household.assessed")
    pick(registrar, "round_id", "2024", "01/09/2024")
    pick(registrar, "household_id", code, code)
    select(registrar, "request", "form_01")
    select(registrar, "area", "rural")
    type_in(registrar, "income_per_capita_month", "1.200.000")
    for name in ("Dinh dưỡng", "Nhà tiêu hợp vệ sinh", "Nguồn nước sinh hoạt"):
        box(registrar, "deprivations").get_by_label(name).check()
    select(registrar, "result", "poor")
    shoot(registrar, "console-household-assessed")
    body = read_statement(story.app.entry(check_and_sign(registrar)).envelope)["body"]
    assert body["household_id"] == household
    assert body["income_per_capita_month"] == 1_200_000
    assert sorted(body["deprivations"]) == ["drinking_water", "nutrition", "sanitation"]
    assert body["request"] == "form_01"

    round_id, assessment_id = opened["round_id"], body["assessment_id"]
    meeting_id = r.hold_meeting(story, round_id)
    story.submit(r.vote(assessment_id, meeting_id).sub(story.o))
    story.submit(r.posting(story, round_id).sub(story.o))
    page.reload()
    expect(page.locator("#whoami")).to_be_hidden()  # a reload forgets the key
    sign_in(page, live.url, key_file(tmp_path, "approver2", story.o.keys["approver"], None))
    choose_type(page, "review.recognized")
    pick(page, "assessment_id", code, code)
    expect(box(page, "household_id").locator(".chosen")).to_contain_text(code)
    expect(box(page, "result").locator("select")).to_have_value("poor")
    type_in(page, "decision.number", "245/QĐ-UBND")
    type_in(page, "decision.date", "05/11/2024")
    shoot(page, "console-review-recognized")
    recognised = read_statement(story.app.entry(check_and_sign(page)).envelope)["body"]
    assert recognised == {
        "assessment_id": assessment_id,
        "household_id": household,
        "result": "poor",
        "decision": {"number": "245/QĐ-UBND", "date": "2024-11-05"},
    }
