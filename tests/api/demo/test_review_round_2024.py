"""The demo's 2024 poverty review round (``api.demo.later.reviews``), recorded in a ledger.

Every statement it writes is accepted in date order by a ledger following
FORMATS 1.3; each household's latest assessment is recognised; the one whose
objection was upheld is recognised on its second assessment, so the
reconciliation flags nothing; the public pages show each village's window.
"""

from __future__ import annotations

import random

from api import reading
from api.demo import data as d
from api.demo.commune import Commune
from api.demo.data import Home
from api.demo.later.reviews import DECISION, in_later_years, review_round_2024
from api.demo.later.years import LaterYears
from api.demo.scribe import Scribe
from ledger.formats.keys import KeyPair
from projections.reports.entitlements import status_on
from projections.reports.reviews import posting_windows
from tests.conftest import Story
from tests.support.drafts import adopted_1_3

VILLAGES = ("Bản Huổi", "Bản Mé", "Bản Nà Hày")


def _homes(story: Story) -> list[Home]:
    homes = []
    for no, village in enumerate(VILLAGES):
        for n, (income, lacking) in enumerate(((900_000, 4), (1_300_000, 1), (3_000_000, 0))):
            hid = story.household(village)
            homes.append(Home(hid, f"H-{no}-{n}", village, no, [], income, lacking))
    return homes


def test_the_2024_round_is_accepted_and_recognises_every_household(story: Story) -> None:
    adopted_1_3(story)
    homes = _homes(story)
    scribe = Scribe(random.Random(2024), story.o.keys)
    summary = review_round_2024(scribe, homes)
    for sub in scribe.sign_all():
        story.submit(sub)
    read = reading.read_at(reading.Direct(story.app), None)
    for home in homes:
        recognised = read.snap.proposals[summary.assessments[home.household_id]]
        assert recognised.state == "approved"
        assert recognised.decision_date == DECISION["date"]
        assert status_on(read.snap, home.household_id, "2024-11-25") == recognised.status
    assert summary.upheld and summary.results[summary.upheld] == "not_poor"
    doc = reading.reconciliation(read, "2024-01", "2024-12", "2024-12-31", identities=False)
    assert [a["code"] for a in doc["anomalies"]] == []
    windows = posting_windows(reading.review_rounds(read), "2024-12-31")
    assert sorted({w["village"] for w in windows}) == sorted(VILLAGES)
    assert sum(w["objections_lodged"] for w in windows) == 1
    assert all(w["objections_answered"] == w["objections_lodged"] for w in windows)


def test_the_later_years_call_it_over_every_household_of_the_commune() -> None:
    rng = random.Random(7)
    keys = {name: KeyPair.from_seed(rng.randbytes(32)) for name in d.KEY_FILES}
    commune = Commune(rng, Scribe(rng, keys))
    summary = in_later_years(LaterYears(commune))
    assert set(summary.assessments) == {h.household_id for h in commune.homes}
    assert summary.upheld in summary.assessments
    assert set(summary.windows) == {h.village for h in commune.homes}
