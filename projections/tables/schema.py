"""The read models' tables, and the rows one page of entries adds to and changes in them.

Each read model (``MODELS``) owns a few ``proj_`` tables. Every row carries
``idx``, the index of the entry that created it, and one ``*_idx`` column for
each later change (``UPDATES``), so the tables answer for any past log size.
A :class:`Page` gathers what a run of entries writes, in ``COLUMNS`` order,
for the store to write in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# table -> (column declarations, unique key); "INT" is INTEGER or BIGINT by backend.
# Every row but a history row is made by one entry, so ``idx`` is its primary
# key: rows are appended in key order. The entity's own id has a unique index.
TABLES: dict[str, tuple[str, str]] = {
    "proj_ledger": ("idx INT, ledger_id TEXT NOT NULL, name TEXT NOT NULL", "idx"),
    "proj_holders": (
        "key_id TEXT, holder_id TEXT NOT NULL, holder_name TEXT NOT NULL, idx INT NOT NULL",
        "key_id",
    ),
    "proj_households": (
        "household_id TEXT, code TEXT NOT NULL, village TEXT NOT NULL, idx INT NOT NULL",
        "household_id",
    ),
    "proj_people": (
        "person_id TEXT, relation TEXT NOT NULL, sex TEXT NOT NULL, birth_year INT NOT NULL, "
        "idx INT NOT NULL, died_on TEXT, died_idx INT",
        "person_id",
    ),
    "proj_person_moves": ("person_id TEXT NOT NULL, idx INT, household_id TEXT NOT NULL", "idx"),
    "proj_person_pii": ("person_id TEXT NOT NULL, idx INT, pii TEXT NOT NULL", "idx"),
    "proj_proposals": (
        "proposal_id TEXT, household_id TEXT NOT NULL, status TEXT NOT NULL, "
        "effective TEXT NOT NULL, proposed_by TEXT NOT NULL, idx INT NOT NULL, "
        "state TEXT NOT NULL, decided_by TEXT, decision_number TEXT, decision_date TEXT, "
        "decided_idx INT, reason TEXT",
        "proposal_id",
    ),
    "proj_programs": (
        "program_id TEXT, code TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL, "
        "kind TEXT NOT NULL, idx INT NOT NULL",
        "program_id",
    ),
    "proj_benefits": (
        "benefit_id TEXT, program_id TEXT NOT NULL, person_id TEXT, household_id TEXT, "
        "amount INT NOT NULL, start_month TEXT NOT NULL, end_month TEXT, basis TEXT NOT NULL, "
        "proposed_by TEXT NOT NULL, idx INT NOT NULL, state TEXT NOT NULL, approved_by TEXT, "
        "decision_number TEXT, decision_date TEXT, approved_idx INT, rejected_idx INT, "
        "rejected_reason TEXT, last_month TEXT, ended_idx INT, ended_reason TEXT",
        "benefit_id",
    ),
    "proj_payments": (
        "payment_id TEXT, benefit_id TEXT NOT NULL, month TEXT, amount INT NOT NULL, "
        "paid_on TEXT NOT NULL, method TEXT NOT NULL, recipient TEXT NOT NULL, "
        "receipt_kind TEXT NOT NULL, recorded_by TEXT NOT NULL, idx INT NOT NULL, "
        "reversed_idx INT, reversal_reason TEXT",
        "payment_id",
    ),
    "proj_funds": (
        "movement_id TEXT, program_id TEXT NOT NULL, kind TEXT NOT NULL, amount INT NOT NULL, "
        "moved_on TEXT NOT NULL, source TEXT, reference TEXT NOT NULL, idx INT NOT NULL",
        "movement_id",
    ),
    "proj_levels": (
        "category TEXT NOT NULL, effective TEXT NOT NULL, amount INT NOT NULL, "
        "legal_basis TEXT NOT NULL, idx INT",
        "category, effective",
    ),
    "proj_changes": (
        "change_id TEXT, benefit_id TEXT NOT NULL, kind TEXT NOT NULL, from_month TEXT NOT NULL, "
        "coefficient INT, reason TEXT NOT NULL, proposed_by TEXT NOT NULL, idx INT NOT NULL, "
        "state TEXT NOT NULL, decided_by TEXT, decision_number TEXT, decision_date TEXT, "
        "decided_idx INT, rejected_reason TEXT",
        "change_id",
    ),
    "proj_departures": (
        "person_id TEXT, left_on TEXT NOT NULL, moved_to TEXT NOT NULL, idx INT NOT NULL",
        "person_id",
    ),
    "proj_entry_meta": (
        "idx INT, recorded_at TEXT NOT NULL, type TEXT NOT NULL, holder TEXT NOT NULL",
        "idx",
    ),
    "proj_entity_history": ("entity_id TEXT NOT NULL, idx INT NOT NULL", "entity_id, idx"),
}
MODELS: dict[str, tuple[str, ...]] = {
    "holders": ("proj_ledger", "proj_holders"),
    "households": ("proj_households",),
    "people": ("proj_people", "proj_person_moves", "proj_person_pii"),
    "proposals": ("proj_proposals",),
    "programs": ("proj_programs",),
    "benefits": ("proj_benefits",),
    "payments": ("proj_payments",),
    "funds": ("proj_funds",),
    "allowances": ("proj_levels", "proj_changes", "proj_departures"),
    "entries": ("proj_entry_meta",),
    "history": ("proj_entity_history",),
}
COLUMNS = {t: tuple(c.split()[0] for c in decl.split(", ")) for t, (decl, _) in TABLES.items()}
# Changes to rows written by earlier pages, in the order a page applies them
# (a benefit is approved before it ends): kind -> (table, columns set, key).
UPDATES: dict[str, tuple[str, tuple[str, ...], str]] = {
    kind: (table, tuple(columns.split()), key)
    for kind, table, columns, key in [
        ("person_died", "proj_people", "died_on died_idx", "person_id"),
        (
            "proposal_decided",
            "proj_proposals",
            "state decided_by decision_number decision_date decided_idx reason",
            "proposal_id",
        ),
        (
            "benefit_approved",
            "proj_benefits",
            "state approved_by decision_number decision_date approved_idx",
            "benefit_id",
        ),
        ("benefit_rejected", "proj_benefits", "state rejected_idx rejected_reason", "benefit_id"),
        ("benefit_ended", "proj_benefits", "state last_month ended_idx ended_reason", "benefit_id"),
        ("payment_reversed", "proj_payments", "reversed_idx reversal_reason", "payment_id"),
        (
            "change_decided",
            "proj_changes",
            "state decided_by decision_number decision_date decided_idx rejected_reason",
            "change_id",
        ),
    ]
}
CHANGING = {table: key for table, _, key in UPDATES.values()}
HISTORY = "proj_entity_history"
# Unique indexes that a rebuild drops and builds once at the end (sorting
# beats inserting keys in random order); tables that entries change keep
# theirs, to find the rows they change.
LATE_KEYS = [t for t, (_, key) in TABLES.items() if key != "idx" and t not in CHANGING]
_POSITIONS = {k: tuple(map(COLUMNS[t].index, cols)) for k, (t, cols, _) in UPDATES.items()}


def tracking_name(application: str, model: str) -> str:
    """The application name a read model's tracking position is kept under."""
    return f"{application}/proj/{model}"


