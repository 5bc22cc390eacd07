"""The ledger's rules and aggregates for one FORMATS 1.3 procedure.

Paying agents: lists sent before the 25th, the agent's settlement, money
returned (docs/formats.md 11.3).
"""

from __future__ import annotations

from ledger.domain.rows import StatementType

ROWS: list[tuple[str, StatementType]] = []
"""Catalog rows of this procedure's types (:mod:`ledger.domain.catalog`)."""
