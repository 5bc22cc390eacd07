"""Human text a reader can see and tell apart (FORMATS 1.1), as ``fields.text`` checks it.

Text recurs (villages, program names, reasons) and is made mostly of the
same few hundred characters: each character is looked up once, and the
text accepted is remembered, so the usual check is one set look-up.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NoReturn

from ledger.errors import InvalidField


def _fail(path: str, problem: str) -> NoReturn:
    raise InvalidField(path, problem)


# Characters of category L that show nothing (Hangul fillers): not a letter to a reader.
FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "a format character",
    "Co": "a private-use character",
    "Cs": "a surrogate",
    "Cn": "an unassigned code point",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
# Characters known to be allowed, and those of them that are letters or digits:
# text is mostly made of the same few hundred, so each is looked up once.
_REMEMBER = 4096
_ALLOWED = set(map(chr, range(0x20, 0x7F)))
_ALNUM = {c for c in _ALLOWED if c.isalnum()}
# Printable ASCII with a letter or digit: all a check of ASCII text needs.
_VISIBLE_ASCII = re.compile(r"[ -~]*[A-Za-z0-9][ -~]*")
# Text recurs (villages, program names, reasons): what was accepted is remembered.
_VISIBLE: set[str] = set()


def check_visible(s: str, path: str) -> None:
    """Refuse text a person cannot see or tell apart (FORMATS 1.1)."""
    if s in _VISIBLE or (s.isascii() and _VISIBLE_ASCII.fullmatch(s)):
        return
    chars = set(s)
    unseen = chars - _ALLOWED
    if unseen:
        _learn(s, unseen, path)
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        _fail(path, "must be in Unicode normalization form NFC (FORMATS 1.1)")
    if chars.isdisjoint(_ALNUM) and not any(_is_alnum(c) for c in unseen):
        _fail(path, "must contain a letter or digit (FORMATS 1.1)")
    if len(_VISIBLE) < _REMEMBER and len(s) <= 100:
        _VISIBLE.add(s)


def _learn(s: str, unseen: set[str], path: str) -> None:
    """Check characters not seen before; remember the allowed ones."""
    refused = {c for c in unseen if unicodedata.category(c) in REFUSED_CATEGORIES}
    if refused:
        first = next(c for c in s if c in refused)
        what = REFUSED_CATEGORIES[unicodedata.category(first)]
        _fail(path, f"must not contain U+{ord(first):04X} ({what}; FORMATS 1.1)")
    if len(_ALLOWED) < _REMEMBER:
        _ALLOWED.update(unseen)
        _ALNUM.update(c for c in unseen if _is_alnum(c))


def _is_alnum(c: str) -> bool:
    """Of category L or N, and not a filler."""
    return unicodedata.category(c)[0] in "LN" and c not in FILLERS
