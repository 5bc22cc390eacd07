"""Allowance changes (docs/formats.md 11.2): each rule, and the refusal naming its field.

Standard levels are set once per category and month; a change (rebase,
suspension, resumption) is proposed for an approved monthly benefit and
decided by another holder, once; a person leaves the commune once.
"""

from __future__ import annotations

import pytest

from ledger.errors import InvalidField, LedgerError
from ledger.formats.procedures import allowances as procedure
from ledger.formats.schemas import CATEGORIES
from tests.conftest import Story
from tests.ledger.domain.refusals import refused
from tests.support.drafts import Draft, adopted_1_3
from tests.support.steps.allowances import (
    change,
    changed,
    decided,
    left,
    level,
    social_benefit,
)


def _expect(
    s: Story, draft: Draft, code: str, field: str, words: str, who: str | None = None
) -> LedgerError:
    err = refused(s, draft.sub(s.o, who), code)
    assert err.field == field, err.message
    assert words in err.message, err.message
    return err


def test_a_level_is_refused_until_the_ledger_follows_1_3(story: Story) -> None:
    draft = level(story)
    story.submit(draft.sub(story.o))
    assert story.app.charter().levels == {"social_protection": {"2021-07": 360_000}}


def test_a_second_level_for_one_category_and_month_is_refused_naming_the_month(
    story: Story,
) -> None:
    story.submit(level(story, 360_000, "2021-07").sub(story.o))
    _expect(
        story,
        level(story, 500_000, "2021-07"),
        "DUPLICATE",
        "body.effective",
        "category social_protection has a standard level from 2021-07 already",
    )
    story.submit(level(story, 500_000, "2024-07").sub(story.o))
    story.submit(level(story, 2_789_000, "2024-07", "meritorious").sub(story.o))
    assert story.app.charter().levels["social_protection"] == {
        "2021-07": 360_000,
        "2024-07": 500_000,
    }


def test_only_an_admin_sets_a_level(story: Story) -> None:
    refused(story, level(story).sub(story.o, "registrar"), "ROLE_NOT_ALLOWED")


def test_a_rebase_needs_a_level_in_force_in_its_first_month(story: Story) -> None:
    bid = social_benefit(story)
    story.submit(level(story, 500_000, "2024-07").sub(story.o))
    _expect(
        story,
        change(story, bid, "rebase", "2024-06", 150),
        "RULE_VIOLATION",
        "body.from",
        "no standard level of category social_protection is in force in 2024-06",
    )
    story.submit(change(story, bid, "rebase", "2024-07", 150).sub(story.o))


def test_a_rebase_names_a_coefficient_and_a_suspension_none(story: Story) -> None:
    bid = social_benefit(story)
    story.submit(level(story).sub(story.o))
    without = change(story, bid, "rebase", "2022-01")
    _expect(story, without, "INVALID_FIELD", "body.coefficient", "a rebase names its coefficient")
    extra = change(story, bid, "suspend", "2022-03", 150)
    _expect(story, extra, "INVALID_FIELD", "body.coefficient", "must be absent for a suspend")
    fractional = change(story, bid, "rebase", "2022-01")
    fractional.body["coefficient"] = 1.5
    with pytest.raises(InvalidField) as err:  # refused as the statement is made
        fractional.sub(story.o)
    assert err.value.field == "body.coefficient"
    assert "an integer number of hundredths (150 is 1.5)" in err.value.message


def test_a_change_of_a_benefit_not_approved_or_not_monthly_is_refused(story: Story) -> None:
    adopted_1_3(story)
    proposed = social_benefit(story, approve=False)
    _expect(
        story,
        change(story, proposed, "suspend", "2022-03"),
        "RULE_VIOLATION",
        "body.benefit_id",
        "the benefit is not approved yet",
    )
    one_off = story.benefit(story.program("one_off", "tet_gift"), story.person(story.household()))
    _expect(
        story,
        change(story, one_off, "suspend", "2022-03"),
        "RULE_VIOLATION",
        "body.benefit_id",
        "a one_off benefit has no months to change",
    )
    _expect(
        story,
        change(story, "0" * 8 + "-0000-4000-8000-" + "0" * 12, "suspend", "2022-03"),
        "UNKNOWN_ENTITY",
        "body.benefit_id",
        "no benefit",
    )


def test_a_change_before_the_benefit_starts_is_refused(story: Story) -> None:
    bid = social_benefit(story)
    _expect(
        story,
        change(story, bid, "suspend", "2021-12"),
        "RULE_VIOLATION",
        "body.from",
        "2021-12 is before the benefit's start (2022-01)",
    )


def test_suspension_and_resumption_alternate_and_go_forward(story: Story) -> None:
    bid = social_benefit(story)
    _expect(
        story,
        change(story, bid, "resume", "2022-03"),
        "RULE_VIOLATION",
        "body.kind",
        "the benefit is not suspended",
    )
    changed(story, bid, "suspend", "2022-03")
    _expect(
        story,
        change(story, bid, "suspend", "2022-05"),
        "RULE_VIOLATION",
        "body.kind",
        "the benefit is suspended already (from 2022-03)",
    )
    _expect(
        story,
        change(story, bid, "resume", "2022-02"),
        "RULE_VIOLATION",
        "body.from",
        "2022-02 is before the suspension (2022-03)",
    )
    changed(story, bid, "resume", "2022-06")
    _expect(
        story,
        change(story, bid, "suspend", "2022-05"),
        "RULE_VIOLATION",
        "body.from",
        "2022-05 is before the benefit's resumption (2022-06)",
    )
    changed(story, bid, "suspend", "2022-09")


