"""The kinds of field whose rules a version of FORMATS sets (text, holder ids, money)."""

from __future__ import annotations

from dataclasses import dataclass

from ledger.formats.fields import Check


@dataclass(frozen=True)
class Kinds:
    """The kinds of field whose rules a version of FORMATS sets."""

    short_text: Check  # codes, decision numbers, references
    text: Check  # names, villages, reasons, notes, sources, scopes
    long_text: Check  # an inspection's findings
    holder_id: Check
    money: Check
