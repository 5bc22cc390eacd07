"""Amounts in words: the payroll sheet's "Bằng chữ" line, Vietnamese and English."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.sheets.words import LIMIT_VND, amount_in_words
from ledger.errors import InvalidField
from ledger.formats.versions import MAX_AMOUNT_VND
from tests.api.sheets.spoken import read_english, read_vietnamese

amounts = st.integers(0, MAX_AMOUNT_VND) | st.integers(0, 10**7) | st.integers(0, LIMIT_VND)


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_624_000, "Một triệu sáu trăm hai mươi bốn nghìn đồng"),
        (0, "Không đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi bốn đồng"),
        (25, "Hai mươi lăm đồng"),
        (11, "Mười một đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (2_000_500_000, "Hai tỷ năm trăm nghìn đồng"),
        (MAX_AMOUNT_VND, "Một nghìn tỷ đồng"),
    ],
)
def test_amount_reads_as_on_a_northern_accounting_form(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (1_624_000, "One million six hundred twenty-four thousand dong"),
        (0, "Zero dong"),
        (105, "One hundred five dong"),
        (MAX_AMOUNT_VND, "One trillion dong"),
    ],
)
def test_amount_reads_in_english_without_and(amount: int, words: str) -> None:
    assert amount_in_words(amount, "en") == words


@given(amounts)
def test_vietnamese_words_read_back_to_the_amount(amount: int) -> None:
    assert read_vietnamese(amount_in_words(amount)) == amount


@given(amounts)
def test_english_words_read_back_to_the_amount(amount: int) -> None:
    assert read_english(amount_in_words(amount, "en")) == amount


@given(amounts)
def test_words_are_one_capitalised_sentence_without_regional_forms(amount: int) -> None:
    words = amount_in_words(amount)
    assert words[0].isupper() and words[1:] == words[1:].lower()
    assert "  " not in words and words.count("đồng") == 1
    assert not re.search(r"\b(lẻ|ngàn|tư|mươi một|mươi năm|mười năm)\b", words.lower())


@given(st.integers(1, 999).map(lambda n: n * 1000))
def test_whole_thousands_end_in_nghin(amount: int) -> None:
    assert amount_in_words(amount).endswith(" nghìn đồng")


@pytest.mark.parametrize("amount", [-1, LIMIT_VND + 1, 1.5, True, "100"])
def test_amount_refused_when_not_a_whole_number_of_dong_in_range(amount: object) -> None:
    with pytest.raises(InvalidField) as refused:
        amount_in_words(amount)  # type: ignore[arg-type]
    assert refused.value.field == "amount"
