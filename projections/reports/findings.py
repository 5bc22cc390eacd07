"""What makes an anomaly a finding someone can act on: who, where, how much, and the proof.

:func:`annotate` adds to each anomaly of a reconciliation (keeping every
field it has) what applies of:

- ``finding_id``: the first 12 hex digits of SHA-256 over its code and ids,
  stable across reports of the same ledger, to name it on a command line;
- ``household_code``, ``village``: the household concerned (the
  beneficiary's, as of the payment);
- ``person_code`` (:mod:`.codes`): the person the anomaly names;
- ``program_code``, ``program_name``;
- ``months``: the months concerned, in order;
- ``expected``, ``paid``, ``difference`` (đồng, ints): what the approvals made
  due for the benefit and month(s) as of the report date (0 where the finding
  is that nothing was due: a second benefit, a month after a death), what the
  counted payments paid for them, and ``paid - expected``; of a program's
  funds (FUND_OVERDRAWN): received less returned, paid out, and the shortfall;
- ``evidence``: the indexes of the log entries that prove it, in order: the
  payment(s), the benefit's proposal, approval and end, the death, the
  household's status decisions, the recipient's registration, the funds
  received ... Written to a file with their inclusion proofs (``ansinh export
  evidence --index N ...``), they are checked offline by ``ansinh verify``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from projections.model import Benefit, Payment, Snapshot
from projections.reports.codes import person_codes
from projections.reports.courses import halt_evidence
from projections.reports.entitlements import beneficiary_household, month_end, months

Key = tuple[str, str]  # (benefit_id, month)
_HASHED = (
    "payment_id",
    "benefit_id",
    "person_id",
    "household_id",
    "program_id",
    "month",
    "first_payment_id",
    "first_benefit_id",
    "first_person_id",
)


def finding_id(anomaly: dict[str, Any]) -> str:
    """A short stable name: 12 hex digits of SHA-256 over the code and the ids."""
    text = "|".join([anomaly["code"], *(f"{k}={anomaly.get(k, '')}" for k in _HASHED)])
    if "grievance_id" in anomaly:  # one finding per grievance (FORMATS 1.3)
        text += f"|grievance_id={anomaly['grievance_id']}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def annotate(
    snap: Snapshot,
    anomalies: list[dict[str, Any]],
    due: dict[Key, int],
    groups: dict[Key, list[Payment]],
    fund_rows: list[dict[str, Any]],
) -> None:
    """Add to each anomaly (in place) what applies of the fields listed above."""
    codes = person_codes(snap)
    funds_of = {row["program_id"]: row for row in fund_rows}
    for a in anomalies:
        last = a.pop("months_to", None)
        found: list[str] = months(a["month"], last) if "month" in a and last else []
        if not found and "month" in a:
            found = [a["month"]]
        benefit = snap.benefits.get(a.get("benefit_id", ""))
        payment = snap.payments.get(a.get("payment_id", ""))
        household_id = a.get("household_id")
        if household_id is None and benefit is not None:
            at = payment.index if payment is not None else snap.as_of
            household_id = beneficiary_household(snap, benefit, at)
        if household_id is None and a.get("person_id") in snap.people:
            household_id = snap.people[a["person_id"]].household_id
        extra: dict[str, Any] = {"finding_id": finding_id(a)}
        if household_id in snap.households:
            household = snap.households[household_id]
            extra |= {"household_code": household.code, "village": household.village}
        if a.get("person_id") in codes:
            extra["person_code"] = codes[a["person_id"]]
        if a.get("program_id") in snap.programs:
            program = snap.programs[a["program_id"]]
            extra |= {"program_code": program.code, "program_name": program.name}
        if found:
            extra["months"] = found
        extra |= _amounts(a, found, due, groups, funds_of)
        extra["evidence"] = sorted(set(_evidence(snap, a, benefit, payment, groups, found)))
        a.update(extra)


def _amounts(
    a: dict[str, Any],
    found: list[str],
    due: dict[Key, int],
    groups: dict[Key, list[Payment]],
    funds_of: dict[str, dict[str, Any]],
) -> dict[str, int]:
    code = a["code"]
    if code == "FUND_OVERDRAWN":
        row = funds_of[a["program_id"]]
        expected, paid = row["received"] - row["returned"], row["paid"]
    elif "benefit_id" in a and found:
        keys = [(a["benefit_id"], m) for m in found]
        paid = sum(p.amount for k in keys for p in groups.get(k, []))
        expected = 0 if code == "OVERLAPPING_BENEFITS" else sum(due.get(k, 0) for k in keys)
    else:
        return {}
    return {"expected": expected, "paid": paid, "difference": paid - expected}


def _evidence(
    snap: Snapshot,
    a: dict[str, Any],
    benefit: Benefit | None,
    payment: Payment | None,
    groups: dict[Key, list[Payment]],
    found: list[str],
) -> Iterable[int]:
    """The entries that prove anomaly ``a``."""
    code = a["code"]
    if payment is not None:
        yield payment.index
    for b in (benefit, snap.benefits.get(a.get("first_benefit_id", ""))):
        if b is not None:
            yield from _given(b.index, b.approved_index, b.ended_index)
    if "first_payment_id" in a:
        yield snap.payments[a["first_payment_id"]].index
    if code == "OVERLAPPING_BENEFITS" and benefit is not None:
        yield from (p.index for m in found for p in groups.get((benefit.benefit_id, m), []))
    if code == "PAID_AFTER_DEATH":
        dead = [snap.people[a["person_id"]]] if "person_id" in a else []
        if not dead and benefit is not None and benefit.household_id is not None:
            dead = [p for p in snap.people.values() if p.household_id == benefit.household_id]
        yield from _given(*(p.died_index for p in dead))
    if code in ("RECIPIENT_NOT_ELIGIBLE", "DUPLICATE_IDENTITY", "UNRESOLVED_DUPLICATE"):
        people = [a["person_id"], a.get("first_person_id")]
        for person in (snap.people[p] for p in people if p in snap.people):
            yield person.index
            yield from (index for _, index in person.moves)
    if code == "HOUSEHOLD_NOT_ELIGIBLE" and found:
        for proposal in snap.proposals.values():
            if proposal.household_id == a["household_id"] and proposal.effective <= month_end(
                found[-1]
            ):
                yield from _given(proposal.index, proposal.decided_index)
    if code == "FUND_OVERDRAWN":
        yield from _overdrawn_by(snap, a["program_id"])
    yield from a.pop("log_entries", ())  # a 1.3 procedure's own entries (grievances, agents)
    if a.get("proposal_id") in snap.proposals:  # a status decided (review rounds, 11.4)
        decided = snap.proposals[a["proposal_id"]]
        yield from _given(decided.index, decided.decided_index)
    if code in ("PAID_WHILE_SUSPENDED", "PAID_AFTER_LEAVING") and benefit is not None:
        yield from halt_evidence(snap, code, benefit, a["month"])


def _overdrawn_by(snap: Snapshot, program_id: str) -> Iterable[int]:
    """The program's fund movements, and the payment that overdrew it (the first after
    which the program had paid more than it had; the payments before it add up to the
    rest, and there may be thousands)."""
    movements = [m for m in snap.funds.values() if m.program_id == program_id]
    yield from (m.index for m in movements)
    available = sum(m.amount if m.kind == "received" else -m.amount for m in movements)
    spent = 0
    for payment in sorted(snap.payments.values(), key=lambda p: p.index):
        if payment.reversed or snap.benefits[payment.benefit_id].program_id != program_id:
            continue
        spent += payment.amount
        if spent > available:
            yield payment.index
            return


def _given(*indexes: int | None) -> Iterable[int]:
    return (i for i in indexes if i is not None)
