"""What a verifier checks of the FORMATS 1.3 allowance changes from the log alone.

docs/formats.md 11.2: one standard level per category and month; a benefit
change is decided once, naming the benefit it was proposed for, and not
approved by the holder who proposed it (maker-checker); a person leaves
the commune once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.errors import AlreadyDecided, Duplicate, RuleViolation, SelfApproval, UnknownEntity

TYPES = frozenset(
    {
        "allowance.level.set",
        "benefit.change.proposed",
        "benefit.change.approved",
        "benefit.change.rejected",
        "person.left",
    }
)


@dataclass
class ChangeDecisions:
    """The levels set, the changes open (id -> (benefit, proposer)) and decided, who left."""

    levels: set[tuple[str, str]] = field(default_factory=set)
    open: dict[str, tuple[str, str]] = field(default_factory=dict)
    decided: set[str] = field(default_factory=set)
    left: set[str] = field(default_factory=set)

    def problem(self, kind: str, body: dict[str, Any], holder: str) -> str | None:
        """Why entry ``kind`` may not stand here, or None; applies it."""
        if kind == "allowance.level.set":
            level = (body["category"], body["effective"])
            if level in self.levels:
                return (
                    f"{Duplicate.code}: body.effective: a second standard level of "
                    f"{level[0]} from {level[1]}"
                )
            self.levels.add(level)
        elif kind == "benefit.change.proposed":
            self.open[body["change_id"]] = (body["benefit_id"], holder)
        elif kind in ("benefit.change.approved", "benefit.change.rejected"):
            return self._decided(kind, body, holder)
        elif kind == "person.left":
            if body["person_id"] in self.left:
                return f"{RuleViolation.code}: body.person_id: the person has left already"
            self.left.add(body["person_id"])
        return None

    def _decided(self, kind: str, body: dict[str, Any], holder: str) -> str | None:
        change_id = body["change_id"]
        if change_id in self.decided:
            return f"{AlreadyDecided.code}: body.change_id: change {change_id} decided already"
        proposed = self.open.pop(change_id, None)
        if proposed is None:
            return f"{UnknownEntity.code}: body.change_id: no proposed change {change_id}"
        benefit_id, proposer = proposed
        if benefit_id != body["benefit_id"]:
            return f"{RuleViolation.code}: body.benefit_id: change {change_id} is of {benefit_id}"
        if kind == "benefit.change.approved" and holder and proposer == holder:
            return f"{SelfApproval.code}: {holder} approves their own change {change_id}"
        self.decided.add(change_id)
        return None
