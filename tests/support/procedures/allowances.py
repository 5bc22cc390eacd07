"""The independent verifier's checks for one FORMATS 1.3 procedure, from docs/formats.md alone.

Allowance changes: standard levels, coefficients, suspension, resumption,
leaving the commune (docs/formats.md 11.2).
Standard library only, like ``tests/ledger/audit/independent.py`` which calls
:func:`check` for every entry after its signature, version and role checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES: dict[str, str] = {
    "allowance.level.set": "admin",
    "benefit.change.proposed": "registrar",
    "benefit.change.approved": "approver",
    "benefit.change.rejected": "approver",
    "person.left": "registrar",
}
"""The role each type of this procedure needs."""


def check(
    kind: str,
    body: dict[str, Any],
    holder: str,
    state: dict[str, Any],
    need: Callable[[bool, str], None],
) -> None:
    """Check one entry of ``kind`` against ``state`` (this procedure's own, kept across entries)."""
    levels: set[tuple[str, str]] = state.setdefault("levels", set())
    proposed: dict[str, dict[str, Any]] = state.setdefault("proposed", {})  # change id -> change
    suspended: dict[str, str | None] = state.setdefault("suspended", {})  # benefit -> from
    left: set[str] = state.setdefault("left", set())
    if kind == "allowance.level.set":
        level = (body["category"], body["effective"])
        need(level not in levels, "a second standard level for one category and month")
        levels.add(level)
    elif kind == "benefit.change.proposed":
        need(body["change_id"] not in proposed, "change proposed twice")
        need((body["kind"] == "rebase") == ("coefficient" in body), "coefficient and kind")
        proposed[body["change_id"]] = {**body, "holder": holder, "decided": False}
    elif kind in ("benefit.change.approved", "benefit.change.rejected"):
        change = proposed.get(body["change_id"])
        need(change is not None, "decides no proposed change")
        assert change is not None
        need(change["benefit_id"] == body["benefit_id"], "names another benefit than the change")
        need(not change["decided"], "change decided twice")
        change["decided"] = True
        if kind == "benefit.change.approved":
            need(change["holder"] != holder, "self-approval of a benefit change")
            benefit, since = change["benefit_id"], suspended.get(change["benefit_id"])
            if change["kind"] == "suspend":
                need(since is None, "suspends a suspended benefit")
                suspended[benefit] = change["from"]
            elif change["kind"] == "resume":
                need(since is not None and change["from"] >= since, "resumes no suspension")
                suspended[benefit] = None
    elif kind == "person.left":
        need(body["person_id"] not in left, "a person left twice")
        left.add(body["person_id"])
