"""Naming an entity the way an inspector does: by its id, or a household by its code."""

from __future__ import annotations

from ledger.application import LedgerApplication
from ledger.errors import InvalidField
from projections import query


def entity_ids(ledger: LedgerApplication, given: str, field: str = "entity") -> list[str]:
    """The entity ids ``given`` names: itself when a statement names it, else the
    household whose code it is (codes are compared without case and outer spaces)."""
    value = given.strip()
    if not value:
        raise InvalidField(field, "give an entity id or a household code")
    if query.history(ledger, value):
        return [value]
    wanted = value.casefold()
    found = [
        h.household_id
        for h in query.snapshot(ledger).households.values()
        if h.code.strip().casefold() == wanted
    ]
    if not found:
        raise InvalidField(field, f"no statement names {given!r}, and no household has that code")
    return found
