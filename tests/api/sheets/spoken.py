"""A test-only reader of amounts in words, written apart from the writer: it reads
the words back to a number, refusing what a well-formed amount never says."""

from __future__ import annotations

VI_DIGITS = {"không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5}
VI_DIGITS |= {"sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
VI_SCALES = {"nghìn": 10**3, "triệu": 10**6, "tỷ": 10**9}
EN_SMALL = {
    w: i
    for i, w in enumerate(
        [
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
    )
}
EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
EN_TENS |= {"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
EN_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
EN_SCALES |= {"trillion": 10**12, "quadrillion": 10**15}


def scaled(stack: list[int], part: int, scale: int) -> None:
    """``part``, with what was said before it of a smaller scale, times ``scale``."""
    value = part
    while stack and stack[-1] < scale:
        value += stack.pop()
    assert value, "a scale word with nothing before it"
    stack.append(value * scale)


def read_vietnamese(text: str) -> int:
    """The number ``text`` (``... đồng``) says."""
    words = text[0].lower() + text[1:]
    assert words.endswith(" đồng"), text
    tokens = words.removesuffix(" đồng").split(" ")
    if tokens == ["không"]:
        return 0
    stack: list[int] = []
    part, pending, previous = 0, None, ""
    for token in tokens:
        if token in VI_DIGITS or token in ("mốt", "lăm"):
            assert pending is None, f"two digits in a row in {text!r}"
            if token == "mốt":
                assert previous == "mươi", f"mốt after {previous!r} in {text!r}"
            if token == "lăm":
                assert previous in ("mươi", "mười"), f"lăm after {previous!r} in {text!r}"
            if token == "một":
                assert previous != "mươi", f"mươi một in {text!r}"
            if token == "năm":
                assert previous not in ("mươi", "mười"), f"{previous} năm in {text!r}"
            pending = {"mốt": 1, "lăm": 5}.get(token, VI_DIGITS.get(token))
        elif token == "trăm":
            assert pending is not None, text
            part, pending = part + 100 * pending, None
        elif token == "mươi":
            assert pending is not None and pending >= 2, text
            part, pending = part + 10 * pending, None
        elif token == "mười":
            assert pending is None, text
            part += 10
        elif token == "linh":
            assert previous == "trăm", f"linh after {previous!r} in {text!r}"
        elif token in VI_SCALES:
            scaled(stack, part + (pending or 0), VI_SCALES[token])
            part, pending = 0, None
        else:
            raise AssertionError(f"{token!r} is not a word of an amount ({text!r})")
        previous = token
    return sum(stack) + part + (pending or 0)


def read_english(text: str) -> int:
    """The number ``text`` (``... dong``) says."""
    assert text.endswith(" dong"), text
    tokens = text.removesuffix(" dong").lower().split(" ")
    stack: list[int] = []
    part = 0
    for token in tokens:
        if token in EN_SMALL:
            part += EN_SMALL[token]
        elif "-" in token:
            tens, unit = token.split("-")
            assert EN_SMALL[unit] in range(1, 10), text
            part += EN_TENS[tens] + EN_SMALL[unit]
        elif token in EN_TENS:
            part += EN_TENS[token]
        elif token == "hundred":
            assert part in range(1, 10), text
            part *= 100
        elif token in EN_SCALES:
            scaled(stack, part, EN_SCALES[token])
            part = 0
        else:
            raise AssertionError(f"{token!r} is not a word of an amount ({text!r})")
    return sum(stack) + part
