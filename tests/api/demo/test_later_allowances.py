"""The demo's July 2024 allowance changes (api/demo/later/allowances.py).

Collected by the demo's scribe and signed in date order, they set the 2024
levels and rebase a social benefit, which is then due 500.000 đ times its
coefficient from July 2024 (docs/formats.md 11.2).
"""

from __future__ import annotations

import random

from api.demo.data import SOCIAL_LEVELS
from api.demo.later.allowances import coefficient, rebase_2024
from api.demo.scribe import Scribe
from projections.query import snapshot
from projections.reports.entitlements import entitlements
from tests.conftest import Story
from tests.support.steps.allowances import social_benefit


def test_the_july_2024_levels_raise_a_rebased_social_allowance(story: Story) -> None:
    bid = social_benefit(story)  # 540.000 đ, coefficient 1,5 on 360.000 đ
    disabled = next(level for level in SOCIAL_LEVELS if level.halves == 3)
    assert coefficient(disabled) == 150
    scribe = Scribe(random.Random(7), story.o.keys)
    changes = rebase_2024(scribe.add, scribe.new_id, [(bid, coefficient(disabled))])
    for sub in scribe.sign_all():
        story.submit(sub)
    snap = snapshot(story.app)
    assert [snap.changes[c].state for c in changes] == ["approved"]
    due = {e.month: e.amount for e in entitlements(snap, "2024-06", "2024-07")}
    assert due == {"2024-06": 540_000, "2024-07": 750_000}
    assert snap.levels[("meritorious", "2024-07")].amount == 2_789_000
