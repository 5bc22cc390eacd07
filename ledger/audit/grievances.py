"""What a verifier checks of grievances from the log alone (docs/formats.md 11.5).

Each grievance is lodged once (``grievance.lodged``, or a ``receipt.confirmed``
saying the money did not come, under its confirmation id), assigned before
it is answered, answered once and by the holder it was assigned to, closed
once, unanswered only as withdrawn, and never by the holder who answered
it. Whether ``to`` holds a registrar key and the dates are checked at
acceptance and by ``ansinh verify --db``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.errors import AlreadyDecided, RuleViolation, SelfApproval

TYPES = frozenset(
    {
        "grievance.lodged",
        "grievance.assigned",
        "grievance.answered",
        "grievance.closed",
        "receipt.confirmed",
    }
)
"""The types whose bodies this check reads."""


@dataclass
class _Case:
    grievance: bool
    assigned: str | None = None
    answered: str | None = None  # the answering holder
    closed: bool = False


@dataclass
class Grievances:
    """The grievances of a log, entry by entry."""

    cases: dict[str, _Case] = field(default_factory=dict)

    def problem(self, kind: str, holder: str, body: dict[str, Any]) -> str | None:
        """Why entry ``kind`` signed by ``holder`` may not stand here, or None; applies it."""
        if kind == "grievance.lodged":
            self.cases[body["grievance_id"]] = _Case(grievance=True)
            return None
        if kind == "receipt.confirmed":
            grievance = body["outcome"] != "received"
            self.cases[body["confirmation_id"]] = _Case(grievance=grievance)
            return None
        case = self.cases.get(body["grievance_id"])
        where = "body.grievance_id"
        if case is None or not case.grievance:
            return f"{RuleViolation.code}: {where}: names no grievance lodged before"
        if case.closed:
            return f"{AlreadyDecided.code}: {where}: the grievance is closed already"
        if kind == "grievance.assigned":
            if case.answered is not None:
                return f"{AlreadyDecided.code}: {where}: the grievance is answered already"
            case.assigned = body["to"]
        elif kind == "grievance.answered":
            if case.answered is not None:
                return f"{AlreadyDecided.code}: {where}: the grievance is answered already"
            if case.assigned != holder:
                return f"{RuleViolation.code}: by: the grievance is not assigned to {holder}"
            case.answered = holder
        elif kind == "grievance.closed":
            if case.answered is None and body["outcome"] != "withdrawn":
                return f"{RuleViolation.code}: body.outcome: closed unanswered, not withdrawn"
            if case.answered == holder:
                return f"{SelfApproval.code}: {holder} closes the grievance they answered"
            case.closed = True
        return None
