"""What the reports make of poverty review rounds (docs/formats.md 11.4).

In a ledger following FORMATS 1.3, a status approved without a review round
is a finding (STATUS_SKIPPED_REVIEW), and so is a household recognised
although an objection to its assessment was upheld
(OBJECTION_UPHELD_RECOGNIZED). The public posting of each village is listed
with its days left and its objections.
"""

from __future__ import annotations

from typing import Any

from api import reading
from ledger.tlog.merkle_log import MerkleLog
from projections.reports.export import VALUES as EXPORT_VALUES
from projections.reports.reconciliation import CODES
from projections.reports.reviews import posting_windows
from projections.tables.audit import verify_database
from tests.conftest import Story
from tests.support.drafts import DECISION, adopted_1_3, proposal
from tests.support.steps import reviews as r


def _findings(story: Story, on: str = "2024-12-31") -> list[dict[str, Any]]:
    read = reading.read_at(reading.Direct(story.app), None)
    doc = reading.reconciliation(read, "2024-01", "2024-12", on, identities=False)
    return [a for a in doc["anomalies"] if a["code"] in ("STATUS_SKIPPED_REVIEW",
            "OBJECTION_UPHELD_RECOGNIZED")]  # fmt: skip


def _approve(story: Story, proposal_id: str) -> None:
    body = {"proposal_id": proposal_id, "decision": DECISION}
    story.submit(story.o.sub("approver", "household.status.approved", body))


def test_a_status_approved_before_1_3_is_no_finding(story: Story) -> None:
    _approve(story, proposal(story))
    adopted_1_3(story)
    assert _findings(story) == []


def test_a_status_approved_without_a_round_after_1_3_is_flagged(story: Story) -> None:
    adopted_1_3(story)
    household = story.household()
    proposal_id = proposal(story, household)
    _approve(story, proposal_id)
    (found,) = _findings(story)
    assert found["code"] == "STATUS_SKIPPED_REVIEW"
    assert (found["household_id"], found["proposal_id"]) == (household, proposal_id)
    approved = story.app.size() - 1
    assert found["evidence"] == [approved - 1, approved]  # the proposal and its approval
    assert "without a review round" in found["detail"]
    assert "không qua rà soát" in found["detail_vi"]


def test_a_household_recognised_through_a_round_is_no_finding(story: Story) -> None:
    assessed = r.posted_assessment(story)
    lodged = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    story.submit(r.answer(lodged).sub(story.o))
    story.submit(r.recognition(assessed).sub(story.o))
    assert _findings(story) == []


def test_a_recognition_despite_an_upheld_objection_is_flagged(story: Story) -> None:
    assessed = r.posted_assessment(story)
    lodged = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    story.submit(r.answer(lodged, outcome="upheld").sub(story.o))
    story.submit(r.recognition(assessed).sub(story.o))
    (found,) = _findings(story)
    assert found["code"] == "OBJECTION_UPHELD_RECOGNIZED"
    assert found["household_id"] == assessed.body["household_id"]
    assert str(lodged.body["objection_id"]) in found["detail"]
    assert _findings(story, on="2024-11-04") == []  # decided on 5 November


def test_each_village_s_posting_window_lists_days_left_and_objections(story: Story) -> None:
    assessed = r.posted_assessment(story)
    lodged = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    read = reading.read_at(reading.Direct(story.app), None)
    (row,) = posting_windows(reading.review_rounds(read), "2024-10-19")
    assert row["village"] == r.VILLAGE
    assert (row["from"], row["to"], row["open"], row["days_left"]) == (
        "2024-10-15", "2024-10-21", True, 3,
    )  # fmt: skip
    assert (row["objections_lodged"], row["objections_answered"]) == (1, 0)
    story.submit(r.answer(lodged).sub(story.o))
    read = reading.read_at(reading.Direct(story.app), None)
    (row,) = posting_windows(reading.review_rounds(read), "2024-10-22")
    assert (row["open"], row["days_left"], row["objections_answered"]) == (False, 0, 1)
    (before,) = posting_windows(reading.review_rounds(read), "2024-10-01")
    assert (before["open"], before["days_left"]) == (False, 7)


def test_a_ledger_with_a_whole_round_verifies_with_its_tables_and_read_models(
    story: Story,
) -> None:
    assessed = r.posted_assessment(story)
    lodged = r.objection(str(assessed.body["assessment_id"]))
    story.submit(lodged.sub(story.o))
    story.submit(r.answer(lodged, outcome="upheld").sub(story.o))
    story.submit(r.recognition(assessed).sub(story.o))
    MerkleLog(story.app).issue(story.o.keys["notary"])
    outcome = verify_database(story.app)
    assert outcome.entries == story.app.size()


def test_the_review_findings_have_words_in_the_exports() -> None:
    for code in ("STATUS_SKIPPED_REVIEW", "OBJECTION_UPHELD_RECOGNIZED"):
        assert code in CODES
        vi, en = EXPORT_VALUES["label"][code]
        assert vi.strip() and en.strip()
