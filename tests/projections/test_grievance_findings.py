"""GRIEVANCE_OVERDUE and PAYMENT_DISPUTED (docs/formats.md 11.5), and what the public sees.

A grievance neither answered nor closed by its due date is overdue as of any
later report date; a paid line that a beneficiary says did not come (or not
in full) is disputed until its grievance is closed. Both come with the
entries that prove them. The public summary counts grievances and shows
the open ones' deadlines, never an id, a code or a summary.
"""

from __future__ import annotations

from typing import Any

from api.reading import Direct, read_at, reconciliation
from projections.query import grievance_cases
from projections.reports.grievances import public_summary
from tests.conftest import Story
from tests.support.drafts import Draft
from tests.support.steps.grievances import (
    ANSWERER,
    answer_body,
    confirmation,
    lodged,
)


def _findings(story: Story, on: str, as_of: int | None = None) -> list[dict[str, Any]]:
    read = read_at(Direct(story.app), as_of)
    doc = reconciliation(read, "2022-01", "2022-03", on, identities=False)
    return [a for a in doc["anomalies"] if a["code"] in ("GRIEVANCE_OVERDUE", "PAYMENT_DISPUTED")]


def test_an_unanswered_grievance_is_overdue_only_after_its_due_date(story: Story) -> None:
    gid = lodged(story)  # lodged 1 February, due 3 March
    assert _findings(story, "2022-03-03") == []
    (found,) = _findings(story, "2022-03-04")
    assert found["code"] == "GRIEVANCE_OVERDUE"
    assert found["grievance_id"] == gid
    assert found["detail_vi"] == (
        "Khiếu nại về chi trả tiếp nhận ngày 01/02/2022, hạn giải quyết 03/03/2022: "
        "đến ngày 04/03/2022 chưa được trả lời"
    )
    lodged_at = story.app.size() - 1
    assert lodged_at in found["evidence"]
    assert found["household_code"]  # the paid line's household, for the officers


def test_an_answered_grievance_is_not_overdue(story: Story) -> None:
    gid = lodged(story)
    story.submit(
        story.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": ANSWERER})
    )
    story.submit(story.o.sub("registrar", "grievance.answered", answer_body(gid)))
    assert _findings(story, "2022-06-30") == []


def test_a_report_as_of_an_earlier_entry_counts_only_what_was_recorded_by_then(
    story: Story,
) -> None:
    gid = lodged(story)
    before_answer = story.app.size() + 1
    story.submit(
        story.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": ANSWERER})
    )
    story.submit(story.o.sub("registrar", "grievance.answered", answer_body(gid)))
    assert [a["code"] for a in _findings(story, "2022-06-30", before_answer)] == [
        "GRIEVANCE_OVERDUE"
    ]


def test_a_paid_line_said_not_received_is_disputed_until_closed(story: Story) -> None:
    draft: Draft = confirmation(story, "not_received")
    story.submit(draft.sub(story.o))
    cid = draft.body["confirmation_id"]
    found = {a["code"]: a for a in _findings(story, "2022-02-20")}
    assert set(found) == {"PAYMENT_DISPUTED"}
    disputed = found["PAYMENT_DISPUTED"]
    assert disputed["month"] == "2022-01" and disputed["paid"] == 1_624_000
    assert "người hưởng báo chưa nhận được tiền" in disputed["detail_vi"]
    assert story.app.size() - 1 in disputed["evidence"]  # the confirmation
    assert len(disputed["evidence"]) >= 2  # and the payment
    assert "GRIEVANCE_OVERDUE" in {a["code"] for a in _findings(story, "2022-03-04")}
    story.submit(
        story.o.sub("approver", "grievance.assigned", {"grievance_id": cid, "to": ANSWERER})
    )
    story.submit(story.o.sub("registrar", "grievance.answered", answer_body(cid)))
    assert {a["code"] for a in _findings(story, "2022-03-04")} == {"PAYMENT_DISPUTED"}
    close = {"grievance_id": cid, "outcome": "resolved", "closed_on": "2022-02-15"}
    story.submit(story.o.sub("approver", "grievance.closed", close))
    assert _findings(story, "2022-03-04") == []


def test_a_confirmation_of_receipt_is_no_finding(story: Story) -> None:
    story.submit(confirmation(story, "received").sub(story.o))
    assert _findings(story, "2022-12-31") == []


def test_the_public_summary_counts_and_gives_deadlines_but_no_ids(story: Story) -> None:
    lodged(story)
    story.submit(confirmation(story, "wrong_amount").sub(story.o))
    story.submit(confirmation(story, "received").sub(story.o))
    cases = grievance_cases(story.app, story.app.size())
    summary = public_summary(cases, "2022-03-10")
    assert summary["months"] == [{"month": "2022-02", "total": 2, "by_subject": {"payment": 2}}]
    assert summary["confirmations"] == {"received": 1, "wrong_amount": 1}
    assert [o["due"] for o in summary["open"]] == ["2022-03-03", "2022-03-03"]
    assert all(o["overdue"] for o in summary["open"])
    text = repr(summary)
    for case in cases.values():
        assert case.case_id not in text and str(case.code) not in text
