"""The demo's year of grievances (api.demo.later.grievances): accepted as signed, and the
reconciliation finds the one nobody answered and the paid line said not received."""

from __future__ import annotations

import random

from api.demo.later.grievances import add_grievances
from api.demo.scribe import Scribe
from api.reading import Direct, read_at, reconciliation
from tests.conftest import Story
from tests.support.drafts import adopted_1_3
from tests.support.steps.grievances import ANSWERER, INTAKE, intake_key, paid_line


def test_the_demo_year_of_grievances_is_accepted_and_gives_its_two_findings(
    story: Story,
) -> None:
    adopted_1_3(story)
    intake_key(story)
    codes = [paid_line(story) for _ in range(5)]
    keys = {name: story.o.keys[name] for name in ("registrar", "approver")}
    scribe = Scribe(random.Random(7), {**keys, "intake": story.o.keys[INTAKE]})
    add_grievances(scribe, ANSWERER, codes, 2024)
    size = story.app.size()
    story.app.submit_batch(scribe.sign_all())
    assert story.app.size() > size + 20
    doc = reconciliation(
        read_at(Direct(story.app), None), "2022-01", "2022-01", "2024-12-31", identities=False
    )
    found = sorted(
        a["code"]
        for a in doc["anomalies"]
        if a["code"] in ("GRIEVANCE_OVERDUE", "PAYMENT_DISPUTED")
    )
    # the letter nobody answered; the line said not received (overdue too, and disputed)
    assert found == ["GRIEVANCE_OVERDUE", "GRIEVANCE_OVERDUE", "PAYMENT_DISPUTED"]
