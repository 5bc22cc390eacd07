"""One row of a list turned into the statement it asks for, or the reasons it cannot be.

:class:`Row` reads the row's cells by column (each reader's problem
recorded against its column, with a stable code and a message in the
import's language), and :meth:`Row.statement` checks the finished body
with the ledger's own schema, naming the column a refused field came from.
The builders here make the registrar's statements; the cashier's are in
:mod:`api.imports.payments`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api.imports import cells
from api.imports.cells import BadCell
from api.imports.facts import Facts
from api.imports.layouts import Column, Layout
from api.imports.messages import message
from ledger.errors import InvalidField
from ledger.formats.schemas import validate_statement
from ledger.formats.vault import VaultRecord

PLACEHOLDER = {"by": "0" * 64, "at": "2000-01-01T00:00:00Z", "nonce": "0" * 32}


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Row:
    """A row being read: its cells by column key, and what it has made so far."""

    number: int
    layout: Layout
    values: dict[str, Any]  # column key -> cell as the sheet holds it
    headers: dict[str, str]  # column key -> header as written in the file
    facts: Facts
    statements: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    vault: list[VaultRecord] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)  # told, not blocking the batch
    shown: dict[str, Any] | None = None  # what the preview shows beside the cells (deaths)
    skipped: bool = False  # not paid (payroll), counted
    ignored: bool = False  # not a list's row at all (a subtotal), not counted

    def header(self, column: Column) -> str:
        return self.headers.get(column.key) or column.header(self.facts.lang)

    def fail(self, key: str, code: str, *, field_: str | None = None, **values: Any) -> None:
        """Record a problem of the column ``key`` (``code``: a code or ``code.variant``)."""
        self.errors.append(self._problem(key, code, field_, values))

    def note(self, key: str, code: str, **values: Any) -> None:
        """Tell something of the column ``key`` that does not stop the batch (a row skipped,
        a name to check)."""
        self.notes.append(self._problem(key, code, None, values))

    def _problem(
        self, key: str, code: str, field_: str | None, values: dict[str, Any]
    ) -> dict[str, str]:
        column = self.layout.column(key)
        name = self.header(column)
        values.setdefault("value", self.text(key))
        return {
            "column": name,
            "field": field_ or _field_of(column),
            "code": code.split(".")[0],
            "message": message(code, self.facts.lang, column=name, **values),
        }

    def text(self, key: str) -> str:
        return cells.text(self.values.get(key))

    def read(self, key: str, reader: Callable[[Any], Any], *, required: bool = True) -> Any:
        """The column's value read by ``reader``; None (a problem recorded) when it cannot be."""
        cell = self.values.get(key)
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if required:
                self.fail(key, "MISSING_VALUE")
            return None
        try:
            return reader(cell)
        except BadCell as exc:
            self.fail(key, exc.code)
            return None

    def statement(self, type_: str, body: dict[str, Any]) -> None:
        """Add the statement, once the ledger's schema accepts its body (else name the column)."""
        try:
            validate_statement(
                {"ledger": self.facts.read.snap.ledger_id, "type": type_, "body": body}
                | PLACEHOLDER
            )
        except InvalidField as exc:
            column = self.layout.column_of_field(exc.field or "")
            key = column.key if column is not None else self.layout.columns[0].key
            self.fail(key, "INVALID_FIELD", field_=exc.field, problem=exc.message)
            return
        self.statements.append((type_, body))


def _field_of(column: Column) -> str:
    return f"body.{column.fields[0]}" if column.fields else f"record.{column.key}"


def household_row(row: Row) -> None:
    """Danh sách hộ: a ``household.registered`` per row, its code new to the ledger and file."""
    facts = row.facts
    code = row.read("household_code", cells.text)
    village = row.read("village", cells.text)
    if code is not None:
        if code in facts.households:
            row.fail("household_code", "DUPLICATE_HOUSEHOLD")
        elif code in facts.seen_codes:
            row.fail("household_code", "DUPLICATE_HOUSEHOLD.file", row=facts.seen_codes[code])
        else:
            facts.seen_codes[code] = row.number
    if row.errors:
        return
    row.statement(
        "household.registered", {"household_id": new_id(), "code": code, "village": village}
    )


