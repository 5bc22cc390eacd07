"""The lookup code (mã tra cứu) of a payroll line: as docs/formats.md §9 specifies it,
stable, and found again however it is typed back."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from projections.reports.receipts import ALPHABET, read_code, receipt_code
from tests.support.paths import ROOT

VECTORS = json.loads((ROOT / "tests/vectors/receipt-codes.json").read_text(encoding="utf-8"))


def independent(ledger: str, benefit_id: str, month: str) -> str:
    """The code recomputed from the spec's words, bit by bit, as an outside verifier would."""
    message = f"ansinh-receipt/1\n{ledger}\n{benefit_id}\n{month}\n"
    bits = "".join(f"{b:08b}" for b in hashlib.sha256(message.encode("utf-8")).digest())[:50]
    chars = "".join(ALPHABET[int(bits[i : i + 5], 2)] for i in range(0, 50, 5))
    return f"{chars[:5]}-{chars[5:]}"


def test_every_vector_recomputes_from_its_message_and_digest() -> None:
    assert len(VECTORS["cases"]) >= 2
    for case in VECTORS["cases"]:
        inputs = (case["ledger"], case["benefit_id"], case["month"])
        assert case["message"] == "ansinh-receipt/1\n" + "".join(f"{x}\n" for x in inputs)
        assert hashlib.sha256(case["message"].encode()).hexdigest() == case["sha256"]
        assert receipt_code(*inputs) == case["code"] == independent(*inputs)


def test_every_typed_vector_reads_as_its_code_or_as_no_code() -> None:
    for case in VECTORS["typed"]:
        assert read_code(case["typed"]) == case["code"], case["typed"]


def test_the_month_and_the_ledger_each_change_the_code() -> None:
    first, next_month, _, other_ledger = (c["code"] for c in VECTORS["cases"])
    assert len({first, next_month, other_ledger}) == 3


def test_a_code_never_holds_a_look_alike_letter() -> None:
    for case in VECTORS["cases"]:
        assert not set(case["code"]) & set("ILOU")


lines = st.tuples(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789./-", min_size=1, max_size=40),
    st.uuids().map(str),
    st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2000, 2099), st.integers(1, 12)),
)


def retyped(code: str, how: Any) -> str:
    """The code as a person might type it: lowercase, no dash, spaces, O for 0, I or L for 1."""
    lower, dash, spaced, letters = how
    out = code.replace("-", "-" if dash else "")
    if letters:
        out = out.replace("0", "O").replace("1", "I" if letters == 1 else "l")
    if lower:
        out = out.lower()
    return f"  {out} " if spaced else out


@settings(max_examples=200, deadline=None)
@given(lines, st.tuples(st.booleans(), st.booleans(), st.booleans(), st.integers(0, 2)))
def test_any_line_retyped_finds_the_same_code(line: tuple[str, str, str], how: Any) -> None:
    code = receipt_code(*line)
    assert code == receipt_code(*line)  # stable: nothing but the three inputs counts
    assert len(code) == 11 and code[5] == "-"
    assert read_code(retyped(code, how)) == code


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_what_reads_as_a_code_is_always_ten_symbols_of_the_alphabet(typed: str) -> None:
    code = read_code(typed)
    if code is not None:
        assert len(code) == 11 and code[5] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
