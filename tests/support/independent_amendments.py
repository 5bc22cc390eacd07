"""The FORMATS 1.1 amendments, written from docs/formats.md alone, for the independent verifier.

Standard library only: nothing from ``ledger`` or ``api``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# docs/formats.md §2: the text fields of each type, as paths into the body.
TEXT_FIELDS = {
    "ledger.opened": ["name"],
    "key.registered": ["holder.name"],
    "key.revoked": ["reason"],
    "household.registered": ["code", "village"],
    "household.status.proposed": ["basis.note"],
    "household.status.approved": ["decision.number"],
    "benefit.approved": ["decision.number"],
    "household.status.rejected": ["reason"],
    "benefit.rejected": ["reason"],
    "benefit.ended": ["reason"],
    "payment.reversed": ["reason"],
    "program.defined": ["code", "name"],
    "fund.received": ["source", "reference"],
    "fund.returned": ["reference"],
    "benefit.proposed": ["basis"],
    "inspection.attested": ["scope", "findings"],
    "identity.reviewed": ["basis", "decision.number"],  # §10.3
}
MONEY_FIELDS = ["amount", "basis.income_per_capita_month"]
HOLDER_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
FILLERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"a JSON object repeats a key of {sorted(keys)}")
    return dict(pairs)


def broken_amendment(statement: dict[str, Any], signatures: list[Any]) -> str | None:
    """The first FORMATS 1.1 rule (docs/formats.md §2-5) an entry breaks, if any."""
    body = statement["body"]

    def at(path: str) -> Any:
        value: Any = body
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value

    if len(signatures) != 1:
        return "signatures: not exactly one"
    for path in TEXT_FIELDS.get(statement["type"], []):
        text = at(path)
        if text is None:
            continue
        if unicodedata.normalize("NFC", text) != text:
            return f"body.{path}: not NFC"
        if any(unicodedata.category(c) in HIDDEN for c in text):
            return f"body.{path}: a character that does not show"
        if not any(unicodedata.category(c)[0] in "LN" and c not in FILLERS for c in text):
            return f"body.{path}: no letter or digit"
    if statement["type"] == "key.registered" and not HOLDER_ID.fullmatch(body["holder"]["id"]):
        return "body.holder.id: not a holder id"
    for path in MONEY_FIELDS:
        amount = at(path)
        if amount is not None and amount > 10**12:
            return f"body.{path}: beyond 10^12"
    return None
