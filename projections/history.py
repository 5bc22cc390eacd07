"""Every statement that names an entity, from the ``proj_entity_history`` table.

The table holds (entity id, entry index) for each id a statement's body
names (:func:`named_ids`), so an entity's history is one indexed query and a
read of just those entries, however long the log. What is shown of each
statement is read back from the log itself: the signed body, not a copy.
"""

from __future__ import annotations

from typing import Any

from ledger.application import LedgerApplication
from ledger.domain.base import read_statement

# (index, recorded_at, type, holder id of the signing key, body)
HistoryItem = tuple[int, str, str, str, dict[str, Any]]


def history(ledger: LedgerApplication, entity_id: str) -> list[HistoryItem]:
    """The statements naming ``entity_id`` (a household, person, benefit, key ...), in log order."""
    from projections.query import projections  # (the runner imports named_ids from here)

    tables = projections(ledger)
    tables.catch_up()
    rows = tables.store.history_rows(entity_id)
    bodies = _bodies(ledger, [row[0] for row in rows])
    return [(*row, bodies[row[0]]) for row in rows]


def _bodies(ledger: LedgerApplication, indexes: list[int]) -> dict[int, dict[str, Any]]:
    """The statement bodies of these entries, read in runs of consecutive indexes."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][1]:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1])
    found: dict[int, dict[str, Any]] = {}
    for start, end in runs:
        for entry in ledger.entries(start, end):
            found[entry.index] = read_statement(entry.envelope)["body"]
    assert len(found) == len(set(indexes)), "every indexed entry is in the log"
    return found


def named_ids(kind: str, body: dict[str, Any]) -> list[str]:
    """Every id a statement's body names (its ``id``, ``*_id`` and ``recipient`` fields), once."""
    fields = ID_FIELDS.get(kind)
    if fields is None:
        found: dict[str, None] = {}
        _walk(body, found)
        return list(found)
    ids = []
    for field in fields:
        value = body.get(field) if type(field) is str else body.get(field[0], {}).get(field[1])
        if value is not None and value not in ids:
            ids.append(value)
    return ids


def _walk(value: Any, found: dict[str, None]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                if key == "id" or key.endswith("_id") or key == "recipient":
                    found[item] = None
            else:
                _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)


# Where each statement type names ids (FORMATS §6; the ledger refuses unknown
# body fields). A test holds this to the generic walk above.
ID_FIELDS: dict[str, tuple[str | tuple[str, str], ...]] = {
    "ledger.opened": (("authority_key", "id"),),
    "key.registered": (("key", "id"), ("holder", "id")),
    "key.revoked": ("key_id",),
    "household.registered": ("household_id",),
    "person.registered": ("person_id", "household_id"),
    "person.pii.updated": ("person_id",),
    "person.moved": ("person_id", "household_id"),
    "person.died": ("person_id",),
    "household.status.proposed": ("proposal_id", "household_id"),
    "household.status.approved": ("proposal_id",),
    "household.status.rejected": ("proposal_id",),
    "program.defined": ("program_id",),
    "fund.received": ("receipt_id", "program_id"),
    "fund.returned": ("return_id", "program_id"),
    "benefit.proposed": ("benefit_id", "program_id", "person_id", "household_id"),
    "benefit.approved": ("benefit_id",),
    "benefit.rejected": ("benefit_id",),
    "benefit.ended": ("benefit_id",),
    "payment.recorded": ("payment_id", "benefit_id", "recipient"),
    "payment.reversed": ("payment_id",),
    "inspection.attested": (),
}
