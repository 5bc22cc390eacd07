"""The ledger's rules and aggregates for one FORMATS 1.3 procedure.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5).
"""

from __future__ import annotations

from ledger.domain.rows import StatementType

ROWS: list[tuple[str, StatementType]] = []
"""Catalog rows of this procedure's types (:mod:`ledger.domain.catalog`)."""
