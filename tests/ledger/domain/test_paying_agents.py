"""Paying agents (FORMATS 1.3, docs/formats.md 11.3): lists sent, settlements, refunds.

A cashier sends a month's list to a holder of an unrevoked agent key; the
agent settles each line once, by its own key or through a cashier who names
the agent's file; the settled lines stay within the list; the agent hands
back no more than it holds.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from ledger.audit.ledger import verify_ledger
from ledger.audit.verifier import VerificationFailed
from ledger.domain.procedures.agents import Sending
from ledger.errors import InvalidField
from ledger.tlog.merkle_log import MerkleLog
from tests.conftest import Story, new_id
from tests.ledger.domain.refusals import refused
from tests.support.drafts import Draft
from tests.support.steps.agents import (
    AGENT,
    FILE_SHA256,
    agent_key,
    line_body,
    send,
    sending_body,
)


def _sending(story: Story, sending_id: str) -> Sending:
    found = story.app.repository.get(UUID(sending_id))
    assert isinstance(found, Sending)
    return found


def _settle(story: Story, body: dict[str, Any], who: str = "agent") -> None:
    kind = "payroll.settled" if who == "agent" else "payroll.settlement.recorded"
    if who != "agent":
        body = body | {"source": FILE_SHA256}
    story.submit(story.o.sub(who, kind, body))


def test_a_list_is_refused_before_the_ledger_follows_1_3(story: Story) -> None:
    body = {
        "sending_id": new_id(),
        "agent": AGENT,
        "month": "2022-01",
        "sent_on": "2021-12-20",
        "lines": 1,
        "total": 1,
        "list_sha256": "ab" * 32,
    }
    err = refused(story, story.o.sub("cashier", "payroll.sent", body), "INVALID_FIELD")
    assert err.field == "type"
    assert "payroll.sent needs FORMATS 1.3" in err.message


def test_a_list_sent_to_a_holder_without_an_agent_key_is_refused(story: Story) -> None:
    body = sending_body(story, agent="staff-cashier")
    err = refused(story, story.o.sub("cashier", "payroll.sent", body), "RULE_VIOLATION")
    assert err.field == "body.agent"
    assert "staff-cashier holds no unrevoked key with the role agent" in err.message
    body = sending_body(story, agent="buu-dien-khac")
    err = refused(story, story.o.sub("cashier", "payroll.sent", body), "UNKNOWN_ENTITY")
    assert err.field == "body.agent"


def test_a_list_sent_to_an_agent_whose_key_was_revoked_is_refused(story: Story) -> None:
    key = agent_key(story)
    revoke = {"key_id": key.key_id, "reason": "Hết hợp đồng chi trả"}
    story.submit(story.o.sub("authority", "key.revoked", revoke))
    err = refused(
        story, story.o.sub("cashier", "payroll.sent", sending_body(story)), "RULE_VIOLATION"
    )
    assert err.field == "body.agent"


def test_the_agent_settles_each_line_of_its_list_once(story: Story) -> None:
    sending_id = send(story)
    _, _, first = story.beneficiary()
    _, _, second = story.beneficiary()
    _settle(story, line_body(sending_id, first))
    _settle(story, line_body(sending_id, second, "not_paid"))
    sending = _sending(story, sending_id)
    assert sending.settled == {first: ("paid", 1_624_000), second: ("not_paid", 1_624_000)}
    assert sending.held == 1_624_000
    again = story.o.sub("agent", "payroll.settled", line_body(sending_id, first, "returned"))
    err = refused(story, again, "ALREADY_DECIDED")
    assert err.field == "body.benefit_id"
    assert "settled already (paid)" in err.message


def test_a_cashier_may_record_the_agent_s_settlement_from_its_file(story: Story) -> None:
    sending_id = send(story)
    _, _, benefit = story.beneficiary()
    _settle(story, line_body(sending_id, benefit), who="cashier")
    assert _sending(story, sending_id).paid == 1_624_000
    body = line_body(sending_id, story.beneficiary()[2])
    with pytest.raises(InvalidField) as err:  # the agent's file is named, or it is not its word
        story.o.sub("cashier", "payroll.settlement.recorded", body)
    assert err.value.field == "body.source"


def test_only_the_agent_the_list_was_sent_to_signs_its_settlement(story: Story) -> None:
    sending_id = send(story)
    agent_key(story, "other-agent", "ngan-hang-chinh-sach")
    _, _, benefit = story.beneficiary()
    line = story.o.sub("other-agent", "payroll.settled", line_body(sending_id, benefit))
    err = refused(story, line, "RULE_VIOLATION")
    assert err.field == "by"
    assert f"this list was sent to {AGENT}" in err.message
    by_cashier = story.o.sub("cashier", "payroll.settled", line_body(sending_id, benefit))
    assert refused(story, by_cashier, "ROLE_NOT_ALLOWED").field == "by"


def test_a_paid_line_says_when_and_not_before_the_list_was_sent(story: Story) -> None:
    sending_id = send(story)
    _, _, benefit = story.beneficiary()
    undated = {k: v for k, v in line_body(sending_id, benefit).items() if k != "paid_on"}
    err = refused(story, story.o.sub("agent", "payroll.settled", undated), "INVALID_FIELD")
    assert err.field == "body.paid_on"
    early = line_body(sending_id, benefit) | {"paid_on": "2021-12-19"}
    err = refused(story, story.o.sub("agent", "payroll.settled", early), "RULE_VIOLATION")
    assert err.field == "body.paid_on"
    assert "before the list was sent (2021-12-20)" in err.message
    dated = line_body(sending_id, benefit, "not_paid") | {"paid_on": "2022-01-08"}
    err = refused(story, story.o.sub("agent", "payroll.settled", dated), "INVALID_FIELD")
    assert err.field == "body.paid_on"


def test_the_settled_lines_stay_within_the_list_s_lines_and_total(story: Story) -> None:
    sending_id = send(story, lines=2, total=3_000_000)
    benefits = [story.beneficiary()[2] for _ in range(3)]
    _settle(story, line_body(sending_id, benefits[0]))
    over = line_body(sending_id, benefits[1], amount=1_400_000)
    err = refused(story, story.o.sub("agent", "payroll.settled", over), "RULE_VIOLATION")
    assert err.field == "body.amount"
    _settle(story, line_body(sending_id, benefits[1], amount=1_376_000))
    third = line_body(sending_id, benefits[2], amount=0)
    err = refused(story, story.o.sub("agent", "payroll.settled", third), "RULE_VIOLATION")
    assert err.field == "body.sending_id"
    assert "the list has 2 lines, all settled already" in err.message


def test_a_settlement_names_a_list_sent_and_a_benefit_recorded(story: Story) -> None:
    _, _, benefit = story.beneficiary()
    unsent = line_body(new_id(), benefit)
    agent_key(story)
    err = refused(story, story.o.sub("agent", "payroll.settled", unsent), "UNKNOWN_ENTITY")
    assert err.field == "body.sending_id"
    unknown = line_body(send(story), new_id())
    err = refused(story, story.o.sub("agent", "payroll.settled", unknown), "UNKNOWN_ENTITY")
    assert err.field == "body.benefit_id"


def _refund(sending_id: str, amount: int, refund_id: str | None = None) -> Draft:
    body = {
        "refund_id": refund_id or new_id(),
        "sending_id": sending_id,
        "amount": amount,
        "date": "2022-02-05",
        "reference": "GNT-0125",
    }
    return Draft("cashier", "agent.refunded", body)


def test_the_agent_hands_back_no_more_than_it_holds(story: Story) -> None:
    sending_id = send(story)  # two lines, 3.248.000 đ
    _settle(story, line_body(sending_id, story.beneficiary()[2]))
    refund_id = new_id()
    story.submit(_refund(sending_id, 1_000_000, refund_id).sub(story.o))
    err = refused(story, _refund(sending_id, 624_001).sub(story.o), "RULE_VIOLATION")
    assert err.field == "body.amount"
    assert "the agent holds 624000 đồng of this list" in err.message
    err = refused(story, _refund(sending_id, 1, refund_id).sub(story.o), "DUPLICATE")
    assert err.field == "body.refund_id"
    story.submit(_refund(sending_id, 624_000).sub(story.o))
    assert _sending(story, sending_id).held == 0


def test_a_refund_is_not_dated_before_the_list_was_sent(story: Story) -> None:
    draft = _refund(send(story), 1)
    draft.body["date"] = "2021-12-01"
    err = refused(story, draft.sub(story.o), "RULE_VIOLATION")
    assert err.field == "body.date"


def test_a_log_of_lists_settlements_and_refunds_verifies(story: Story) -> None:
    sending_id = send(story)
    _settle(story, line_body(sending_id, story.beneficiary()[2]))
    _settle(story, line_body(sending_id, story.beneficiary()[2], "returned"), who="cashier")
    story.submit(_refund(sending_id, 1_624_000).sub(story.o))
    MerkleLog(story.app).issue(story.o.keys["notary"])
    assert verify_ledger(story.app).entries == story.app.size()


def test_the_verifier_fails_a_line_settled_twice_by_software_that_skipped_the_rule(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    sending_id = send(story)
    _, _, benefit = story.beneficiary()
    _settle(story, line_body(sending_id, benefit))
    monkeypatch.setattr(Sending, "check_line", lambda self, benefit_id, amount: None)
    again = story.submit(story.o.sub("agent", "payroll.settled", line_body(sending_id, benefit)))
    with pytest.raises(VerificationFailed) as failed:
        verify_ledger(story.app)
    assert failed.value.index == again.index
    assert failed.value.reason == ("ALREADY_DECIDED: body.benefit_id: this line is settled already")


def test_the_verifier_fails_a_refund_beyond_what_the_agent_holds(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    sending_id = send(story)
    monkeypatch.setattr(Sending, "check_refund", lambda self, refund_id, amount: None)
    index = story.submit(_refund(sending_id, 3_248_001).sub(story.o)).index
    with pytest.raises(VerificationFailed) as failed:
        verify_ledger(story.app)
    assert failed.value.index == index
    assert failed.value.reason.startswith("RULE_VIOLATION: body.amount: the agent holds 3248000")
