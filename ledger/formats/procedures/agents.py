"""Bodies of the FORMATS 1.3 types of one procedure.

Paying agents: lists sent before the 25th, the agent's settlement, money
returned (docs/formats.md 11.3).
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.formats.fields import (
    Check,
    OptionalField,
    calendar_date,
    integer,
    month,
    obj,
    one_of,
    optional,
    sha256_hex,
    uuid,
)
from ledger.formats.kinds import Kinds

TYPES: tuple[str, ...] = (
    "payroll.sent",
    "payroll.settled",
    "payroll.settlement.recorded",
    "agent.refunded",
)
"""The types this module gives bodies to, as listed in ``versions.INTRODUCED``."""

OUTCOMES = ("not_paid", "paid", "returned")
"""What the agent says of one line: paid to the beneficiary, not paid, or paid and returned."""
MAX_LINES = 100_000
"""The most lines one list may hold (a commune's month is a few thousand)."""


def _line(kinds: Kinds, **more: Check | OptionalField) -> Check:
    """One line of a settlement: the agent's word on one benefit of one list."""
    return obj(
        {
            "sending_id": uuid,
            "benefit_id": uuid,
            "amount": kinds.money,
            "outcome": one_of(*OUTCOMES),
            "paid_on": optional(calendar_date),
            "reason": optional(kinds.text),
            **more,
        }
    )


def bodies(kinds: Kinds) -> Mapping[str, Check]:
    """The body of each type, with the field kinds of one version."""
    return {
        "payroll.sent": obj(
            {
                "sending_id": uuid,
                "agent": kinds.holder_id,
                "month": month,
                "sent_on": calendar_date,
                "lines": integer(1, MAX_LINES, "a number of lines"),
                "total": kinds.money,
                "list_sha256": sha256_hex,
            }
        ),
        "payroll.settled": _line(kinds, source=optional(sha256_hex)),
        "payroll.settlement.recorded": _line(kinds, source=sha256_hex),
        "agent.refunded": obj(
            {
                "refund_id": uuid,
                "sending_id": uuid,
                "amount": kinds.money,
                "date": calendar_date,
                "reference": kinds.short_text,
            }
        ),
    }
