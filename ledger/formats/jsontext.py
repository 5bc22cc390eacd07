"""JSON from outside the ledger, read fast and refused when an object repeats a key.

FORMATS 1.1: a JSON object with a duplicate key anywhere (envelope, payload,
submission) is MALFORMED; parsers disagree on which of the two values wins,
so what was checked and what is kept could differ. orjson reads the
document (the last value wins); whether a key was repeated is then told
cheaply: every key is followed by one ``:`` outside strings, and orjson
writes each key once and every ``:`` inside a string as it is, so the text
holds more ``:`` than orjson's own rendering exactly when a key was
repeated. A ``:`` can hide only behind the escape ``\\u003a``: such text
(and whatever orjson does not read) is read again by ``json.loads``, whose
object hook sees every key. An envelope, the usual case, needs no rendering:
its ``:`` are counted against its keys.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from ledger.errors import MalformedError


class DuplicateKey(MalformedError):
    """A JSON object names one key twice (MALFORMED, naming where)."""

    def __init__(self, what: str, path: str) -> None:
        super().__init__(
            f"{path}: duplicate key in the {what} (FORMATS 1.1: a JSON object may not repeat"
            " a key)",
            field=path,
        )


def loads(text: str | bytes, what: str, at: str = "") -> Any:
    """The JSON value of ``text``; ``what`` names it in a refusal (``envelope``, ``payload``).

    ``at``: the path of the value, which the path of a repeated key starts with.

    Raises ``ValueError`` (or ``RecursionError``) when it is not JSON, as
    ``json.loads`` does, and :class:`DuplicateKey` when an object in it repeats a key.
    """
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        # Doubles out of range, unpaired surrogates, deep nesting: json.loads decides.
        return loads_exact(text, what, at)
    if _may_repeat_a_key(text, value):
        _refuse(text, what, at)
    return value


def loads_exact(text: str | bytes, what: str, at: str = "") -> Any:
    """As :func:`loads`, read as ``json.loads`` reads it.

    For text that must mean exactly what it says whatever its numbers
    (orjson reads an integer beyond 64 bits as a double): a payload being
    judged, an argument given to the command line.
    """
    value = json.loads(text, object_pairs_hook=_unique)
    if value is _REPEATED or _repeats(value):
        _refuse(text, what, at)
    return value


def _may_repeat_a_key(text: str | bytes, value: Any) -> bool:
    colons = text.count(":" if isinstance(text, str) else b":")  # type: ignore[arg-type]
    if not colons or colons == _some_keys(value):
        # As many ":" as keys: none is left over for a repeated key (nor for a string).
        return False
    if ("\\u003" if isinstance(text, str) else b"\\u003") in text:  # type: ignore[operator]
        return True  # perhaps an escaped ":" in a string: told apart the slow way
    try:
        rendered = orjson.dumps(value)
    except orjson.JSONEncodeError:  # nested deeper than orjson writes
        return True
    return colons != rendered.count(b":")


def _some_keys(value: Any) -> int:
    """How many keys ``value`` holds, or fewer: those of an object and of the objects in
    its ``signatures`` (all of an envelope's). Counting fewer is safe: the text then
    seems to hold more ``:`` than keys, and orjson's rendering settles it."""
    if type(value) is not dict:
        return 0
    keys = len(value)
    signatures = value.get("signatures")
    if type(signatures) is list:
        for signature in signatures:
            if type(signature) is dict:
                keys += len(signature)
    return keys


class _Repeated(dict[str, Any]):
    """Stands for an object that repeated a key (json.loads keeps whatever the hook returns)."""


_REPEATED = _Repeated()


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    return _REPEATED if len(value) != len(pairs) else value


def _repeats(value: Any) -> bool:
    """Whether a value read with :func:`_unique` holds an object that repeated a key."""
    stack = [value]
    while stack:
        node = stack.pop()
        if node is _REPEATED:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


class _Pairs(list[tuple[str, Any]]):
    """An object's keys and values, in order, duplicates kept."""


def _refuse(text: str | bytes, what: str, at: str) -> None:
    """Raise :class:`DuplicateKey` naming the first repeated key, if there is one."""
    path = first_repeated_key(json.loads(text, object_pairs_hook=_Pairs), at)
    if path is not None:
        raise DuplicateKey(what, path)


def first_repeated_key(value: Any, at: str = "") -> str | None:
    """The path (``signatures[0].sig``) of the first key an object repeats, in document order."""
    stack: list[tuple[Any, str]] = [(value, at)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Pairs):
            seen: set[str] = set()
            for key, _ in node:
                if key in seen:
                    return f"{path}.{key}" if path else key
                seen.add(key)
            stack.extend((v, f"{path}.{k}" if path else k) for k, v in reversed(node))
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(node))))
    return None
