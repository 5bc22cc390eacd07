"""What the read models know at one point of the log: plain data, no behaviour.

A :class:`Snapshot` is the ledger's state as of a log size (``as_of``
entries), built either by replaying entries (:mod:`projections.tables.replay`) or
from the projection tables (:mod:`projections.tables.store`); both must give equal
snapshots. Business dates stay as written in the statements (``YYYY-MM-DD``
strings, months ``YYYY-MM``), so comparisons are string comparisons.
Reports (lists, payroll, reconciliation) are pure functions of a snapshot and
an ``on`` date.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Household:
    household_id: str
    code: str
    village: str
    index: int  # the entry that registered it


@dataclass
class Person:
    person_id: str
    household_id: str  # where they live now (as of the snapshot)
    relation: str
    sex: str
    birth_year: int
    pii: str  # the latest commitment
    index: int
    died_on: str | None = None
    # (household_id, index of the entry that put them there), oldest first
    moves: list[tuple[str, int]] = field(default_factory=list)
    died_index: int | None = None  # the entry that recorded the death


@dataclass
class StatusProposal:
    proposal_id: str
    household_id: str
    status: str  # poor | near_poor | not_poor
    effective: str  # date
    proposed_by: str  # holder id
    index: int
    state: str = "proposed"  # proposed | approved | rejected
    decided_by: str | None = None
    decision_number: str | None = None
    decision_date: str | None = None
    decided_index: int | None = None
    reason: str | None = None


@dataclass
class Program:
    program_id: str
    code: str
    name: str
    category: str
    kind: str  # monthly | one_off | in_kind
    index: int


@dataclass
class Benefit:
    benefit_id: str
    program_id: str
    person_id: str | None
    household_id: str | None
    amount: int
    start: str  # month
    end: str | None  # month
    basis: str
    proposed_by: str  # holder id
    index: int
    state: str = "proposed"  # proposed | approved | rejected | ended
    approved_by: str | None = None
    decision_number: str | None = None
    decision_date: str | None = None  # the approval's decision date
    approved_index: int | None = None
    last_month: str | None = None  # from benefit.ended
    ended_index: int | None = None
    reason: str | None = None


@dataclass
class Payment:
    payment_id: str
    benefit_id: str
    month: str | None
    amount: int
    paid_on: str
    method: str
    recipient: str
    receipt_kind: str
    recorded_by: str  # holder id
    index: int
    reversed_index: int | None = None
    reversal_reason: str | None = None

    @property
    def reversed(self) -> bool:
        return self.reversed_index is not None


@dataclass
class FundMovement:
    movement_id: str
    program_id: str
    kind: str  # received | returned
    amount: int
    date: str
    source: str | None
    reference: str
    index: int


@dataclass
class Level:
    """A standard level of a category from a month on (FORMATS 1.3 allowance.level.set)."""

    category: str
    effective: str  # month
    amount: int
    legal_basis: str
    index: int


@dataclass
class BenefitChange:
    """A rebase, suspension or resumption of a monthly benefit (FORMATS 1.3)."""

    change_id: str
    benefit_id: str
    kind: str  # rebase | suspend | resume
    start: str  # the month it applies from
    coefficient: int | None  # hundredths of the standard level (rebase)
    reason: str
    proposed_by: str  # holder id
    index: int
    state: str = "proposed"  # proposed | approved | rejected
    decided_by: str | None = None
    decision_number: str | None = None
    decision_date: str | None = None
    decided_index: int | None = None
    rejected_reason: str | None = None


@dataclass
class Departure:
    """A person's leaving the commune (FORMATS 1.3 person.left)."""

    person_id: str
    date: str
    to: str
    index: int


@dataclass
class Snapshot:
    """Everything the reports need, as of ``as_of`` entries of the log."""

    ledger_id: str = ""
    name: str = ""
    as_of: int = 0
    last_recorded_at: str = ""
    holders: dict[str, str] = field(default_factory=dict)  # key id -> holder id
    holder_names: dict[str, str] = field(default_factory=dict)  # holder id -> name
    households: dict[str, Household] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    proposals: dict[str, StatusProposal] = field(default_factory=dict)
    programs: dict[str, Program] = field(default_factory=dict)
    benefits: dict[str, Benefit] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)
    funds: dict[str, FundMovement] = field(default_factory=dict)
    # FORMATS 1.3 allowance changes: levels by (category, effective month)
    levels: dict[tuple[str, str], Level] = field(default_factory=dict)
    changes: dict[str, BenefitChange] = field(default_factory=dict)
    departures: dict[str, Departure] = field(default_factory=dict)  # by person id
