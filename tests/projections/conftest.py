"""Fixtures of the read-model and report tests."""

from __future__ import annotations

import pytest

from tests.conftest import Story
from tests.projections.verbs import benefit, fund


@pytest.fixture
def funded(story: Story) -> tuple[str, str, str, str]:
    """A household, its head, a funded monthly program (meritorious): (hid, pid, program, bid)."""
    hid = story.household()
    pid = story.person(hid)
    program = story.program()
    fund(story, program)
    return hid, pid, program, benefit(story, program, person_id=pid)
