"""The demo's July 2024 allowance changes (api/demo/later/allowances.py).

Collected by the demo's scribe and signed in date order, they set the 2024
levels and rebase a social benefit, which is then due 500.000 đ times its
coefficient from July 2024 (docs/formats.md 11.2).
"""

from __future__ import annotations

import random

import pytest

from api.demo import later as later_years
from api.demo.commune import Commune
from api.demo.data import SOCIAL_LEVELS
from api.demo.later.allowances import apply, coefficient, plant, rebase_2024
from api.demo.later.years import LaterYears
from api.demo.scribe import Scribe
from api.demo.story import generate, submit_all
from ledger.application import LedgerApplication
from projections.query import snapshot
from projections.reports.entitlements import entitlements
from projections.reports.reconciliation import reconcile
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


planted: list[str] = []


def _run_with_levels(commune: Commune) -> LaterYears:
    """The later years as :func:`api.demo.later.run` writes them, with this procedure."""
    later = LaterYears(commune)
    grants = later.continuing()
    later.adopt()
    apply(later)
    planted.extend(plant(later))
    later.fund(grants)
    later.pay(grants)
    return later


def test_in_the_demo_the_allowances_rise_in_july_2024_and_the_planted_payments_are_found(
    app: LedgerApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(later_years, "run", _run_with_levels)
    submit_all(generate(1), app.submit_batch)
    snap = snapshot(app)
    social = {p.program_id for p in snap.programs.values() if p.code == "BTXH"}
    rebased = [c for c in snap.changes.values() if c.state == "approved"]
    assert rebased and all(snap.benefits[c.benefit_id].program_id in social for c in rebased)
    due = entitlements(snap, "2024-06", "2024-07")
    change = rebased[0]
    months = {e.month: e.amount for e in due if e.benefit_id == change.benefit_id}
    assert change.coefficient is not None
    assert months == {
        "2024-06": 360_000 * change.coefficient // 100,
        "2024-07": 500_000 * change.coefficient // 100,
    }
    doc = reconcile(snap, "2024-06", "2024-12")
    wrong = [a for a in doc["anomalies"] if a["code"] in ("OVERPAYMENT", "UNDERPAYMENT")]
    assert wrong == []
    leaving, suspended = planted[-2:]
    found = {(a["code"], a["benefit_id"], a["month"]) for a in doc["anomalies"]
             if a["code"] in ("PAID_AFTER_LEAVING", "PAID_WHILE_SUSPENDED")}  # fmt: skip
    assert found == {
        ("PAID_AFTER_LEAVING", leaving, "2024-11"),
        ("PAID_WHILE_SUSPENDED", suspended, "2024-12"),
    }
