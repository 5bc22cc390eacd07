"""Drafts of this procedure's FORMATS 1.3 types, each with its prerequisites recorded.

Paying agents (docs/formats.md 11.3): the agent is the post office of Sông Mã,
holder ``buu-dien-song-ma``, whose key is ``story.o.keys["agent"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from api.demo import statements as st
from ledger.formats.keys import KeyPair
from tests.conftest import Story, new_id

if TYPE_CHECKING:
    from tests.support.drafts import Draft

AGENT = "buu-dien-song-ma"
AGENT_SEED = bytes([61]) * 32
LIST_SHA256 = "5e" * 32
FILE_SHA256 = "f1" * 32


def agent_key(s: Story, name: str = "agent", holder: str = AGENT) -> KeyPair:
    """``name``'s key, holding the role agent for ``holder``; the ledger follows 1.3 first."""
    from tests.support.drafts import adopted_1_3  # (drafts imports this module's BUILDERS)

    adopted_1_3(s)
    if name not in s.o.keys:
        s.o.keys[name] = KeyPair.from_seed(bytes([61 + len(s.o.keys)]) * 32)
        body = st.key_registered(s.o.keys[name], holder, "Bưu điện huyện Sông Mã", ["agent"])
        s.submit(s.o.sub("authority", "key.registered", body))
    return s.o.keys[name]


def sending_body(s: Story, lines: int = 2, total: int = 3_248_000, **more: Any) -> dict[str, Any]:
    """The body of a list of January 2022 sent to the agent on 20 December 2021."""
    agent_key(s)
    body = {
        "sending_id": new_id(),
        "agent": AGENT,
        "month": "2022-01",
        "sent_on": "2021-12-20",
        "lines": lines,
        "total": total,
        "list_sha256": LIST_SHA256,
    }
    return body | more


def send(s: Story, **more: Any) -> str:
    """A list sent to the agent, recorded; its sending id."""
    body = sending_body(s, **more)
    s.submit(s.o.sub("cashier", "payroll.sent", body))
    return str(body["sending_id"])


def line_body(
    sending_id: str, benefit_id: str, outcome: str = "paid", amount: int = 1_624_000
) -> dict[str, Any]:
    """The agent's word on one line of a list."""
    body: dict[str, Any] = {
        "sending_id": sending_id,
        "benefit_id": benefit_id,
        "amount": amount,
        "outcome": outcome,
    }
    if outcome == "paid":
        body["paid_on"] = "2022-01-08"
    else:
        body["reason"] = "Người hưởng đi vắng" if outcome == "not_paid" else "Tài khoản đã đóng"
    return body


def _draft(who: str, kind: str, body: dict[str, Any]) -> Draft:
    from tests.support.drafts import Draft

    return Draft(who, kind, body)


def _settled(kind: str) -> Callable[[Story], Draft]:
    def build(s: Story) -> Draft:
        sending_id = send(s)
        _, _, benefit_id = s.beneficiary()
        body = line_body(sending_id, benefit_id)
        if kind == "payroll.settlement.recorded":
            return _draft("cashier", kind, body | {"source": FILE_SHA256})
        return _draft("agent", kind, body)

    return build


def refunded(s: Story) -> Draft:
    body = {
        "refund_id": new_id(),
        "sending_id": send(s),
        "amount": 1_624_000,
        "date": "2022-02-05",
        "reference": "GNT-0125",
    }
    return _draft("cashier", "agent.refunded", body)


BUILDERS: dict[str, Callable[[Story], Draft]] = {
    "payroll.sent": lambda s: _draft("cashier", "payroll.sent", sending_body(s)),
    "payroll.settled": _settled("payroll.settled"),
    "payroll.settlement.recorded": _settled("payroll.settlement.recorded"),
    "agent.refunded": refunded,
}
