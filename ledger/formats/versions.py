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
V1_2 = "1.2"
V1_3 = "1.3"
VERSIONS = (V1, V1_1, V1_2, V1_3)
"""Every version, oldest first (a ledger only ever moves up this order)."""
ADOPTABLE = (V1_2, V1_3)
"""What ``ledger.formats.adopted`` may adopt (``ledger.opened`` declares only 1.1)."""
ACCEPTING = V1_1
"""The rules a statement is accepted under, at every entry point, in every ledger.

1.2 keeps the 1.1 rules of text, holder ids, money and envelopes; it only
adds statement types (``INTRODUCED``)."""
TYPES_1_3: dict[str, tuple[str, ...]] = {
    # One entry per procedure (docs/formats.md section 11), in the order of its subsections.
    "allowances": (
        "allowance.level.set",
        "benefit.change.proposed",
        "benefit.change.approved",
        "benefit.change.rejected",
        "person.left",
    ),
    "agents": ("payroll.sent", "payroll.settled", "payroll.settlement.recorded", "agent.refunded"),
    "reviews": (
        "review.opened",
        "household.assessed",
        "village.meeting.held",
        "assessment.voted",
        "review.posted",
        "objection.lodged",
        "objection.answered",
        "review.recognized",
    ),
    "grievances": (
        "grievance.lodged",
        "grievance.assigned",
        "grievance.answered",
        "grievance.closed",
        "receipt.confirmed",
    ),
}
"""The types FORMATS 1.3 adds, by procedure (each module of ``ledger.formats.procedures``)."""
INTRODUCED = {
    "ledger.formats.adopted": V1_1,
    "identity.reviewed": V1_2,
    **{kind: V1_3 for kinds in TYPES_1_3.values() for kind in kinds},
}
"""The types a version added, and the version: only a ledger following it may record them.

``ledger.formats.adopted`` is itself a 1.1-valid statement in a 1.1 ledger:
it is how a 1.1 ledger moves to 1.2 (docs/formats.md, section 10)."""
ROLES_INTRODUCED = {"agent": V1_3, "intake": V1_3}
"""Roles a version added: a key may be registered with one only in a ledger following it."""

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer JCS writes exactly (RFC 8785 numbers are IEEE doubles)."""
MAX_AMOUNT_VND = 10**12
"""The most one statement may move (FORMATS 1.1: 0 <= amount <= 10^12 đồng)."""


def declared(opened_body: dict[str, Any]) -> str:
    """The version a ``ledger.opened`` body declares: ``formats``, or v1 without it."""
    version = opened_body.get("formats", V1)
    assert version in VERSIONS, version  # the schema admits no other
    return str(version)


def at_least(version: str, wanted: str) -> bool:
    """Whether a ledger following ``version`` follows ``wanted`` too (both in ``VERSIONS``)."""
    return VERSIONS.index(version) >= VERSIONS.index(wanted)


def exact_json(value: Any) -> Any:
    """``value`` with every integer beyond 2^53 - 1 (either sign) as a decimal string.

    Sums over statements may exceed what a JSON number carries exactly; any
    JSON that carries one writes it this way (FORMATS 1.1), so that RFC 8785
    stays exact and a reader's doubles never round a total. Smaller integers,
    and everything else, are kept as they are; the structure is copied only
    where something changed.
    """
    if type(value) is int:
        return str(value) if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER else value
    if isinstance(value, dict):
        changed = {k: exact_json(v) for k, v in value.items()}
        return changed if any(changed[k] is not value[k] for k in value) else value
    if isinstance(value, list | tuple):
        items = [exact_json(v) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value
