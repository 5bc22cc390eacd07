"""The demo's paying agent (api/demo/later/agents.py): a month sent and settled, two lines
not paid, and the report says so."""

from __future__ import annotations

import hashlib

from api import paying_agents, reading
from api.demo.later.agents import POST_OFFICE, pay_through_agent
from ledger.formats.keys import KeyPair
from tests.conftest import Story


def test_the_post_office_settles_a_month_leaving_two_lines_not_paid(story: Story) -> None:
    for _ in range(4):
        story.beneficiary()
    agent = KeyPair.from_seed(bytes([90]) * 32)
    done = pay_through_agent(story.app, story.o, agent, "2022-01", "2021-12-20", "2022-01-08")
    assert (done.lines, done.total, len(done.not_paid)) == (4, 4 * 1_624_000, 2)
    doc = paying_agents.agents_report(
        reading.read_at(reading.Direct(story.app), None), "2022-03-01"
    )
    (row,) = doc["sendings"]
    assert row["agent"] == POST_OFFICE and row["signed_by_agent"] == 4
    assert row["list_sha256"] == hashlib.sha256(done.list_bytes).hexdigest()
    assert (row["paid_lines"], row["not_paid_lines"], row["held"]) == (2, 2, 2 * 1_624_000)
    assert [f["code"] for f in doc["findings"]] == ["AGENT_HOLDS_FUNDS"]
    snap = reading.read_at(reading.Direct(story.app), None).snap
    paid = {p.benefit_id for p in snap.payments.values() if p.method == "post"}
    assert len(paid) == 2 and not paid & set(done.not_paid)
