"""Naming an entity the way an inspector does: by its id, or by the codes the public
lists and reports print (a household ``CE-10-001``, a person ``CE-10-001/2``), as
``ansinh history`` does (:mod:`projections.reports.codes`)."""

from __future__ import annotations

from ledger.application import LedgerApplication
from ledger.errors import InvalidField
from projections import query
from projections.model import Snapshot
from projections.reports import codes


def entity_ids(ledger: LedgerApplication, given: str, field: str = "entity") -> list[str]:
    """The entity ids ``given`` names: itself when a statement names it; else what a
    household or person code stands for, as in its history (the household or person,
    their status proposals and benefits). Codes are compared without case and outer
    spaces."""
    value = given.strip()
    if not value:
        raise InvalidField(field, "give an entity id, a household code or a person code")
    if query.history(ledger, value):
        return [value]
    snap = query.snapshot(ledger)
    found = codes.resolve(snap, value) or _by_code_any_case(snap, value)
    if found is None:
        raise InvalidField(
            field, f"no statement names {given!r}, and no household or person has that code"
        )
    return codes.belonging(snap, *found)


def _by_code_any_case(snap: Snapshot, value: str) -> tuple[str, str] | None:
    """A household or person code typed in another case (``ce-10-001/2``)."""
    wanted = value.casefold()
    households = sorted(
        (h.index, h.household_id)
        for h in snap.households.values()
        if h.code.strip().casefold() == wanted
    )
    if households:
        return "household", households[0][1]
    for person_id, code in codes.person_codes(snap).items():
        if code.casefold() == wanted:
            return "person", person_id
    return None