def test_the_proposer_cannot_approve_their_own_change(story: Story) -> None:
    bid = social_benefit(story)
    proposed = change(story, bid, "suspend", "2022-03")
    story.submit(proposed.sub(story.o))
    story.submit(story.o.register("registrar2", ["registrar", "approver"], "staff-registrar"))
    _expect(
        story,
        decided(proposed, who="registrar2"),
        "SELF_APPROVAL",
        "by",
        "proposed this benefit change and cannot also approve it",
    )
    story.submit(decided(proposed).sub(story.o))


def test_a_change_is_decided_once(story: Story) -> None:
    bid = social_benefit(story)
    proposed = change(story, bid, "suspend", "2022-03")
    story.submit(proposed.sub(story.o))
    story.submit(decided(proposed, approve=False).sub(story.o))
    _expect(story, decided(proposed), "ALREADY_DECIDED", "body.change_id", "already rejected")
    _expect(
        story, decided(proposed, False), "ALREADY_DECIDED", "body.change_id", "already rejected"
    )


def test_a_decision_names_the_benefit_of_its_change(story: Story) -> None:
    bid, other = social_benefit(story), social_benefit(story)
    proposed = change(story, bid, "suspend", "2022-03")
    story.submit(proposed.sub(story.o))
    wrong = decided(proposed)
    wrong.body["benefit_id"] = other
    _expect(story, wrong, "RULE_VIOLATION", "body.benefit_id", f"is of benefit {bid}")


def test_an_approval_is_refused_when_a_decision_since_makes_the_change_wrong(
    story: Story,
) -> None:
    bid = social_benefit(story)
    first, second = (
        change(story, bid, "suspend", "2022-03"),
        change(story, bid, "suspend", "2022-04"),
    )
    story.submit(first.sub(story.o))
    story.submit(second.sub(story.o))
    story.submit(decided(first).sub(story.o))
    _expect(
        story,
        decided(second),
        "RULE_VIOLATION",
        "body.change_id",
        "the change no longer applies: the benefit is suspended already (from 2022-03)",
    )
    story.submit(decided(second, approve=False).sub(story.o))


def test_a_change_id_is_used_once(story: Story) -> None:
    bid = social_benefit(story)
    proposed = change(story, bid, "suspend", "2022-03")
    story.submit(proposed.sub(story.o))
    again = change(story, bid, "suspend", "2022-04")
    again.body["change_id"] = proposed.body["change_id"]
    _expect(story, again, "DUPLICATE", "body.change_id", "already used by a benefit change")


def test_a_person_leaves_once_and_not_after_death(story: Story) -> None:
    draft = left(story)
    story.submit(draft.sub(story.o))
    _expect(story, draft, "RULE_VIOLATION", "body.person_id", "has left the commune already")
    dead = story.person(story.household())
    story.submit(story.o.sub("registrar", "person.died", {"person_id": dead, "date": "2022-02-01"}))
    gone = Draft("registrar", "person.left", {**draft.body, "person_id": dead})
    _expect(story, gone, "RULE_VIOLATION", "body.person_id", "death already recorded")
    nobody = Draft("registrar", "person.left", {**draft.body, "person_id": story.household()})
    _expect(story, nobody, "UNKNOWN_ENTITY", "body.person_id", "not a person")


def test_decisions_of_changes_are_for_approvers(story: Story) -> None:
    bid = social_benefit(story)
    proposed = change(story, bid, "suspend", "2022-03")
    story.submit(proposed.sub(story.o))
    refused(story, decided(proposed).sub(story.o, "cashier"), "ROLE_NOT_ALLOWED")
    refused(
        story, Draft("cashier", "person.left", left(story).body).sub(story.o), "ROLE_NOT_ALLOWED"
    )


def test_a_level_s_categories_are_the_programs_categories() -> None:
    assert set(procedure.CATEGORIES) == CATEGORIES


def test_a_batch_sets_a_level_and_proposes_and_approves_changes_in_order(story: Story) -> None:
    bid = social_benefit(story)
    rebase = change(story, bid, "rebase", "2024-07", 150)
    suspend, again = (
        change(story, bid, "suspend", "2024-09"),
        change(story, bid, "suspend", "2024-10"),
    )
    steps = [level(story, 500_000, "2024-07"), rebase, decided(rebase), suspend, decided(suspend)]
    size = story.app.size()
    with pytest.raises(LedgerError) as err:  # all or nothing: the second suspension breaks it
        story.app.submit_batch([d.sub(story.o) for d in [*steps, again, decided(again)]])
    assert (err.value.code, story.app.size()) == ("RULE_VIOLATION", size)
    accepted = story.app.submit_batch([d.sub(story.o) for d in steps])
    assert [a.index for a in accepted] == list(range(size, size + 5))
    assert story.app.charter().levels["social_protection"] == {"2024-07": 500_000}
