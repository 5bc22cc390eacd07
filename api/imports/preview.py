"""``parse``: a spreadsheet read against the ledger, as the statements to sign and the problems.

Nothing is recorded here. The preview lists, row by row, the statements a
row asks for (with their vault records) or its problems; the officer's
client signs every statement (in row order) and submits them as one batch,
only if no row is bad. Each new entity has a fresh lowercase UUID.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.imports import cells
from api.imports.deaths import death_row
from api.imports.facts import Facts
from api.imports.layouts import LAYOUTS, Layout
from api.imports.messages import ImportRefused
from api.imports.payments import payment_row
from api.imports.rows import Row, benefit_row, household_row, person_row
from api.imports.settlements import SETTLEMENT, settlement_row
from api.imports.sheets import format_of, read_sheet
from api.reading import Read

BUILDERS: dict[str, Callable[[Row], None]] = {
    "households": household_row,
    "persons": person_row,
    "benefits": benefit_row,
    "payroll": payment_row,
    "deaths": death_row,
    "settlement": settlement_row,
}
LANGS = ("vi", "en")


@dataclass(frozen=True)
class Preview:
    layout: Layout
    month: str | None
    vault_checked: bool
    rows: list[Row]  # every row read but the skipped ones, in sheet order
    read_rows: int
    skipped: int  # rows left out, and rows shown with only notes (a death list's unknown ids)

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def statements(self) -> list[tuple[Row, str, dict[str, Any]]]:
        return [(r, t, b) for r in self.rows for t, b in r.statements]

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"layout": self.layout.name}
        if self.month is not None:
            doc["month"] = self.month
        doc["vault_checked"] = self.vault_checked
        doc["rows"] = [row_json(r) for r in self.rows]
        doc["summary"] = {
            "rows": self.read_rows,
            "bad_rows": len(self.bad_rows),
            "skipped": self.skipped,
            "statements": len(self.statements),
            "notes": sum(len(r.notes) for r in self.rows),
        }
        return doc


def row_json(row: Row) -> dict[str, Any]:
    doc = {
        "row": row.number,
        "cells": {row.headers[k]: cells.text(v) for k, v in row.values.items()},
        "statements": [{"type": t, "body": b} for t, b in row.statements],
        "vault": [v.to_json() for v in row.vault],
        "errors": row.errors,
        "notes": row.notes,
    }
    if row.shown is not None:
        doc["death"] = row.shown
    return doc


def layout_of(name: str, lang: str = "vi") -> Layout:
    layout = LAYOUTS.get(name) or (SETTLEMENT if name == SETTLEMENT.name else None)
    if layout is None:
        raise ImportRefused(
            "UNKNOWN_LAYOUT",
            lang,
            field="layout",
            value=name,
            known=", ".join([*LAYOUTS, SETTLEMENT.name]),
        )
    return layout


def parse(
    layout: str,
    data: bytes,
    filename_or_format: str,
    read: Read,
    month: str | None = None,
    lang: str = "vi",
) -> Preview:
    """Read ``data`` (XLSX or CSV) as the list ``layout`` and check every row against ``read``.

    ``month``: the payroll's month (``YYYY-MM``; else a ``Tháng: mm/yyyy`` cell
    above the header). A file that is not such a list is refused whole
    (:class:`~api.imports.messages.ImportRefused`); a bad row is reported
    with the others, by its row number in the sheet.
    """
    lang = lang if lang in LANGS else "vi"
    chosen = layout_of(layout, lang)
    if month is not None:
        try:
            month = cells.month(month)
        except cells.BadCell:
            raise ImportRefused(
                "BAD_MONTH", lang, field="month", column="month", value=month
            ) from None
    sheet = read_sheet(data, format_of(filename_or_format, lang), chosen, lang)
    month = month or sheet.title_month
    if chosen.name in ("payroll", "settlement") and month is None:
        raise ImportRefused("MISSING_MONTH", lang, field="month")
    facts = Facts.of(read, lang, month)
    facts.file_sha256 = hashlib.sha256(data).hexdigest()
    build = BUILDERS[chosen.name]
    headers = {key: written for key, (_, written) in sheet.columns.items()}
    places = [(key, position) for key, (position, _) in sheet.columns.items()]
    rows, skipped, ignored = [], 0, 0
    for number, cells_ in sheet.rows:
        values = {k: cells_[p] if p < len(cells_) else None for k, p in places}
        row = Row(number, chosen, values, headers, facts)
        build(row)
        if row.ignored:
            ignored += 1
        elif row.skipped:
            skipped += 1
        else:
            rows.append(row)
            skipped += not row.statements and not row.errors
    if chosen.name == "persons":
        facts.person_with_id_number("")  # the vault is read for the duplicates' check
    checked = facts.vault_checked is not False
    return Preview(chosen, month, checked, rows, len(sheet.rows) - ignored, skipped)
