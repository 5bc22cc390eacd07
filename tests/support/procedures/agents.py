"""The independent verifier's checks for one FORMATS 1.3 procedure, from docs/formats.md alone.

Paying agents: lists sent before the 25th, the agent's settlement, money
returned (docs/formats.md 11.3).
Standard library only, like ``tests/ledger/audit/independent.py`` which calls
:func:`check` for every entry after its signature, version and role checks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

ROLES: dict[str, str] = {
    "payroll.sent": "cashier",
    "payroll.settled": "agent",
    "payroll.settlement.recorded": "cashier",
    "agent.refunded": "cashier",
}
"""The role each type of this procedure needs."""

TEXT = {"payroll.settled": "reason", "payroll.settlement.recorded": "reason"}
TEXT_REFUNDED = "reference"
HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}  # docs/formats.md §2
FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
MAX_VND = 10**12  # §4


def _text_ok(text: str | None) -> bool:
    if text is None:
        return True
    return (
        unicodedata.normalize("NFC", text) == text
        and not any(unicodedata.category(c) in HIDDEN for c in text)
        and any(unicodedata.category(c)[0] in "LN" and c not in FILLERS for c in text)
    )


def check(
    kind: str,
    body: dict[str, Any],
    holder: str,
    state: dict[str, Any],
    need: Callable[[bool, str], None],
) -> None:
    """Check one entry of ``kind`` against ``state`` (this procedure's own, kept across entries)."""
    keys: dict[str, tuple[str, bool]] = state.setdefault("keys", {})  # key id -> (holder, agent?)
    sendings: dict[str, dict[str, Any]] = state.setdefault("sendings", {})
    if kind == "key.registered":
        keys[body["key"]["id"]] = (body["holder"]["id"], "agent" in body["roles"])
    elif kind == "key.revoked":
        keys.pop(body["key_id"], None)
    elif kind == "payroll.sent":
        need(body["sending_id"] not in sendings, "sending id used twice")
        agents = {h for h, is_agent in keys.values() if is_agent}
        need(body["agent"] in agents, "list sent to a holder with no unrevoked agent key")
        need(type(body["lines"]) is int and body["lines"] >= 1, "a list of no lines")
        need(0 <= body["total"] <= MAX_VND, "bad total")
        sendings[body["sending_id"]] = {
            "agent": body["agent"],
            "sent_on": body["sent_on"],
            "lines": body["lines"],
            "total": body["total"],
            "settled": {},
            "paid": 0,
            "refunds": set(),
            "refunded": 0,
        }
    elif kind in TEXT:
        sending = sendings.get(body["sending_id"])
        need(sending is not None, "settles a line of no list sent")
        assert sending is not None
        need(_text_ok(body.get("reason")), "reason breaks the text rules")
        if kind == "payroll.settled":
            need(holder == sending["agent"], "settled by another holder than the list's agent")
        if body["outcome"] == "paid":
            need("paid_on" in body, "a paid line without paid_on")
            need(body["paid_on"] >= sending["sent_on"], "paid before the list was sent")
        else:
            need("paid_on" not in body, "paid_on on a line not paid")
        settled = sending["settled"]
        need(body["benefit_id"] not in settled, "a line settled twice")
        need(len(settled) < sending["lines"], "more lines settled than the list has")
        need(sum(settled.values()) + body["amount"] <= sending["total"], "beyond the list's total")
        settled[body["benefit_id"]] = body["amount"]
        if body["outcome"] == "paid":
            sending["paid"] += body["amount"]
    elif kind == "agent.refunded":
        sending = sendings.get(body["sending_id"])
        need(sending is not None, "refund of no list sent")
        assert sending is not None
        need(_text_ok(body[TEXT_REFUNDED]), "reference breaks the text rules")
        need(body["refund_id"] not in sending["refunds"], "refund id used twice")
        need(body["date"] >= sending["sent_on"], "refunded before the list was sent")
        held = sending["total"] - sending["paid"] - sending["refunded"]
        need(body["amount"] <= held, "refunds more than the agent holds")
        sending["refunds"].add(body["refund_id"])
        sending["refunded"] += body["amount"]
