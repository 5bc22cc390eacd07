"""What the rows of one import are checked against: the ledger as of now, and the file so far.

Built once per import from one snapshot (never per row): households by
code, programs by code, heads, payments by benefit and month. Id numbers
are read from the vault only if a row needs one, once, for everyone; a
server without the vault key cannot, and says so (:attr:`vault_checked`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api import reading
from api.reading import FAR_FUTURE, Read
from ledger.errors import VaultKeyMissing
from ledger.formats.vault import VaultRecord
from projections.model import Household, Payment, Person, Program


@dataclass
class Facts:
    read: Read
    lang: str
    month: str | None = None  # the payroll's month
    households: dict[str, Household] = field(default_factory=dict)  # by code
    programs: dict[str, Program] = field(default_factory=dict)  # by code
    heads: dict[str, Person] = field(default_factory=dict)  # by household id
    paid: dict[tuple[str, str | None], Payment] = field(default_factory=dict)
    # what earlier rows of the file claimed: value -> row number
    seen_codes: dict[str, int] = field(default_factory=dict)
    seen_ids: dict[str, int] = field(default_factory=dict)
    seen_heads: dict[str, int] = field(default_factory=dict)
    seen_payments: dict[tuple[str, str | None], int] = field(default_factory=dict)
    person_codes: dict[str, str] | None = None  # by person id, made when first needed
    dying: dict[str, str] = field(default_factory=dict)  # person id -> date, earlier rows
    _by_id_number: dict[str, str] | None = None
    _records: dict[str, VaultRecord | None] = field(default_factory=dict)
    vault_checked: bool | None = None  # None: not needed yet
    # a paying agent's settlement (api.imports.settlements): the file, the list, lines so far
    file_sha256: str = ""
    sending: dict[str, Any] | None = None
    seen_lines: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, read: Read, lang: str, month: str | None = None) -> Facts:
        snap = read.snap
        facts = cls(read, lang, month)
        facts.households = {h.code: h for h in snap.households.values()}
        facts.programs = {p.code: p for p in snap.programs.values()}
        facts.heads = reading.heads(snap, FAR_FUTURE)
        for payment in snap.payments.values():
            if not payment.reversed:
                facts.paid[(payment.benefit_id, payment.month)] = payment
        return facts

    def person_with_id_number(self, number: str) -> str | None:
        """The person the vault holds under id number ``number`` (None: nobody, or no vault).

        Check :attr:`vault_checked` after: False means the vault could not be read.
        """
        if self._by_id_number is None:
            self._by_id_number = {}
            try:
                records = reading.vault_records(self.read, self.read.snap.people)
            except VaultKeyMissing:
                self.vault_checked = False
                return None
            self.vault_checked = True
            self._records = records
            for person_id, record in sorted(
                records.items(), key=lambda item: self.read.snap.people[item[0]].index
            ):
                value = reading.field_of(record, "national_id")
                if value is not None:
                    self._by_id_number.setdefault(value, person_id)
        return self._by_id_number.get(number)

    def record_of(self, person_id: str) -> VaultRecord | None:
        """The person's vault record, once :meth:`person_with_id_number` has read the vault."""
        return self._records.get(person_id)

    def household_of_benefit(self, benefit_id: str) -> str | None:
        benefit = self.read.snap.benefits[benefit_id]
        if benefit.household_id is not None:
            return benefit.household_id
        person = self.read.snap.people.get(benefit.person_id or "")
        return person.household_id if person is not None else None
