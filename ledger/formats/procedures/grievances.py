"""Bodies of the FORMATS 1.3 types of one procedure.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from ledger.formats.fields import (
    Check,
    Rule,
    calendar_date,
    fail,
    join,
    label,
    obj,
    one_of,
    optional,
    uuid,
)
from ledger.formats.kinds import Kinds

TYPES: tuple[str, ...] = (
    "grievance.lodged",
    "grievance.assigned",
    "grievance.answered",
    "grievance.closed",
    "receipt.confirmed",
)
"""The types this module gives bodies to, as listed in ``versions.INTRODUCED``."""

SUBJECTS = ("payment", "list", "exclusion", "benefit", "other")
CHANNELS = ("in_person", "phone", "letter", "village_meeting", "email")
"""How a complaint reached an officer; one lodged on the public page is a ``receipt.confirmed``."""
CONFIRMATIONS = ("not_received", "wrong_amount", "received")
CLOSINGS = ("resolved", "unfounded", "withdrawn")
LIMIT_DAYS = 60
"""The longest time limit a due date may give, counted from the day a grievance is lodged.

Law on Complaints 2011 (Luật Khiếu nại số 02/2011/QH13), Article 28: a first
complaint is settled within 30 days of its acceptance, 45 for a complex
case; in remote areas with difficult travel, 45 and 60 days."""
DEFAULT_DAYS = 30
"""A complaint from the public page is due 30 days after it was made (Article 28, an
ordinary case); an approver may give it a later due date when assigning it."""

_CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}")


def _receipt_code(value: object, path: str) -> None:
    """A lookup code as printed (docs/formats.md section 9): not as typed, but as computed."""
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        fail(path, "must be a lookup code as printed, XXXXX-XXXXX (docs/formats.md section 9)")


RECEIPT_CODE = label(_receipt_code, "receipt_code")


def due_after(day: str, days: int = DEFAULT_DAYS) -> str:
    """The date ``days`` after ``day`` (``YYYY-MM-DD``)."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def late_due(due: str, lodged_on: str) -> str | None:
    """Why ``due`` cannot be the due date of a grievance lodged on ``lodged_on``, or None."""
    if due < lodged_on:
        return f"must not be before the day it was lodged ({lodged_on})"
    if due > due_after(lodged_on, LIMIT_DAYS):
        return (
            f"must be at most {LIMIT_DAYS} days after the day it was lodged ({lodged_on}): "
            "the longest time limit of the Law on Complaints 2011, Article 28"
        )
    return None


def _due(start: str) -> Rule:
    def check(body: dict[str, object], path: str) -> None:
        due, lodged_on = body.get("due"), body[start]
        if isinstance(due, str) and isinstance(lodged_on, str):
            problem = late_due(due, lodged_on)
            if problem is not None:
                fail(join(path, "due"), problem)

    return label(check, "rule", rule="not_before", fields=["due", start], days=LIMIT_DAYS)


def _code_of_a_payment(subject: dict[str, object], path: str) -> None:
    if "code" in subject and subject["kind"] != "payment":
        fail(join(path, "code"), "names a payroll line: only for a subject of kind payment")


label(_code_of_a_payment, "rule", rule="only_with", fields=["code", "kind"], value="payment")


def bodies(kinds: Kinds) -> Mapping[str, Check]:
    """The body of each type, with the field kinds of one version."""
    text, long_text = kinds.text, kinds.long_text
    subject = obj(
        {"kind": one_of(*SUBJECTS), "code": optional(RECEIPT_CODE), "id": optional(uuid)},
        _code_of_a_payment,
    )
    return {
        "grievance.lodged": obj(
            {
                "grievance_id": uuid,
                "subject": subject,
                "channel": one_of(*CHANNELS),
                "lodged_on": calendar_date,
                "due": calendar_date,
                "summary": text,
            },
            _due("lodged_on"),
        ),
        "grievance.assigned": obj(
            {"grievance_id": uuid, "to": kinds.holder_id, "due": optional(calendar_date)}
        ),
        "grievance.answered": obj(
            {"grievance_id": uuid, "answer": long_text, "answered_on": calendar_date}
        ),
        "grievance.closed": obj(
            {"grievance_id": uuid, "outcome": one_of(*CLOSINGS), "closed_on": calendar_date}
        ),
        "receipt.confirmed": obj(
            {
                "confirmation_id": uuid,
                "code": RECEIPT_CODE,
                "outcome": one_of(*CONFIRMATIONS),
                "confirmed_on": calendar_date,
            }
        ),
    }
