"""The demo's paying agent: the post office sent a month's list, and settling it.

:func:`pay_through_agent` registers the post office's key (role ``agent``),
sends it ``month``'s list (the payroll lines due, docs/formats.md 11.3) and
records its settlement, signed by its own key: every line paid on
``settled_on`` but the first ``not_paid`` (by lookup code), which the agent
did not pay (the beneficiary was away). The agent then holds their money:
``ansinh agents report`` shows it, and ``AGENT_HOLDS_FUNDS`` once the
settlement window closes unless an ``agent.refunded`` hands it back.

It works on a ledger as recorded (the list's digest needs the payroll as the
log stands before the sending), so it runs after the scribe's statements are
submitted, and signs with the current time and fresh nonces: a demo that
must be byte-identical per seed would sign these through its scribe instead.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from api import paying_agents, reading
from api.demo import data as d
from api.demo import statements as st
from api.demo.later.years import ADOPTED_ON, LaterYears
from ledger.application import LedgerApplication
from ledger.formats.keys import KeyPair
from ledger.formats.versions import V1_3, at_least
from projections.reports.agents import LIST_HEADER, list_digest, list_lines
from projections.reports.receipts import receipt_code

POST_OFFICE = "buu-dien-song-ma"
POST_OFFICE_NAME = "Bưu điện huyện Sông Mã"


@dataclass(frozen=True)
class AgentMonth:
    """What :func:`pay_through_agent` recorded."""

    sending_id: str
    list_bytes: bytes  # the list as sent: its SHA-256 is the statement's list_sha256
    lines: int
    total: int
    not_paid: tuple[str, ...]  # the benefit ids of the lines not paid


def pay_through_agent(
    ledger: LedgerApplication,
    officers: st.Officers,
    agent: KeyPair,
    month: str,
    sent_on: str,
    settled_on: str,
    not_paid: int = 2,
    record_payments: bool = True,
) -> AgentMonth:
    """Send ``month``'s list to the post office on ``sent_on`` and record its settlement.

    ``officers`` signs with its ``authority`` key (adopting FORMATS 1.3 and
    registering ``agent`` if the ledger has neither yet) and its ``cashier``
    key (the list); ``agent`` is the post office's key, added to
    ``officers.keys`` as ``"agent"``. The month must have lines due
    (monthly benefits approved by then); ``settled_on`` is the day the paid
    lines were paid, on or after ``sent_on``. ``record_payments``: the cashier
    records each paid line's ``payment.recorded`` by post too, as the
    settlement import does, so the reconciliation counts them.
    """
    if not at_least(ledger.charter().formats, V1_3):
        ledger.submit(officers.sub("authority", "ledger.formats.adopted", {"formats": V1_3}))
    officers.keys["agent"] = agent
    if agent.key_id not in ledger.charter().keys:
        body = st.key_registered(agent, POST_OFFICE, POST_OFFICE_NAME, ["agent"])
        ledger.submit(officers.sub("authority", "key.registered", body))
    read = reading.read_at(reading.Direct(ledger), None)
    lines = list_lines(read.snap, month)
    if not lines:
        raise ValueError(f"no payroll line is due in {month}")
    data, _, total = paying_agents.agent_list(read, month)
    sending_id = str(uuid.uuid4())
    body = {"sending_id": sending_id, "agent": POST_OFFICE, "month": month, "sent_on": sent_on}
    body |= {"lines": len(lines), "total": total, "list_sha256": list_digest(data)}
    ledger.submit(officers.sub("cashier", "payroll.sent", body))
    settled, unpaid = [], []
    for n, (_, benefit_id, amount) in enumerate(lines):
        line = {"sending_id": sending_id, "benefit_id": benefit_id, "amount": amount}
        if n < not_paid:
            line |= {"outcome": "not_paid", "reason": "Người hưởng đi vắng, chưa nhận"}
            unpaid.append(benefit_id)
        else:
            line |= {"outcome": "paid", "paid_on": settled_on}
        settled.append(officers.sub("agent", "payroll.settled", line))
    ledger.submit_batch(settled)
    if record_payments:  # the cashier records what the agent paid, its receipt the settlement
        receipt = ("signature", hashlib.sha256(b"quyet-toan " + sending_id.encode()).hexdigest())
        heads = reading.heads(read.snap, reading.FAR_FUTURE)
        payments = []
        for _, benefit_id, amount in lines[not_paid:]:
            benefit = read.snap.benefits[benefit_id]
            head = heads.get(benefit.household_id or "")
            recipient = benefit.person_id or (head.person_id if head is not None else None)
            if recipient is None:
                continue
            monthly = read.snap.programs[benefit.program_id].kind == "monthly"
            body = st.payment_recorded(
                str(uuid.uuid4()), benefit_id, amount, recipient, receipt, settled_on,
                month if monthly else None, "post",
            )  # fmt: skip
            payments.append(officers.sub("cashier", "payment.recorded", body))
        ledger.submit_batch(payments)
    return AgentMonth(sending_id, data, len(lines), total, tuple(unpaid))


# -- the demo's later years, signed through the scribe (byte-identical per seed) ------------
SENT_MONTH, SENT_ON, SETTLED_ON, REFUNDED_ON = "2024-11", "2024-10-21", "2024-11-15", "2024-11-28"
AWAY = "Người hưởng đi làm ăn xa, không có mặt tại điểm chi trả"


def through_post_office(later: LaterYears) -> None:
    """November 2024 through the post office, in the demo's later years: the cashier sends
    the list on 21/10 (before the 25th), the post office pays every line on 15/11 but
    two (the beneficiaries were away) and settles with its own key, the cashier records
    each paid line's payment by post, and the post office hands the two lines' money back
    on 28/11. The list is the month's lines as the log stands on 21/10: every grant due,
    at what it pays that month (the allowances' rebases and stops are set before this).
    The two lines stay unpaid (``UNPAID_ENTITLEMENT`` in the reconciliation)."""
    keys = later.s.keys
    if "agent" not in keys:  # drawn from the authority's seed, not from the demo's generator
        seed = hashlib.sha256(b"ansinh-demo/agent\n" + keys["authority"].seed).digest()
        keys["agent"] = KeyPair.from_seed(seed)
    later.c.register_key(ADOPTED_ON, "agent", POST_OFFICE, POST_OFFICE_NAME, ["agent"])
    due = {
        receipt_code(d.LEDGER_ID, g.benefit_id, SENT_MONTH): g
        for g in later.continuing()
        if later.due(g, SENT_MONTH)
    }
    lines = sorted((code, g.benefit_id, later.amount_for(g, SENT_MONTH)) for code, g in due.items())
    text = LIST_HEADER + "".join(f"{code},{bid},{amount}\n" for code, bid, amount in lines)
    total = sum(amount for _, _, amount in lines)
    sending_id, add = later.s.new_id(), later.s.add
    add(SENT_ON, "cashier-1", "payroll.sent", sending_id=sending_id, agent=POST_OFFICE,
        month=SENT_MONTH, sent_on=SENT_ON, lines=len(lines), total=total,
        list_sha256=list_digest(text.encode()))  # fmt: skip
    settlement = hashlib.sha256(f"quyet-toan {sending_id}".encode()).hexdigest()
    away = lines[:2]
    for code, benefit_id, amount in lines:
        line: dict[str, Any] = {"sending_id": sending_id, "benefit_id": benefit_id}
        line["amount"] = amount
        if (code, benefit_id, amount) in away:
            line |= {"outcome": "not_paid", "reason": AWAY}
        else:
            line |= {"outcome": "paid", "paid_on": SETTLED_ON}
        add(SETTLED_ON, "agent", "payroll.settled", **line, source=settlement)
    for code, _, amount in lines[2:]:
        g = due[code]
        body = st.payment_recorded(
            later.s.new_id(), g.benefit_id, amount, g.recipient.person_id,
            (g.receipt, settlement), SETTLED_ON, SENT_MONTH, "post",
        )  # fmt: skip
        add(SETTLED_ON, later.c.cashier(g.home), "payment.recorded", **body)
    add(REFUNDED_ON, "cashier-1", "agent.refunded", refund_id=later.s.new_id(),
        sending_id=sending_id, amount=sum(a for _, _, a in away), date=REFUNDED_ON,
        reference="GNT 112/BĐ-2024")  # fmt: skip
    later.paid_by_agent = lambda g, month: month == SENT_MONTH
    later.planted.append(
        ("UNPAID_ENTITLEMENT", "November 2024: two lines the post office could not pay (away)")
    )
