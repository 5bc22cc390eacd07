"""The independent verifier's checks for one FORMATS 1.3 procedure, from docs/formats.md alone.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5).
Standard library only, like ``tests/ledger/audit/independent.py`` which calls
:func:`check` for every entry after its signature, version and role checks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

ROLES: dict[str, str] = {
    "grievance.lodged": "registrar",
    "grievance.assigned": "approver",
    "grievance.answered": "registrar",
    "grievance.closed": "approver",
    "receipt.confirmed": "intake",
}
"""The role each type of this procedure needs."""

LIMIT_DAYS = 60  # §11.5: a due date at most 60 days after the day a grievance is lodged


def _due_ok(due: str | None, lodged_on: str) -> bool:
    if due is None:
        return True
    latest = (date.fromisoformat(lodged_on) + timedelta(days=LIMIT_DAYS)).isoformat()
    return lodged_on <= due <= latest


def check(
    kind: str,
    body: dict[str, Any],
    holder: str,
    state: dict[str, Any],
    need: Callable[[bool, str], None],
) -> None:
    """Check one entry of ``kind`` against ``state`` (this procedure's own, kept across entries)."""
    cases: dict[str, dict[str, Any]] = state.setdefault("cases", {})
    if kind in ("grievance.lodged", "receipt.confirmed"):
        opened = kind == "grievance.lodged"
        case_id = body["grievance_id" if opened else "confirmation_id"]
        lodged_on = body["lodged_on" if opened else "confirmed_on"]
        need(case_id not in cases, "grievance id used twice")
        need(_due_ok(body.get("due"), lodged_on), "due date out of the time limit")
        grievance = opened or body["outcome"] != "received"
        cases[case_id] = {
            "lodged_on": lodged_on,
            "grievance": grievance,
            "assigned": None,
            "answered": None,
            "answered_on": None,
            "closed": False,
        }
        return
    if kind not in ("grievance.assigned", "grievance.answered", "grievance.closed"):
        return
    case = cases.get(body["grievance_id"])
    need(case is not None, "names no grievance lodged before")
    assert case is not None
    need(case["grievance"], "names a confirmation of receipt, not a grievance")
    need(not case["closed"], "grievance already closed")
    if kind == "grievance.assigned":
        need(case["answered"] is None, "grievance already answered")
        need(_due_ok(body.get("due"), case["lodged_on"]), "due date out of the time limit")
        case["assigned"] = body["to"]
    elif kind == "grievance.answered":
        need(case["answered"] is None, "grievance already answered")
        need(case["assigned"] is not None, "answered before it was assigned")
        need(case["assigned"] == holder, "answered by another officer than the assignee")
        need(body["answered_on"] >= case["lodged_on"], "answered before it was lodged")
        case["answered"], case["answered_on"] = holder, body["answered_on"]
    else:
        need(body["closed_on"] >= case["lodged_on"], "closed before it was lodged")
        if case["answered"] is None:
            need(body["outcome"] == "withdrawn", "closed unanswered but not withdrawn")
        else:
            need(case["answered"] != holder, "closed by the officer who answered it")
            need(body["closed_on"] >= case["answered_on"], "closed before it was answered")
        case["closed"] = True