def person_row(row: Row) -> None:
    """Danh sách nhân khẩu: a ``person.registered`` committing to the person's vault record."""
    facts = row.facts
    household = _household(row)
    full_name = row.read("full_name", cells.text)
    number = row.read("national_id", cells.national_id)
    born = row.read("birth_date", cells.day)
    sex = row.read("sex", lambda c: cells.choice(c, cells.SEXES, "BAD_SEX"))
    relation = row.read("relation", lambda c: cells.choice(c, cells.RELATIONS, "BAD_RELATION"))
    if number is not None:
        if number in facts.seen_ids:
            row.fail("national_id", "DUPLICATE_NATIONAL_ID.file", row=facts.seen_ids[number])
        else:
            facts.seen_ids[number] = row.number
            if facts.person_with_id_number(number) is not None:
                row.fail("national_id", "DUPLICATE_NATIONAL_ID", value=number)
    if household is not None and relation == "head":
        hid = household.household_id
        if hid in facts.heads:
            row.fail("relation", "SECOND_HEAD", value=household.code)
        elif hid in facts.seen_heads:
            row.fail(
                "relation", "SECOND_HEAD.file", value=household.code, row=facts.seen_heads[hid]
            )
        else:
            facts.seen_heads[hid] = row.number
    if row.errors or household is None:
        return
    person_id = new_id()
    record = VaultRecord.new(
        person_id, {"full_name": full_name, "national_id": number, "birth_date": born}
    )
    body = {
        "person_id": person_id,
        "household_id": household.household_id,
        "relation": relation,
        "sex": sex,
        "birth_year": int(born[:4]),
        "pii": record.commitment,
    }
    row.statement("person.registered", body)
    if row.statements:
        row.vault.append(record)


def benefit_row(row: Row) -> None:
    """Danh sách đối tượng hưởng: a ``benefit.proposed`` for a person, or a whole household."""
    facts = row.facts
    code = row.read("program_code", cells.text)
    program = facts.programs.get(code) if code is not None else None
    if code is not None and program is None:
        row.fail("program_code", "UNKNOWN_PROGRAM")
    household = _household(row)
    number = row.read("national_id", cells.national_id, required=False)
    amount = row.read("amount", cells.amount)
    start = row.read("start", cells.month)
    end = row.read("end", cells.month, required=False)
    basis = row.read("basis", cells.text)
    if start is not None and end is not None and end < start:
        row.fail("end", "BAD_MONTH.order", value=row.text("end"))
    person_id = None
    if number is not None and household is not None:
        person_id = person_in(row, "national_id", number, household.household_id)
    if row.errors or program is None or household is None:
        return
    whom = {"person_id": person_id} if person_id else {"household_id": household.household_id}
    body = {"benefit_id": new_id(), "program_id": program.program_id, **whom, "amount": amount}
    body |= {"start": start, **({"end": end} if end else {}), "basis": basis}
    row.statement("benefit.proposed", body)


def _household(row: Row) -> Any:
    """The household the row's ``Mã hộ`` names in the ledger (None: a problem recorded)."""
    code = row.read("household_code", cells.text)
    if code is None:
        return None
    household = row.facts.households.get(code)
    if household is None:
        row.fail("household_code", "UNKNOWN_HOUSEHOLD")
    return household


def person_in(row: Row, key: str, number: str, household_id: str | None) -> str | None:
    """The person with id number ``number`` (in ``household_id`` if given), through the vault."""
    facts = row.facts
    person_id = facts.person_with_id_number(number)
    if facts.vault_checked is False:
        row.fail(key, "VAULT_NOT_CHECKED")
        return None
    person = facts.read.snap.people.get(person_id or "")
    if person is None or (household_id is not None and person.household_id != household_id):
        row.fail(key, "UNKNOWN_PERSON", value=number)
        return None
    return person.person_id
