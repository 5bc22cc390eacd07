"""Grievances and beneficiaries' confirmations (docs/formats.md 11.5): each rule, as refused.

A grievance is lodged by a registrar, assigned by an approver to a registrar,
answered by that registrar and closed by another officer; each step once,
in that order. A confirmation from the public page is signed by the intake
key; one saying the money did not come is a grievance under its own id.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from ledger.domain.procedures.grievances import Case
from ledger.errors import LedgerError
from tests.conftest import Story, new_id
from tests.ledger.domain.refusals import refused
from tests.support.drafts import Draft, adopted_1_3
from tests.support.steps.grievances import (
    ANSWERER,
    answer_body,
    answered,
    assigned,
    confirmation,
    lodged,
    lodged_body,
)


def _invalid(story: Story, who: str, kind: str, body: dict[str, Any]) -> LedgerError:
    """A body the schema refuses: refused as it is signed, before any state is read."""
    with pytest.raises(LedgerError) as err:
        story.o.sub(who, kind, body)
    assert err.value.code == "INVALID_FIELD", err.value.message
    return err.value


def _case(story: Story, gid: str) -> Case:
    case = story.app.repository.get(UUID(gid))
    assert isinstance(case, Case)
    return case


def test_a_grievance_is_refused_until_the_ledger_follows_1_3(story: Story) -> None:
    draft = Draft("registrar", "grievance.lodged", lodged_body(story))
    err = refused(story, draft.sub(story.o), "INVALID_FIELD")
    assert err.field == "type"
    assert "grievance.lodged needs FORMATS 1.3" in err.message


@pytest.mark.parametrize(
    ("due", "why"),
    [("2022-01-31", "must not be before the day it was lodged"), ("2022-04-03", "at most 60")],
)
def test_a_due_date_before_lodging_or_beyond_60_days_is_refused(
    story: Story, due: str, why: str
) -> None:
    adopted_1_3(story)
    body = {**lodged_body(story), "due": due}
    err = _invalid(story, "registrar", "grievance.lodged", body)
    assert err.field == "body.due"
    assert why in err.message
    body["due"] = "2022-04-02"  # 60 days after 1 February: the limit itself
    assert story.submit(story.o.sub("registrar", "grievance.lodged", body)).created


def test_a_lookup_code_names_only_a_payment(story: Story) -> None:
    adopted_1_3(story)
    body = lodged_body(story)
    body["subject"]["kind"] = "list"
    err = _invalid(story, "registrar", "grievance.lodged", body)
    assert err.field == "body.subject.code"


def test_a_subject_id_must_name_a_recorded_entity(story: Story) -> None:
    adopted_1_3(story)
    body = lodged_body(story)
    body["subject"] = {"kind": "exclusion", "id": new_id()}
    err = refused(story, story.o.sub("registrar", "grievance.lodged", body), "UNKNOWN_ENTITY")
    assert err.field == "body.subject.id"
    body["subject"]["id"] = story.household()
    assert story.submit(story.o.sub("registrar", "grievance.lodged", body)).created


def test_a_grievance_is_assigned_only_to_a_holder_of_a_registrar_key(story: Story) -> None:
    gid = lodged(story)
    for to in ("staff-cashier", "nobody-here"):
        sub = story.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": to})
        err = refused(story, sub, "RULE_VIOLATION")
        assert err.field == "body.to"
        assert f"{to} holds no registrar key" in err.message
    story.submit(
        story.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": ANSWERER})
    )
    assert _case(story, gid).assigned_to == ANSWERER


def test_an_assignment_may_extend_the_due_date_within_60_days_of_lodging(story: Story) -> None:
    gid = lodged(story)
    late = {"grievance_id": gid, "to": ANSWERER, "due": "2022-04-03"}
    err = refused(story, story.o.sub("approver", "grievance.assigned", late), "RULE_VIOLATION")
    assert err.field == "body.due"
    story.submit(story.o.sub("approver", "grievance.assigned", {**late, "due": "2022-03-18"}))
    assert _case(story, gid).due == "2022-03-18"


def test_an_answer_before_assignment_is_refused(story: Story) -> None:
    gid = lodged(story)
    err = refused(
        story, story.o.sub("registrar", "grievance.answered", answer_body(gid)), "RULE_VIOLATION"
    )
    assert err.field == "body.grievance_id"
    assert "not assigned yet" in err.message


def test_only_the_assignee_answers(story: Story) -> None:
    story.submit(story.o.register("registrar2"))
    gid = assigned(story)
    err = refused(
        story, story.o.sub("registrar2", "grievance.answered", answer_body(gid)), "RULE_VIOLATION"
    )
    assert err.field == "by"
    assert "assigned to staff-registrar, not to staff-registrar2" in err.message


def test_an_answer_dated_before_the_lodging_is_refused(story: Story) -> None:
    gid = assigned(story)
    body = {**answer_body(gid), "answered_on": "2022-01-31"}
    err = refused(story, story.o.sub("registrar", "grievance.answered", body), "RULE_VIOLATION")
    assert err.field == "body.answered_on"


def test_a_grievance_is_answered_once_and_not_reassigned_after(story: Story) -> None:
    gid = answered(story)
    err = refused(
        story, story.o.sub("registrar", "grievance.answered", answer_body(gid)), "ALREADY_DECIDED"
    )
    assert err.field == "body.grievance_id"
    again = {"grievance_id": gid, "to": ANSWERER}
    err = refused(story, story.o.sub("approver", "grievance.assigned", again), "ALREADY_DECIDED")
    assert err.field == "body.grievance_id"


def test_closing_before_an_answer_is_refused_unless_withdrawn(story: Story) -> None:
    gid = assigned(story)
    close = {"grievance_id": gid, "outcome": "resolved", "closed_on": "2022-02-05"}
    err = refused(story, story.o.sub("approver", "grievance.closed", close), "RULE_VIOLATION")
    assert err.field == "body.outcome"
    story.submit(story.o.sub("approver", "grievance.closed", {**close, "outcome": "withdrawn"}))
    assert _case(story, gid).closed == "withdrawn"


def test_closing_twice_is_already_decided_and_so_is_answering_a_closed_one(story: Story) -> None:
    gid = answered(story)
    close = {"grievance_id": gid, "outcome": "unfounded", "closed_on": "2022-02-15"}
    story.submit(story.o.sub("approver", "grievance.closed", close))
    err = refused(story, story.o.sub("approver", "grievance.closed", close), "ALREADY_DECIDED")
    assert (err.field, err.message) == (
        "body.grievance_id",
        "body.grievance_id: already closed (unfounded)",
    )


def test_a_grievance_is_not_closed_before_its_answer(story: Story) -> None:
    gid = answered(story)  # answered on 10 February
    close = {"grievance_id": gid, "outcome": "resolved", "closed_on": "2022-02-09"}
    err = refused(story, story.o.sub("approver", "grievance.closed", close), "RULE_VIOLATION")
    assert err.field == "body.closed_on"


def test_the_officer_who_answered_may_not_close(story: Story) -> None:
    """An approver holding a registrar key too answers, then tries to close: maker-checker."""
    story.submit(story.o.register("registrar2", ["registrar"], holder="staff-approver"))
    gid = lodged(story)
    story.submit(
        story.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": "staff-approver"})
    )
    story.submit(story.o.sub("registrar2", "grievance.answered", answer_body(gid)))
    close = {"grievance_id": gid, "outcome": "resolved", "closed_on": "2022-02-15"}
    err = refused(story, story.o.sub("approver", "grievance.closed", close), "SELF_APPROVAL")
    assert err.field == "by"
    story.submit(story.o.sub("authority", "grievance.closed", close))
    assert _case(story, gid).closed == "resolved"


def test_a_complaint_from_the_page_is_a_grievance_due_in_30_days(story: Story) -> None:
    draft = confirmation(story, "wrong_amount")
    story.submit(draft.sub(story.o))
    cid = draft.body["confirmation_id"]
    case = _case(story, cid)
    assert (case.grievance, case.lodged_on, case.due) == (True, "2022-02-01", "2022-03-03")
    story.submit(
        story.o.sub("approver", "grievance.assigned", {"grievance_id": cid, "to": ANSWERER})
    )
    story.submit(story.o.sub("registrar", "grievance.answered", answer_body(cid)))
    assert _case(story, cid).answered_on == "2022-02-10"


def test_a_confirmation_of_receipt_is_no_grievance(story: Story) -> None:
    draft = confirmation(story, "received")
    story.submit(draft.sub(story.o))
    sub = story.o.sub(
        "approver",
        "grievance.assigned",
        {"grievance_id": draft.body["confirmation_id"], "to": ANSWERER},
    )
    err = refused(story, sub, "RULE_VIOLATION")
    assert err.field == "body.grievance_id"
    assert "not a grievance" in err.message


def test_a_confirmation_is_signed_only_by_the_intake_key(story: Story) -> None:
    draft = confirmation(story)
    err = refused(story, draft.sub(story.o, who="registrar"), "ROLE_NOT_ALLOWED")
    assert "receipt.confirmed needs intake" in err.message


def test_a_code_that_is_not_as_printed_is_refused(story: Story) -> None:
    draft = confirmation(story)
    draft.body["code"] = draft.body["code"].lower()
    err = _invalid(story, draft.who, draft.type, draft.body)
    assert err.field == "body.code"


def test_a_lodging_and_its_assignment_may_come_in_one_batch(story: Story) -> None:
    adopted_1_3(story)
    body = lodged_body(story)
    gid = body["grievance_id"]
    story.app.submit_batch(
        [
            story.o.sub("registrar", "grievance.lodged", body),
            story.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": ANSWERER}),
        ]
    )
    assert _case(story, gid).assigned_to == ANSWERER
