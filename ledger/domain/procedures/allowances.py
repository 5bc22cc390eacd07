"""The ledger's rules and aggregates for one FORMATS 1.3 procedure.

Allowance changes: standard levels, coefficients, suspension, resumption,
leaving the commune (docs/formats.md 11.2).

- ``allowance.level.set`` adds a standard level to the charter (one per
  category and effective month);
- ``benefit.change.proposed`` creates a :class:`BenefitChange` (a rebase on
  the standard level with a coefficient, a suspension, or a resumption);
  ``benefit.change.approved`` / ``rejected`` record the decision on the
  benefit itself, which keeps the changes decided, so that a later proposal
  is checked against the benefit's course (suspended or not);
- ``person.left`` creates the person's :class:`Departure` (once per person).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from ledger.domain.base import Entity
from ledger.domain.benefits import Benefit
from ledger.domain.charter import CHARTER_ID, Charter, KeyRecord
from ledger.domain.handlers import Unit, check_maker_checker
from ledger.domain.programs import Program
from ledger.domain.registry import Person
from ledger.domain.rows import Statement, StatementType, body_id, row
from ledger.errors import AlreadyDecided, Duplicate, InvalidField, RuleViolation
from ledger.formats.dsse import SignedStatement

DEPARTURES = UUID("7c1e5a90-2b4d-5f6e-8a1c-3d5e7f9a0b2c")


def departure_id(person_id: str) -> UUID:
    """The id of a person's departure from the commune: one per person."""
    return uuid5(DEPARTURES, person_id)


class BenefitChange(Entity):
    """A proposed change to an approved monthly benefit (decided on the benefit)."""

    kind = "benefit change"

    @event("Proposed")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.benefit_id: str = body["benefit_id"]
        self.change: str = body["kind"]
        self.start: str = body["from"]
        self.coefficient: int | None = body.get("coefficient")


class Departure(Entity):
    """A person's leaving the commune (their file goes with them)."""

    kind = "departure"

    @event("Left")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        self.person_id: str = body["person_id"]
        self.date: str = body["date"]


# -- rules ------------------------------------------------------------------------
@dataclass
class Course:
    """Where a benefit stands after the changes approved so far, in decision order."""

    suspended_from: str | None = None
    resumed_from: str | None = None  # the latest resumption


def course(u: Unit, benefit: Benefit) -> Course:
    out = Course()
    for change_id, approved in benefit.changes.items():
        if not approved:
            continue
        change = u.load(BenefitChange, change_id, "body.change_id")
        if change.change == "suspend":
            out.suspended_from = change.start
        elif change.change == "resume":
            out.suspended_from, out.resumed_from = None, change.start
    return out


def level_in_force(charter: Charter, category: str, month: str) -> tuple[str, int] | None:
    """The standard level of ``category`` in force in ``month``: (effective, amount)."""
    levels = getattr(charter, "levels", {}).get(category, {})
    found = [effective for effective in levels if effective <= month]
    return (max(found), levels[max(found)]) if found else None


def change_problem(u: Unit, benefit: Benefit, kind: str, start: str) -> tuple[str, str] | None:
    """Why this change cannot apply to the benefit now: (field, problem), or None."""
    if benefit.status != "approved":
        status = "not approved yet" if benefit.status == "proposed" else benefit.status
        return "body.benefit_id", f"the benefit is {status}; only an approved benefit changes"
    program = u.load(Program, benefit.program_id, "body.benefit_id")
    if program.program_kind != "monthly":
        return "body.benefit_id", f"a {program.program_kind} benefit has no months to change"
    if start < benefit.start:
        return "body.from", f"{start} is before the benefit's start ({benefit.start})"
    now = course(u, benefit)
    if kind == "rebase":
        charter = u.charter
        assert charter is not None  # (every statement after ledger.opened has one)
        if level_in_force(charter, program.category, start) is None:
            return "body.from", (
                f"no standard level of category {program.category} is in force in {start} "
                "(set one with allowance.level.set)"
            )
    elif kind == "suspend":
        if now.suspended_from is not None:
            return "body.kind", f"the benefit is suspended already (from {now.suspended_from})"
        if now.resumed_from is not None and start < now.resumed_from:
            return "body.from", f"{start} is before the benefit's resumption ({now.resumed_from})"
    elif now.suspended_from is None:
        return "body.kind", "the benefit is not suspended; only a suspended benefit resumes"
    elif start < now.suspended_from:
        return "body.from", f"{start} is before the suspension ({now.suspended_from})"
    return None


