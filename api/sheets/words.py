"""An amount of đồng in words, as a payroll sheet writes its total ("Bằng chữ: ...").

Vietnamese follows the usage of accounting forms in the north, where the
commune forms are drawn up: three-digit groups read with ``nghìn``, ``triệu``,
``tỷ`` (and ``nghìn tỷ``, ``triệu tỷ`` above); a group after the first reads
its hundreds even when zero (``một triệu không trăm linh năm nghìn``); a zero
ten before a unit is ``linh`` (the southern ``lẻ`` is not used); ten is
``mười``, the other tens ``mươi``; a unit one after ``mươi`` is ``mốt``, a
unit five after a ten ``lăm``. A unit four after ``mươi`` is ``bốn``: the
``tư`` heard in some regions (``hai mươi tư``) is not written on these forms,
so that one amount has one spelling.

English reads American style, without "and": "One million six hundred
twenty-four thousand dong".
"""

from __future__ import annotations

from ledger.errors import InvalidField

LIMIT_VND = 10**18 - 1
"""The largest amount read: a sheet's total can pass the ledger's largest amount."""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))

ONES_EN = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS_EN = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SCALES_EN = (
    (10**15, "quadrillion"),
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
    (10**3, "thousand"),
)


def amount_in_words(amount_vnd: int, lang: str = "vi") -> str:
    """``amount_vnd`` in words, capitalised, ending in đồng (``dong`` in English).

    Refuses (``InvalidField("amount")``) what is not an integer from 0 to
    :data:`LIMIT_VND`.
    """
    if isinstance(amount_vnd, bool) or not isinstance(amount_vnd, int):
        raise InvalidField("amount", f"must be an integer number of đồng, not {amount_vnd!r}")
    if not 0 <= amount_vnd <= LIMIT_VND:
        raise InvalidField("amount", f"{amount_vnd} is outside 0..{LIMIT_VND}")
    if lang == "en":
        text = " ".join(_english(amount_vnd)) if amount_vnd else "zero"
        return f"{text} dong".capitalize()
    text = " ".join(_vietnamese(amount_vnd, leading=True)) if amount_vnd else "không"
    return f"{text[0].upper()}{text[1:]} đồng"


def _vietnamese(n: int, *, leading: bool) -> list[str]:
    """The words of ``0 < n``; ``leading``: nothing is said before it."""
    for size, name in SCALES:
        if n >= size:
            high, low = divmod(n, size)
            words = [*_vietnamese(high, leading=leading), name]
            return words + (_vietnamese(low, leading=False) if low else [])
    return _group(n, leading=leading)


def _group(n: int, *, leading: bool) -> list[str]:
    """The words of ``0 < n < 1000``; after other groups, its hundreds always said."""
    hundreds, rest = divmod(n, 100)
    tens, unit = divmod(rest, 10)
    words = [DIGITS[hundreds], "trăm"] if hundreds or not leading else []
    if tens == 0:
        if unit:
            words += ["linh", DIGITS[unit]] if words else [DIGITS[unit]]
        return words
    words += ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if unit == 1 and tens > 1:
        words.append("mốt")
    elif unit == 5:
        words.append("lăm")
    elif unit:
        words.append(DIGITS[unit])
    return words


def _english(n: int) -> list[str]:
    for size, name in SCALES_EN:
        if n >= size:
            high, low = divmod(n, size)
            return _english(high) + [name] + (_english(low) if low else [])
    hundreds, rest = divmod(n, 100)
    words = [ONES_EN[hundreds], "hundred"] if hundreds else []
    if rest >= 20:
        tens, unit = divmod(rest, 10)
        words.append(TENS_EN[tens] + (f"-{ONES_EN[unit]}" if unit else ""))
    elif rest:
        words.append(ONES_EN[rest])
    return words
