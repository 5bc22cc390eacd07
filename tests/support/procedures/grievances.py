"""The independent verifier's checks for one FORMATS 1.3 procedure, from docs/formats.md alone.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5).
Standard library only, like ``tests/ledger/audit/independent.py`` which calls
:func:`check` for every entry after its signature, version and role checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ROLES: dict[str, str] = {}
"""The role each type of this procedure needs."""


def check(
    kind: str,
    body: dict[str, Any],
    holder: str,
    state: dict[str, Any],
    need: Callable[[bool, str], None],
) -> None:
    """Check one entry of ``kind`` against ``state`` (this procedure's own, kept across entries)."""