def level_set(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    charter = u.charter_for_change()
    body = s.body
    levels = getattr(charter, "levels", {}).get(body["category"], {})
    if body["effective"] in levels:
        raise Duplicate(
            f"body.effective: category {body['category']} has a standard level from "
            f"{body['effective']} already ({levels[body['effective']]} đồng); "
            "one level per category and month",
            field="body.effective",
        )
    charter.set_level(index=i, envelope=s.envelope)


def check_coefficient(body: dict[str, Any]) -> None:
    """A rebase names its coefficient; a suspension or a resumption names none."""
    if body["kind"] == "rebase" and "coefficient" not in body:
        raise InvalidField("body.coefficient", "missing: a rebase names its coefficient")
    if body["kind"] != "rebase" and "coefficient" in body:
        raise InvalidField("body.coefficient", f"must be absent for a {body['kind']}")


def change_proposed(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    check_coefficient(s.body)
    benefit = u.load(Benefit, s.body["benefit_id"], "body.benefit_id")
    problem = change_problem(u, benefit, s.body["kind"], s.body["from"])
    if problem is not None:
        raise RuleViolation(f"{problem[0]}: {problem[1]}", field=problem[0])
    u.create(BenefitChange, s.body["change_id"], "body.change_id", s, i)


def change_decided(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    body = s.body
    change = u.load(BenefitChange, body["change_id"], "body.change_id")
    if change.benefit_id != body["benefit_id"]:
        raise RuleViolation(
            f"body.benefit_id: change {body['change_id']} is of benefit {change.benefit_id}",
            field="body.benefit_id",
        )
    benefit = u.load(Benefit, body["benefit_id"], "body.benefit_id", change=True)
    if body["change_id"] in benefit.changes:
        done = "approved" if benefit.changes[body["change_id"]] else "rejected"
        raise AlreadyDecided(f"body.change_id: already {done}", field="body.change_id")
    if s.type == "benefit.change.rejected":
        benefit.reject_change(index=i, envelope=s.envelope)
        return
    check_maker_checker(u, s, change.created_by, "benefit change")
    problem = change_problem(u, benefit, change.change, change.start)
    if problem is not None:
        raise RuleViolation(
            f"body.change_id: the change no longer applies: {problem[1]}", field="body.change_id"
        )
    benefit.approve_change(index=i, envelope=s.envelope)


def person_left(u: Unit, s: SignedStatement, i: int, k: KeyRecord, v: Any) -> None:
    person = u.load(Person, s.body["person_id"], "body.person_id")
    person.check_alive()
    try:
        u.create(Departure, departure_id(s.body["person_id"]).hex, "body.person_id", s, i)
    except Duplicate:
        raise RuleViolation(
            "body.person_id: the person has left the commune already (recorded once)",
            field="body.person_id",
        ) from None


def _departure(s: Statement) -> str:
    return departure_id(s["body"]["person_id"]).hex


def _charter(s: Statement) -> str:
    return CHARTER_ID.hex


_change, _benefit = body_id("change_id"), body_id("benefit_id")
ROWS: list[tuple[str, StatementType]] = [
    row("allowance.level.set", "admin", (), Charter, "LevelSet", _charter, level_set),
    row(
        "benefit.change.proposed",
        "registrar",
        ("change_id", "benefit_id"),
        BenefitChange,
        "Proposed",
        _change,
        change_proposed,
    ),
    row(
        "benefit.change.approved",
        "approver",
        ("change_id", "benefit_id"),
        Benefit,
        "ChangeApproved",
        _benefit,
        change_decided,
    ),
    row(
        "benefit.change.rejected",
        "approver",
        ("change_id", "benefit_id"),
        Benefit,
        "ChangeRejected",
        _benefit,
        change_decided,
    ),
    row("person.left", "registrar", ("person_id",), Departure, "Left", _departure, person_left),
]
"""Catalog rows of this procedure's types (:mod:`ledger.domain.catalog`)."""
