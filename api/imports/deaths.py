"""Danh sách khai tử: the civil registry's list of deaths, each matched to a person of the vault.

The commune's civil registry (hộ tịch) keeps every death registered in the
commune; most of those people never had a benefit. A row is matched by its
``Số định danh cá nhân`` to a person of the vault, and becomes that person's
``person.died`` (dated the day of death; the extract's number has no place in
the statement and stays on the paper). What is only told, and skips the row
without stopping the batch: an id number nobody in the register has
(``NOT_IN_REGISTRY``), a death already recorded (``DEATH_ALREADY_RECORDED``).
What is told and still recorded: a name that differs from the vault's
(``NAME_MISMATCH``). What makes the row bad, and so the batch: a missing or
bad id number or date, a day after today (``DEATH_IN_FUTURE``) or before the
person's birth (``DEATH_BEFORE_BIRTH``), an id number repeated in the file.

Beside the cells, a matched row shows (:attr:`Row.shown`) the person's codes
and name and the benefits the death stops: a monthly allowance is payable up
to the month of death and no further (Decree 20/2021/NĐ-CP); payments already
recorded for a later month are listed, as the reconciliation will flag them
(``PAID_AFTER_DEATH``). A household's benefit stops when its last living
member dies.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from api import reading
from api.imports import cells
from api.imports.rows import Row
from projections.model import Benefit, Person
from projections.reports.codes import person_codes
from projections.reports.duplicates import name_key
from projections.reports.entitlements import approved_on, is_monthly, last_month


def death_row(row: Row) -> None:
    """One death of the list: a ``person.died`` for the person the id number names."""
    facts = row.facts
    number = row.read("national_id", cells.national_id)
    written_name = row.read("full_name", cells.text)
    died_on = row.read("died_on", cells.day)
    if died_on is not None and died_on > datetime.now(UTC).date().isoformat():
        row.fail("died_on", "DEATH_IN_FUTURE")
    if number is None:
        return
    if number in facts.seen_ids:
        row.fail("national_id", "DUPLICATE_NATIONAL_ID.file", row=facts.seen_ids[number])
        return
    facts.seen_ids[number] = row.number
    person_id = facts.person_with_id_number(number)
    if facts.vault_checked is False:
        row.fail("national_id", "VAULT_NOT_CHECKED")
        return
    person = facts.read.snap.people.get(person_id or "")
    if person is None:
        row.note("national_id", "NOT_IN_REGISTRY", value=number)
        return
    record = facts.record_of(person.person_id)
    name = reading.field_of(record, "full_name") or ""
    born = reading.field_of(record, "birth_date")
    if died_on is not None and born is not None and died_on < born:
        row.fail("died_on", "DEATH_BEFORE_BIRTH", born=_shown_day(born))
    if person.died_on is not None:
        row.note("national_id", "DEATH_ALREADY_RECORDED", date=_shown_day(person.died_on))
        return
    if written_name is not None and name_key(written_name) != name_key(name):
        row.note("full_name", "NAME_MISMATCH", registered=name)
    if row.errors or died_on is None:
        return
    row.statement("person.died", {"person_id": person.person_id, "date": died_on})
    if row.statements:
        facts.dying[person.person_id] = died_on
        row.shown = _stopped(row, person, name, died_on)


def _shown_day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _stopped(row: Row, person: Person, name: str, died_on: str) -> dict[str, Any]:
    """The person as the preview shows them, and the benefits their death stops."""
    snap = row.facts.read.snap
    codes = row.facts.person_codes
    if codes is None:
        codes = row.facts.person_codes = person_codes(snap)
    household = snap.households.get(person.household_id)
    stops = []
    for benefit in sorted(snap.benefits.values(), key=lambda b: b.index):
        month = _last_alive(row, benefit, person, died_on)
        if month is None or not approved_on(benefit, None) or not is_monthly(snap, benefit):
            continue
        end = last_month(benefit)
        if end is not None and end <= month:
            continue  # it ends by its own terms before the death
        program = snap.programs[benefit.program_id]
        after = [
            {"month": p.month, "amount": p.amount, "payment_id": p.payment_id, "index": p.index}
            for p in sorted(snap.payments.values(), key=lambda p: p.index)
            if p.benefit_id == benefit.benefit_id
            and not p.reversed
            and p.month is not None
            and p.month > month
        ]
        stops.append(
            {
                "benefit_id": benefit.benefit_id,
                "program_code": program.code,
                "program_name": program.name,
                "amount": benefit.amount,
                "last_month": month,
                "paid_after_death": after,
            }
        )
    return {
        "person_id": person.person_id,
        "household_code": household.code if household is not None else "",
        "person_code": codes.get(person.person_id, ""),
        "full_name": name,
        "date": died_on,
        "benefits": stops,
    }


def _last_alive(row: Row, benefit: Benefit, person: Person, died_on: str) -> str | None:
    """The last month ``benefit`` is payable, if the person's death ends it (else None): the
    month of death for theirs; for their household's, when every other member has died
    (recorded, or on an earlier row), the month of the last death."""
    if benefit.person_id is not None:
        return died_on[:7] if benefit.person_id == person.person_id else None
    if benefit.household_id != person.household_id:
        return None
    snap, dying = row.facts.read.snap, row.facts.dying
    dates = [died_on]
    for member in snap.people.values():
        if member.household_id != person.household_id or member.person_id == person.person_id:
            continue
        date = member.died_on or dying.get(member.person_id)
        if date is None:
            return None
        dates.append(date)
    return max(dates)[:7]