class Page:
    """The rows one page of entries adds and changes, and where each model gets to.

    Rows are in ``COLUMNS`` order; those of tables that later entries change
    are lists with their key first, changed in place while the page is built.
    """

    def __init__(self) -> None:
        self.inserts: dict[str, list[Sequence[Any]]] = {table: [] for table in TABLES}
        self.updates: dict[str, list[tuple[Any, ...]]] = {kind: [] for kind in UPDATES}
        # model -> (entries seen before the page, entries after it, last notification id)
        self.advanced: dict[str, tuple[int, int, int]] = {}
        self._pending: dict[str, dict[Any, list[Any]]] = {t: {} for t in CHANGING}

    def append(self, table: str, row: Sequence[Any]) -> None:
        self.inserts[table].append(row)

    def add(self, table: str, row: list[Any]) -> None:
        """A row that later entries of the page may change."""
        self.inserts[table].append(row)
        self._pending[table][row[0]] = row

    def change(self, kind: str, key: Any, *values: Any) -> None:
        """Change a row: in place if this page adds it, else by an UPDATE."""
        row = self._pending[UPDATES[kind][0]].get(key)
        if row is None:
            self.updates[kind].append((*values, key))
            return
        for position, value in zip(_POSITIONS[kind], values, strict=True):
            row[position] = value
