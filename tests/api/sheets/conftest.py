"""Fixtures of the printed-report tests."""

from __future__ import annotations

import pytest

from tests.conftest import Story
from tests.projections.verbs import AMOUNT, benefit, fund, pay, set_status


@pytest.fixture
def villages(story: Story) -> Story:
    """Two programs in two villages, over two months: one overpaid, one unpaid."""
    monthly, other = story.program(), story.program()
    for program in (monthly, other):
        fund(story, program)
    for village in ("Bản Huổi", "Bản Nà"):
        hid = story.household(village)
        set_status(story, hid, "poor", "2021-12-01")
        pid = story.person(hid)
        first = benefit(story, monthly, person_id=pid)
        second = benefit(story, other, person_id=pid, amount=500_000)
        pay(story, first, pid, month="2022-01")
        pay(story, first, pid, month="2022-02", amount=AMOUNT + 100_000)
        pay(story, second, pid, month="2022-01", amount=500_000)
    return story
