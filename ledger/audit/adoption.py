"""What a verifier checks of FORMATS versions after entry 0 (docs/formats.md, section 10).

A ledger that declares 1.1 may adopt 1.2 with ``ledger.formats.adopted``;
the types a version introduced are refused before the ledger follows it;
``identity.reviewed`` decides each pair of people once; the paying agents'
lists, settlements and refunds keep their rules (:mod:`ledger.audit.agents`);
grievances are answered and closed in order (:mod:`ledger.audit.grievances`);
the poverty review rounds are held to theirs (:mod:`ledger.audit.reviews`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ledger.audit.agents import Agents
from ledger.audit.allowance_changes import TYPES as ALLOWANCE_TYPES
from ledger.audit.allowance_changes import ChangeDecisions
from ledger.audit.grievances import TYPES as GRIEVANCE_TYPES
from ledger.audit.grievances import Grievances
from ledger.audit.reviews import BODIES as REVIEW_BODIES
from ledger.audit.reviews import Rounds
from ledger.errors import AlreadyDecided, InvalidField, RuleViolation
from ledger.formats.procedures.agents import TYPES as AGENT_TYPES
from ledger.formats.versions import INTRODUCED, ROLES_INTRODUCED, at_least


@dataclass
class Versions:
    """The version a ledger follows, entry by entry, and the pairs already reviewed."""

    formats: str
    reviewed: set[tuple[str, str]] = field(default_factory=set)
    agents: Agents = field(default_factory=Agents)  # paying agents (FORMATS 1.3)
    grievances: Grievances = field(default_factory=Grievances)  # FORMATS 1.3 (11.5)
    rounds: Rounds = field(default_factory=Rounds)  # poverty review rounds (FORMATS 1.3)
    changes: ChangeDecisions = field(default_factory=ChangeDecisions)  # FORMATS 1.3 §11.2

    def problem(self, kind: str, body: dict[str, Any] | None, holder: str = "") -> str | None:
        """Why entry ``kind`` (with ``body``, signed by ``holder``) may not stand here, or
        None; applies it."""
        if body is not None:
            self.agents.track(kind, body)
        if body is not None and kind in REVIEW_BODIES:
            wanted = INTRODUCED.get(kind)
            if (wanted is None or at_least(self.formats, wanted)) and (
                problem := self.rounds.problem(kind, body, holder)
            ) is not None:
                return problem
        if kind == "key.registered" and body is not None:
            for role in sorted(body["roles"]):
                wanted = ROLES_INTRODUCED.get(role)
                if wanted is not None and not at_least(self.formats, wanted):
                    return (
                        f"{InvalidField.code}: body.roles: role {role} needs FORMATS {wanted}; "
                        f"the ledger follows FORMATS {self.formats}"
                    )
        needs = INTRODUCED.get(kind)
        if needs is None:
            return None
        if not at_least(self.formats, needs):
            return (
                f"{InvalidField.code}: type: {kind} needs FORMATS {needs}; "
                f"the ledger follows FORMATS {self.formats}"
            )
        if body is None:  # checked by a worker that keeps no body: nothing else to apply
            return None
        if kind == "ledger.formats.adopted":
            if at_least(self.formats, body["formats"]):
                return (
                    f"{RuleViolation.code}: body.formats: the ledger already follows "
                    f"FORMATS {self.formats}"
                )
            self.formats = body["formats"]
        elif kind == "identity.reviewed":
            first, second = sorted((body["person_id"], body["other_person_id"]))
            pair = (first, second)
            if pair in self.reviewed:
                return (
                    f"{AlreadyDecided.code}: body.other_person_id: these two people have been "
                    "reviewed already"
                )
            self.reviewed.add(pair)
        elif kind in AGENT_TYPES:
            return self.agents.problem(kind, body, holder)
        elif kind in GRIEVANCE_TYPES:
            return self.grievances.problem(kind, holder, body)
        elif kind in ALLOWANCE_TYPES:
            return self.changes.problem(kind, body, holder)
        return None
