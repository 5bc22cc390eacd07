"""The independent verifier's checks for one FORMATS 1.3 procedure, from docs/formats.md alone.

Paying agents: lists sent before the 25th, the agent's settlement, money
returned (docs/formats.md 11.3).
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
