"""The body of each statement type, described for forms, read from the schemas themselves.

:func:`describe` walks the validators of :mod:`ledger.formats.schemas` by
their labels (:func:`ledger.formats.fields.label`), so the description
cannot drift from what the ledger checks: each field is
``{path, kind, optional}`` with the facts that bound it (``max_chars``,
``min``, ``max``, ``values``, ``pattern``) and an ``example`` that the
schema accepts. The rules across fields are listed per type. What the
ledger knows beyond the shape (roles, ids) is added by ``ledger.drafts``.

:func:`example_body` builds a valid body from the examples; :func:`template`
a body to fill in (fresh ids, today's date, ``null`` where only a person
can say). :func:`unknown_type` refuses a type, naming the nearest ones.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from ledger.errors import InvalidField
from ledger.formats.fields import OptionalField, facts_of, join, kind_of
from ledger.formats.schemas import BODY_TYPES, TYPES_IN_ORDER, body_schema

Check = Callable[[object, str], None]
Field = dict[str, Any]

# The facts a form may use, as the labels name them.
_FACTS = ("max_chars", "min", "max", "values", "pattern", "chars")
_EXAMPLE_UUID = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c01"
# One acceptable value of each kind that is not bounded by its facts.
_EXAMPLES: dict[str, Any] = {
    "uuid": _EXAMPLE_UUID,
    "date": "2022-01-10",
    "month": "2022-01",
    "timestamp": "2022-01-10T02:15:00Z",
    "sha256_hex": "ab" * 32,
    "key_id": "ab" * 32,
    "nonce": "ab" * 16,
    "base64_32": "A" * 43 + "=",
    "holder_id": "officer-1",
    "ledger_id": "ansinh.vn/son-la/song-ma/chieng-en",
    "timezone": "Asia/Ho_Chi_Minh",
    "receipt_code": "7QX3M-0D9KA",  # a lookup code (docs/formats.md section 9)
}
_OTHER_UUID = "6a09e667-f3bc-4c90-8b56-bb67ae8584ca"  # where a rule wants two different ids
# The kinds a template fills in with today (ids: fresh; enums: the first value; else null).
_TODAY = {"date": "%Y-%m-%d", "month": "%Y-%m", "timestamp": "%Y-%m-%dT00:00:00Z"}


def describe(formats: str | None = None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Each statement type's body: ``{type: {"fields": [...], "rules": [...]}}`` (JSON-able).

    Types in the order FORMATS §6 lists them; fields in the order of their
    schema, an object's own fields right after it (``decision``,
    ``decision.number``, ``decision.date``). A rule is ``{"rule", "fields"}``:
    ``exactly_one_of`` (name one of these optional fields, not both),
    ``not_before`` (the first, when given, is not before the second),
    ``sha256_of`` (the first is the SHA-256 of the second, decoded).
    """
    return {t: describe_type(t, formats) for t in TYPES_IN_ORDER}


def describe_type(statement_type: str, formats: str | None = None) -> dict[str, list[Field]]:
    """One type's body, as :func:`describe` gives it (``KeyError`` for an unknown type)."""
    fields: list[Field] = []
    rules: list[Field] = []
    _walk(body_schema(statement_type, formats), "", fields, rules)
    return {"fields": fields, "rules": rules}


def _walk(check: Check, prefix: str, fields: list[Field], rules: list[Field]) -> None:
    facts = facts_of(check)
    for name, spec in facts["schema"].items():
        optional = isinstance(spec, OptionalField)
        field_check = spec.check if isinstance(spec, OptionalField) else spec
        path = join(prefix, name)
        kind = kind_of(field_check)
        bounds = facts_of(field_check)
        field: Field = {"path": path, "kind": kind, "optional": optional}
        field.update({fact: bounds[fact] for fact in _FACTS if fact in bounds})
        fields.append(field)
        if kind == "object":
            _walk(field_check, path, fields, rules)
        else:
            field["example"] = _example(kind, bounds, name)
    for rule in facts["rules"]:
        about = facts_of(rule)
        rules.append({"rule": about["rule"], "fields": [join(prefix, f) for f in about["fields"]]})


def _example(kind: str, bounds: dict[str, Any], name: str) -> Any:
    if kind == "uuid" and name.startswith("other_"):
        return _OTHER_UUID
    if kind in _EXAMPLES:
        return _EXAMPLES[kind]
    if kind in ("money", "integer"):
        return min(max(bounds["min"], 100_000 if kind == "money" else 0), bounds["max"])
    if kind == "enum":
        return bounds["values"][0]
    if kind == "set":
        return bounds["values"][:1]
    if kind in ("text", "short_text", "long_text"):
        return name.replace("_", " ")
    raise AssertionError(f"no example of a field of kind {kind!r} ({name})")


def example_body(statement_type: str, formats: str | None = None) -> dict[str, Any]:
    """A body of the type made of the examples its description gives: the schema accepts it."""
    return _build(describe_type(statement_type, formats), lambda field: field["example"])


def template(
    statement_type: str, today: date, new_id: Callable[[], str], formats: str | None = None
) -> dict[str, Any]:
    """A body to fill in: fresh ids, ``today``'s date or month, enums' first value; else null."""

    def value_of(field: Field) -> Any:
        kind = field["kind"]
        if kind == "uuid":
            return new_id()
        if kind in _TODAY:
            return today.strftime(_TODAY[kind])
        if kind in ("enum", "set"):
            return field["example"]
        return None

    return _build(describe_type(statement_type, formats), value_of)


def _build(description: dict[str, list[Field]], value_of: Callable[[Field], Any]) -> dict[str, Any]:
    """A body with every field of the description (one of each ``exactly_one_of``)."""
    left_out = {
        f for r in description["rules"] if r["rule"] == "exactly_one_of" for f in r["fields"][1:]
    }
    body: dict[str, Any] = {}
    for field in description["fields"]:
        path = field["path"]
        if path in left_out:
            continue
        *parents, name = path.split(".")
        holder = body
        for parent in parents:
            holder = holder[parent]
        holder[name] = {} if field["kind"] == "object" else value_of(field)
    for rule in description["rules"]:
        if rule["rule"] == "sha256_of":
            target, source = (_locate(body, path) for path in rule["fields"])
            raw = source[0][source[1]]
            if isinstance(raw, str):
                target[0][target[1]] = hashlib.sha256(base64.b64decode(raw)).hexdigest()
    return body


def _locate(body: dict[str, Any], path: str) -> tuple[dict[str, Any], str]:
    *parents, name = path.split(".")
    for parent in parents:
        body = body[parent]
    return body, name


def unknown_type(statement_type: object) -> InvalidField:
    """The refusal of a type the ledger does not know, naming the nearest ones."""
    named = statement_type if isinstance(statement_type, str) else ""
    scored = [(difflib.SequenceMatcher(None, named, t).ratio(), t) for t in TYPES_IN_ORDER]
    best = max(score for score, _ in scored)
    # The nearest, and any as near as it: a typo names one type, a stem several.
    near = [t for score, t in scored if score >= max(0.6, best - 0.05)]
    if near:
        hint = "did you mean " + " or ".join(near) + "?"
    else:
        hint = "the types are " + ", ".join(TYPES_IN_ORDER)
    return InvalidField("type", f"unknown statement type {statement_type!r}; {hint}")


def check_type(statement_type: object) -> str:
    """``statement_type``, if the ledger knows it; else :func:`unknown_type` is raised."""
    if not isinstance(statement_type, str) or statement_type not in BODY_TYPES:
        raise unknown_type(statement_type)
    return statement_type
