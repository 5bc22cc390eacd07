"""The catalog rows of the FORMATS 1.3 types, one module per procedure.

docs/formats.md section 11.
"""

from __future__ import annotations

from ledger.domain.procedures import agents, allowances, grievances, reviews
from ledger.domain.rows import StatementType

ROWS: list[tuple[str, StatementType]] = [
    *allowances.ROWS,
    *agents.ROWS,
    *reviews.ROWS,
    *grievances.ROWS,
]
