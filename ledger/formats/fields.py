"""Small validators for the fields of a decoded statement (FORMATS §2, §6).

A validator is a function ``check(value, path)`` that returns nothing when
``value`` is acceptable and raises ``InvalidField(path, problem)`` otherwise;
``path`` is the dotted location of the value (``body.decision.date``,
``body.roles[1]``). Factories such as ``text(500)`` or ``one_of(...)`` build
validators, and ``obj({...})`` combines them into the validator of an object,
so a statement's schema reads as a table. Values come from ``json.loads``;
anything else (floats, booleans where numbers are expected, non-string keys)
is refused with the same error.

Some kinds come in two versions (docs/formats.md): ``text``, ``money`` and
``holder_id`` are the FORMATS 1.1 rules every new statement is held to;
``text_v1``, ``money_v1`` and ``short_text_v1`` what v1 allowed, which
entries recorded under v1 may hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn, TypeVar

from ledger.errors import InvalidField
from ledger.formats.versions import MAX_AMOUNT_VND, MAX_SAFE_INTEGER
from ledger.formats.visible import check_visible

Check = Callable[[object, str], None]
Rule = Callable[[dict[str, object], str], None]
F = TypeVar("F", bound=Callable[..., None])

MIN_YEAR = 1900
MAX_YEAR = 2200

_HEX_RE = {n: re.compile(f"[0-9a-f]{{{n}}}") for n in (32, 64)}
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?Z")
_BASE64_32_RE = re.compile(r"[A-Za-z0-9+/]{43}=")
# Canonical: the last character before "=" carries two zero bits.
_CANONICAL_BASE64_32_RE = re.compile(r"[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=")
# Bidirectional overrides/isolates can make a name display as something else.
_BAD_TEXT_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def fail(path: str, problem: str) -> NoReturn:
    """Refuse the value at ``path``."""
    raise InvalidField(path, problem)


def join(path: str, key: object) -> str:
    """The path of ``key`` inside the object at ``path``."""
    return f"{path}.{key}" if path else str(key)


# What a validator accepts, said so that forms and collectors can read it ----
def label(check: F, kind: str, **facts: Any) -> F:
    """``check``, labelled with the kind of value it accepts and the facts bounding it.

    Labels are attributes of the function (``kind``, ``facts``: ``max_chars``,
    ``min``, ``max``, ``values``, ``pattern``; an object's ``schema`` and
    ``rules``; a set's ``item``): reading them costs the checks nothing.
    Labelling again renames the kind and adds to the facts.
    """
    check.kind = kind  # type: ignore[attr-defined]
    check.facts = {**facts_of(check), **facts}  # type: ignore[attr-defined]
    return check


def kind_of(check: Callable[..., None]) -> str:
    """The kind a validator was labelled with (``"value"`` if none)."""
    return str(getattr(check, "kind", "value"))


def facts_of(check: Callable[..., None]) -> dict[str, Any]:
    """The facts a validator was labelled with."""
    facts: dict[str, Any] = getattr(check, "facts", {})
    return facts


# Objects --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OptionalField:
    """A field that may be absent (marked ``?`` in FORMATS §6)."""

    check: Check


def optional(check: Check) -> OptionalField:
    """Mark a field of a schema as optional."""
    return OptionalField(check)


Schema = Mapping[str, Check | OptionalField]


def obj(schema: Schema, *rules: Rule) -> Check:
    """An object with exactly these fields, then rules across its fields.

    The field lists and each field's path are worked out once, so checking
    a well-formed object costs little more than checking its fields.
    """
    fields = [
        (name, spec.check if isinstance(spec, OptionalField) else spec)
        for name, spec in schema.items()
    ]
    allowed = frozenset(schema)
    required = allowed - {name for name, spec in schema.items() if isinstance(spec, OptionalField)}
    # The fields with their paths, per path the object is found at.
    located: dict[str, list[tuple[str, Check, str]]] = {}

    def check(value: object, path: str) -> None:
        if not isinstance(value, dict):
            fail(path or "statement", "must be an object")
        at = located.get(path)
        if at is None:
            at = located[path] = [(name, c, join(path, name)) for name, c in fields]
        keys = value.keys()
        if keys == allowed:  # the usual case: every field, none other
            for name, c, where in at:
                c(value[name], where)
        else:
            if not (keys <= allowed and required <= keys):
                _refuse_fields(value, path, allowed, schema)
            for name, c, where in at:
                if name in value:
                    c(value[name], where)
        for rule in rules:
            rule(value, path)

    return label(check, "object", schema=schema, rules=rules)


def _refuse_fields(
    value: dict[object, object], path: str, allowed: frozenset[str], schema: Schema
) -> NoReturn:
    """Name the first unknown field of ``value``, else its first missing one."""
    for key in value:
        if key not in allowed:
            fail(join(path, key), "unknown field")
    for name, spec in schema.items():
        if not isinstance(spec, OptionalField) and name not in value:
            fail(join(path, name), "missing")
    raise AssertionError("the fields of an object were refused without a reason")


def recurring(check: Check, remember: int = 256) -> Check:
    """``check``, for strings that recur from statement to statement (ledger and key ids).

    The first ``remember`` strings it accepts are remembered and then
    accepted at the cost of one look-up.
    """
    accepted: set[str] = set()

    def check_recurring(value: object, path: str) -> None:
        if isinstance(value, str) and value in accepted:
            return
        check(value, path)
        if len(accepted) < remember:
            assert isinstance(value, str)
            accepted.add(value)

    return label(check_recurring, kind_of(check), **facts_of(check))


# Numbers --------------------------------------------------------------------
def integer(low: int, high: int = MAX_SAFE_INTEGER, what: str = "an integer") -> Check:
    """An integer (not a boolean, not a float) in ``low..high``."""

    def check(value: object, path: str) -> None:
        if isinstance(value, float):
            fail(path, f"must be {what}, not a floating-point number")
        if not isinstance(value, int) or isinstance(value, bool):
            fail(path, f"must be {what}")
        if not low <= value <= high:
            fail(path, f"must be between {low} and {high}")

    return label(check, "integer", min=low, max=high)


money = label(integer(0, MAX_AMOUNT_VND, "an integer number of đồng"), "money")
money_v1 = label(integer(0, MAX_SAFE_INTEGER, "an integer number of đồng"), "money")


# Strings --------------------------------------------------------------------
def string(value: object, path: str) -> str:
    """``value`` itself, if it is a string."""
    if not isinstance(value, str):
        fail(path, "must be a string")
    return value


def text_v1(max_chars: int) -> Check:
    """Human text as v1 had it: non-blank, at most ``max_chars``, no control characters."""

    def check(value: object, path: str) -> None:
        s = string(value, path)
        if not s.strip():
            fail(path, "must not be empty")
        if len(s) > max_chars:
            fail(path, f"must be at most {max_chars} characters")
        bad = _BAD_TEXT_RE.search(s)
        if bad is not None:
            if "\ud800" <= bad.group() <= "\udfff":
                fail(path, "must not contain unpaired surrogates")
            fail(path, "must not contain control characters")

    return label(check, "text", max_chars=max_chars)


def text(max_chars: int) -> Check:
    """Human text (FORMATS 1.1): as v1, and nothing a reader cannot see or tell apart.

    NFC; no code point of category Cc, Cf, Co, Cs, Cn, Zl or Zp; at least one
    letter or digit that is not a filler (U+3164 alone looks empty).
    """
    v1 = text_v1(max_chars)

    def check(value: object, path: str) -> None:
        v1(value, path)
        assert isinstance(value, str)
        check_visible(value, path)

    return label(check, "text", max_chars=max_chars)


def pattern(regex: str, max_chars: int, problem: str) -> Check:
    """A string of at most ``max_chars`` matching ``regex`` entirely."""
    compiled = re.compile(regex)

    def check(value: object, path: str) -> None:
        s = string(value, path)
        if not 0 < len(s) <= max_chars or not compiled.fullmatch(s):
            fail(path, problem)

    return label(check, "pattern", pattern=regex, max_chars=max_chars)


def one_of(*allowed: str) -> Check:
    """One of a fixed set of strings."""
    choices = frozenset(allowed)
    listed = ", ".join(allowed)

    def check(value: object, path: str) -> None:
        if not isinstance(value, str) or value not in choices:
            fail(path, f"must be one of {listed}")

    return label(check, "enum", values=list(allowed))


def constant(expected: str) -> Check:
    """Exactly the string ``expected``."""

    def check(value: object, path: str) -> None:
        if not isinstance(value, str) or value != expected:
            fail(path, f'must be "{expected}"')

    return label(check, "enum", values=[expected])


def set_of(allowed: frozenset[str]) -> Check:
    """A non-empty list of distinct strings from ``allowed``."""
    item = one_of(*sorted(allowed))

    def check(value: object, path: str) -> None:
        if not isinstance(value, list):
            fail(path, "must be a list")
        if not value:
            fail(path, "must not be empty")
        for i, element in enumerate(value):
            item(element, f"{path}[{i}]")
            if element in value[:i]:
                fail(f"{path}[{i}]", "duplicate")

    return label(check, "set", values=sorted(allowed), item=item)


# Identifiers and encodings --------------------------------------------------
def hex_string(chars: int) -> Check:
    """``chars`` lowercase hexadecimal digits."""
    compiled = _HEX_RE[chars]

    def check(value: object, path: str) -> None:
        if not isinstance(value, str) or not compiled.fullmatch(value):
            fail(path, f"must be {chars} lowercase hex characters")

    return label(check, "hex", chars=chars)


sha256_hex = label(hex_string(64), "sha256_hex")


def uuid(value: object, path: str) -> None:
    """A lowercase canonical UUID (8-4-4-4-12 hex)."""
    # The pattern admits exactly the canonical lowercase form str(UUID(value)).
    if not isinstance(value, str) or not _UUID_RE.fullmatch(value):
        fail(path, "must be a lowercase UUID (8-4-4-4-12 hex)")


def base64_32(value: object, path: str) -> None:
    """Canonical padded base64 (standard alphabet) of exactly 32 bytes."""
    if not isinstance(value, str) or not _BASE64_32_RE.fullmatch(value):
        fail(path, "must be base64 of 32 bytes")
    if not _CANONICAL_BASE64_32_RE.fullmatch(value):
        fail(path, "must be canonical base64 of 32 bytes")


# Time -----------------------------------------------------------------------
_YEARS = f"year must be between {MIN_YEAR} and {MAX_YEAR}"
# Every acceptable month: one look-up accepts a month, the usual case.
_MONTHS = frozenset(
    f"{year:04d}-{number:02d}" for year in range(MIN_YEAR, MAX_YEAR + 1) for number in range(1, 13)
)


def calendar_date(value: object, path: str) -> None:
    """A real calendar date ``YYYY-MM-DD``."""
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        fail(path, "must be a date YYYY-MM-DD")
    try:
        year = date.fromisoformat(value).year
    except ValueError:
        fail(path, "must be a real calendar date")
    if not MIN_YEAR <= year <= MAX_YEAR:
        fail(path, _YEARS)


def month(value: object, path: str) -> None:
    """A month ``YYYY-MM``."""
    if isinstance(value, str) and value in _MONTHS:
        return
    matched = _MONTH_RE.fullmatch(value) if isinstance(value, str) else None
    if matched is None:
        fail(path, "must be a month YYYY-MM")
    if not 1 <= int(matched.group(2)) <= 12:
        fail(path, "month must be 01 to 12")
    fail(path, _YEARS)


def timestamp(value: object, path: str) -> None:
    """A real UTC time ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``."""
    if not isinstance(value, str) or not _TIMESTAMP_RE.fullmatch(value):
        fail(path, "must be a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]Z")
    try:
        year = datetime.fromisoformat(value).year  # the pattern admits only forms it parses alike
    except ValueError:
        fail(path, "must be a real UTC time")
    if not MIN_YEAR <= year <= MAX_YEAR:
        fail(path, _YEARS)


for _check, _kind in (
    (uuid, "uuid"),
    (base64_32, "base64_32"),
    (calendar_date, "date"),
    (month, "month"),
    (timestamp, "timestamp"),
):
    label(_check, _kind)
