"""The versions of FORMATS a ledger follows (docs/formats.md), and the bounds they set.

A ledger whose ``ledger.opened`` body says ``"formats": "1.1"`` is held to
the 1.1 amendments in every entry; one that says nothing is a v1 ledger, and
a verifier reports its entries that break them as warnings. New statements
are accepted under the 1.1 rules whatever the ledger declares (``ACCEPTING``).
"""

from __future__ import annotations

from typing import Any

V1 = "1"
V1_1 = "1.1"
VERSIONS = (V1, V1_1)
ACCEPTING = V1_1
"""The rules a statement is accepted under, at every entry point, in every ledger."""

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer JCS writes exactly (RFC 8785 numbers are IEEE doubles)."""
MAX_AMOUNT_VND = 10**12
"""The most one statement may move (FORMATS 1.1: 0 <= amount <= 10^12 đồng)."""


def declared(opened_body: dict[str, Any]) -> str:
    """The version a ``ledger.opened`` body declares: ``formats``, or v1 without it."""
    version = opened_body.get("formats", V1)
    assert version in VERSIONS, version  # the schema admits no other
    return str(version)

