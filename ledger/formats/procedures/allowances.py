"""Bodies of the FORMATS 1.3 types of one procedure.

Allowance changes: standard levels, coefficients, suspension, resumption,
leaving the commune (docs/formats.md 11.2).
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.formats.fields import (
    Check,
    calendar_date,
    integer,
    month,
    obj,
    one_of,
    optional,
    uuid,
)
from ledger.formats.kinds import Kinds

TYPES: tuple[str, ...] = (
    "allowance.level.set",
    "benefit.change.proposed",
    "benefit.change.approved",
    "benefit.change.rejected",
    "person.left",
)
"""The types this module gives bodies to, as listed in ``versions.INTRODUCED``."""
CHANGE_KINDS = ("rebase", "suspend", "resume")
CATEGORIES = (  # a program's categories (schemas.CATEGORIES, which imports this module)
    "emergency_relief",
    "employment",
    "health_insurance",
    "meritorious",
    "other",
    "poverty",
    "social_protection",
    "tet_gift",
)
MAX_COEFFICIENT = 1000
"""The largest coefficient, in hundredths (10.0 times the standard level)."""
coefficient = integer(1, MAX_COEFFICIENT, "an integer number of hundredths (150 is 1.5)")


def bodies(kinds: Kinds) -> Mapping[str, Check]:
    """The body of each type, with the field kinds of one version."""
    decision = obj({"number": kinds.short_text, "date": calendar_date})
    return {
        "allowance.level.set": obj(
            {
                "category": one_of(*CATEGORIES),
                "effective": month,
                "amount": kinds.money,
                "legal_basis": kinds.short_text,
            }
        ),
        "benefit.change.proposed": obj(
            {
                "change_id": uuid,
                "benefit_id": uuid,
                "kind": one_of(*CHANGE_KINDS),
                "from": month,
                "coefficient": optional(coefficient),  # with kind rebase: checked by the ledger
                "reason": kinds.text,
            }
        ),
        "benefit.change.approved": obj(
            {"change_id": uuid, "benefit_id": uuid, "decision": decision}
        ),
        "benefit.change.rejected": obj(
            {"change_id": uuid, "benefit_id": uuid, "reason": kinds.text}
        ),
        "person.left": obj({"person_id": uuid, "date": calendar_date, "to": kinds.text}),
    }
