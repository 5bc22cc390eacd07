"""More verbs for the story: funds, benefits, payments, deaths, statuses, reversals,
and the reconciliation they make."""

from __future__ import annotations

from typing import Any

from projections.query import snapshot
from projections.reports.reconciliation import reconcile
from tests.conftest import Story, new_id

AMOUNT = 1_624_000


def fund(story: Story, program_id: str, amount: int = 100_000_000, date: str = "2022-01-02") -> str:
    receipt_id = new_id()
    body = {"receipt_id": receipt_id, "program_id": program_id, "amount": amount, "date": date}
    body |= {"source": "Phòng LĐ-TB&XH huyện Sông Mã", "reference": "UNC 12/2022"}
    story.submit(story.o.sub("cashier", "fund.received", body))
    return receipt_id


def benefit(
    story: Story,
    program_id: str,
    person_id: str | None = None,
    household_id: str | None = None,
    start: str = "2022-01",
    end: str | None = None,
    amount: int = AMOUNT,
    decided: str | None = "2022-01-06",
) -> str:
    """A benefit proposed by the registrar, approved on ``decided`` (None: left proposed)."""
    bid = new_id()
    body: dict[str, Any] = {"benefit_id": bid, "program_id": program_id, "amount": amount}
    body |= {"start": start, "basis": "Quyết định của UBND huyện"}
    body |= {"person_id": person_id} if person_id else {"household_id": household_id}
    if end is not None:
        body["end"] = end
    story.submit(story.o.sub("registrar", "benefit.proposed", body))
    if decided is not None:
        decision = {"number": "15/QĐ-UBND", "date": decided}
        story.submit(
            story.o.sub("approver", "benefit.approved", {"benefit_id": bid, "decision": decision})
        )
    return bid


def pay(
    story: Story,
    benefit_id: str,
    recipient: str,
    month: str | None = "2022-01",
    amount: int = AMOUNT,
    paid_on: str | None = None,
    receipt: str = "signature",
    who: str = "cashier",
) -> str:
    body = story.payment_body(benefit_id, recipient, month=month, amount=amount)
    body["paid_on"] = paid_on or (f"{month}-10" if month else "2022-01-10")
    body["receipt"]["kind"] = receipt
    story.submit(story.o.sub(who, "payment.recorded", body))
    return str(body["payment_id"])


def died(story: Story, person_id: str, date: str) -> None:
    story.submit(story.o.sub("registrar", "person.died", {"person_id": person_id, "date": date}))


def set_status(story: Story, household_id: str, status: str, effective: str) -> str:
    proposal_id = new_id()
    body = {"proposal_id": proposal_id, "household_id": household_id, "status": status}
    body |= {"effective": effective, "basis": {"deprivation_count": 3}}
    story.submit(story.o.sub("registrar", "household.status.proposed", body))
    approval = {"proposal_id": proposal_id, "decision": {"number": "20/QĐ", "date": effective}}
    story.submit(story.o.sub("approver", "household.status.approved", approval))
    return proposal_id


def reverse(story: Story, payment_id: str) -> None:
    body = {"payment_id": payment_id, "reason": "ghi nhầm"}
    story.submit(story.o.sub("cashier", "payment.reversed", body))


def report(story: Story, first: str = "2022-01", last: str = "2022-01", **kw: Any) -> dict:
    return reconcile(snapshot(story.app, kw.pop("as_of", None)), first, last, **kw)


def codes(doc: dict) -> list[str]:
    return [a["code"] for a in doc["anomalies"]]


def only(doc: dict, code: str, **ids: str) -> dict:
    """The report's one anomaly, which must have this code and these ids."""
    assert codes(doc) == [code], doc["anomalies"]
    found: dict = doc["anomalies"][0]
    assert {k: found.get(k) for k in ids} == ids, found
    return found


def beneficiary(story: Story, benefit_id: str) -> str:
    """The person a benefit is for."""
    person_id = snapshot(story.app).benefits[benefit_id].person_id
    assert person_id is not None
    return person_id
