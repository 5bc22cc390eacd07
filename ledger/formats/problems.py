"""Every problem of a statement at once, in the words ``validate_statement`` uses.

``validate_statement`` stops at the first problem: acceptance needs no more,
and stopping is what keeps it fast. A person filling in a form, or a file
given to ``ansinh sign``, wants them all. :func:`problems` walks the same
validators (their labels say which are objects, with which fields and
rules, and which are sets: :func:`ledger.formats.fields.label`) and runs each
leaf check itself, so every problem is the ``InvalidField`` that
``validate_statement`` would raise for that field, and the first of them is
the one it raises. The rules across the fields of an object are checked
only once its fields are well formed, as there.
"""

from __future__ import annotations

from collections.abc import Callable

from ledger.errors import InvalidField
from ledger.formats.fields import OptionalField, facts_of, join, kind_of
from ledger.formats.schemas import (
    BODY_TYPES,
    body_schema,
    check_self_signed,
    statement_schema,
)

Check = Callable[[object, str], None]


def problems(statement: object, formats: str | None = None) -> list[InvalidField]:
    """All the problems of an (unsigned) statement ``{ledger, type, by, at, nonce, body}``.

    Empty when ``validate_statement(statement, formats)`` accepts it;
    otherwise its first element is what that raises. ``formats``: as there.
    """
    found: list[InvalidField] = []
    if not isinstance(statement, dict):
        return [InvalidField("statement", "must be an object")]
    # The statement's own fields; its body is checked by its type's schema below.
    _fields(statement_schema(formats), statement, "", found)
    statement_type = statement.get("type")
    if "body" in statement and isinstance(statement_type, str) and statement_type in BODY_TYPES:
        collect(body_schema(statement_type, formats), statement["body"], "body", found)
        if statement_type == "ledger.opened" and not found:
            try:
                check_self_signed(statement)
            except InvalidField as exc:
                found.append(exc)
    return found


def body_problems(
    statement_type: str, body: object, formats: str | None = None
) -> list[InvalidField]:
    """All the problems of a body of a known type (paths start with ``body.``)."""
    found: list[InvalidField] = []
    collect(body_schema(statement_type, formats), body, "body", found)
    return found


def collect(check: Check, value: object, path: str, found: list[InvalidField]) -> None:
    """Add to ``found`` every problem ``check`` finds in ``value``, the first one first."""
    kind = kind_of(check)
    if kind == "object" and isinstance(value, dict):
        before = len(found)
        _fields(check, value, path, found)
        if len(found) == before:  # the rules across fields need well-formed fields
            for rule in facts_of(check)["rules"]:
                try:
                    rule(value, path)
                except InvalidField as exc:
                    found.append(exc)
    elif kind == "set" and isinstance(value, list) and value:
        item: Check = facts_of(check)["item"]
        for i, element in enumerate(value):
            where = f"{path}[{i}]"
            try:
                item(element, where)
            except InvalidField as exc:
                found.append(exc)
                continue
            if element in value[:i]:
                found.append(InvalidField(where, "duplicate"))
    else:
        try:
            check(value, path)
        except InvalidField as exc:
            found.append(exc)


def _fields(check: Check, value: dict[str, object], path: str, found: list[InvalidField]) -> None:
    """The unknown and missing fields of an object, then the problems of each field."""
    schema = facts_of(check)["schema"]
    for key in value:
        if key not in schema:
            found.append(InvalidField(join(path, key), "unknown field"))
    for name, spec in schema.items():
        if not isinstance(spec, OptionalField) and name not in value:
            found.append(InvalidField(join(path, name), "missing"))
    for name, spec in schema.items():
        if name in value:
            field_check = spec.check if isinstance(spec, OptionalField) else spec
            collect(field_check, value[name], join(path, name), found)
