"""One cell's value as a statement wants it: text, dates, months, amounts and the enumerations.

Cells come as the sheet holds them: text (CSV, or typed in XLSX), numbers
(an amount, or an id number Excel took for one), dates (an Excel date
cell). Each reader returns the value in the statement's terms or raises
:class:`BadCell` with the problem's code; the row builder names the column.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

MAX_AMOUNT = 10**12  # FORMATS 1.1: at most 10^12 đồng in one statement
_DAY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?")
_MONTH = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_AMOUNT = re.compile(r"\d{1,3}(?:([.,\s])\d{3})?(?:\1\d{3})*|\d+")
_CURRENCY = re.compile(r"\s*(?:đ|đồng|vnd|vnđ)\.?$", re.IGNORECASE)

SEXES = {"nam": "m", "m": "m", "male": "m", "nu": "f", "f": "f", "female": "f"}
SEXES |= {"khac": "x", "x": "x", "other": "x"}
RELATIONS = {"chu ho": "head", "head": "head", "thanh vien": "member", "member": "member"}
# what lists write instead of "thành viên": the member's kinship to the head
RELATIONS |= dict.fromkeys(
    ("vo", "chong", "con", "chau", "bo", "me", "cha", "ong", "ba", "anh", "chi", "em", "khac"),
    "member",
)
METHODS = {"tien mat": "cash", "cash": "cash", "buu dien": "post", "post": "post"}
METHODS |= {"ngan hang": "bank", "bank": "bank", "chuyen khoan": "bank"}
METHODS |= {"post office": "post", "bank transfer": "bank"}  # the printed sheet, in English


class BadCell(ValueError):
    """A cell that does not hold what its column needs; ``code`` says what was wrong."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def text(cell: Any) -> str:
    """The cell as an officer reads it (NFC, trimmed); dates as dd/mm/yyyy; empty as ``""``."""
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        return f"{cell.day:02d}/{cell.month:02d}/{cell.year:04d}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    return unicodedata.normalize("NFC", str(cell)).strip()


def plain(value: str) -> str:
    """Lower case, no diacritics (đ as d), single spaces: how enumerations are compared."""
    decomposed = unicodedata.normalize("NFD", value.casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def day(cell: Any) -> str:
    """A date ``YYYY-MM-DD`` from an Excel date, dd/mm/yyyy or yyyy-mm-dd."""
    if isinstance(cell, datetime | date):
        return f"{cell.year:04d}-{cell.month:02d}-{cell.day:02d}"
    value = text(cell)
    if m := _DAY.fullmatch(value):
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    elif m := _ISO_DAY.fullmatch(value):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        raise BadCell("BAD_DATE")
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        raise BadCell("BAD_DATE") from None


def month(cell: Any) -> str:
    """A month ``YYYY-MM`` from mm/yyyy, yyyy-mm, or a date cell (Excel makes 01/2022 a date)."""
    if isinstance(cell, datetime | date):
        return f"{cell.year:04d}-{cell.month:02d}"
    value = text(cell)
    if m := _MONTH.fullmatch(value):
        mo, y = int(m[1]), int(m[2])
    elif m := _ISO_MONTH.fullmatch(value):
        y, mo = int(m[1]), int(m[2])
    else:
        raise BadCell("BAD_MONTH")
    if not 1 <= mo <= 12 or y < 1900:
        raise BadCell("BAD_MONTH")
    return f"{y:04d}-{mo:02d}"


def amount(cell: Any) -> int:
    """Whole đồng: a number, or text like ``1.624.000``, ``1,624,000 đ`` or ``1624000``."""
    if isinstance(cell, bool):
        raise BadCell("BAD_AMOUNT")
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise BadCell("BAD_AMOUNT")
        value = int(cell)
    else:
        written = _CURRENCY.sub("", text(cell))
        if not _AMOUNT.fullmatch(written):
            raise BadCell("BAD_AMOUNT")
        value = int(re.sub(r"[.,\s]", "", written))
    if not 0 <= value <= MAX_AMOUNT:
        raise BadCell("BAD_AMOUNT")
    return value


def national_id(cell: Any) -> str:
    """12 digits (CCCD) or 9 (CMND); a number cell that lost its leading 0 gets it back."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if isinstance(cell, float) and not cell.is_integer():
            raise BadCell("BAD_NATIONAL_ID")
        digits = str(int(cell))
        if len(digits) == 11:  # every CCCD starts with its province's code, 001-096
            digits = "0" + digits
    else:
        digits = "".join(text(cell).split())
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (9, 12):
        raise BadCell("BAD_NATIONAL_ID")
    return digits


def choice(cell: Any, choices: dict[str, str], code: str) -> str:
    """An enumeration's value, written in Vietnamese (accents or not) or English."""
    found = choices.get(plain(text(cell)))
    if found is None:
        raise BadCell(code)
    return found
