"""The lookup code (mã tra cứu) printed on each payroll line.

A payroll line is a benefit and a month. Its code is the first 50 bits of
SHA-256 over ``ansinh-receipt/1``, the ledger id, the benefit id and the
month, each followed by a line feed (UTF-8), written as 10 characters of
Crockford's base32 in two groups of five: ``7QX3M-0D9KA``. It depends on
nothing else, so the same line has the same code before and after it is
paid, on any machine, and an outside verifier recomputes it (docs/formats.md,
section 9). Typed back, a code is read case-insensitively, with or without
the dash and spaces, and with Crockford's look-alikes folded (I and L are 1,
O is 0).

What a code looks up: :mod:`projections.reports.lookup`.
"""

from __future__ import annotations

import hashlib

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
DOMAIN = "ansinh-receipt/1"
LENGTH = 10  # characters: 50 bits
GROUP = 5
_FOLD = str.maketrans({"I": "1", "L": "1", "O": "0"})
_IGNORED = str.maketrans("", "", "- \t")


def receipt_code(ledger_id: str, benefit_id: str, month: str) -> str:
    """The code of the payroll line of ``benefit_id`` in ``month`` (``XXXXX-XXXXX``)."""
    message = "".join(f"{part}\n" for part in (DOMAIN, ledger_id, benefit_id, month))
    number = int.from_bytes(hashlib.sha256(message.encode()).digest()[:8], "big")
    bits = number >> (64 - 5 * LENGTH)
    chars = [ALPHABET[(bits >> (5 * (LENGTH - 1 - i))) & 31] for i in range(LENGTH)]
    return "".join(chars[:GROUP]) + "-" + "".join(chars[GROUP:])


def read_code(typed: str) -> str | None:
    """A typed code as printed (``XXXXX-XXXXX``), or None when it cannot be one: the
    wrong length, or a character that is in no code (U, punctuation)."""
    bare = typed.strip().upper().translate(_IGNORED).translate(_FOLD)
    if len(bare) != LENGTH or any(c not in ALPHABET for c in bare):
        return None
    return bare[:GROUP] + "-" + bare[GROUP:]
