"""The field validators' shortcuts refuse exactly what the full checks refuse, in the same words."""

from __future__ import annotations

import base64

import pytest

from ledger.errors import InvalidField
from ledger.formats.fields import (
    base64_32,
    calendar_date,
    check_visible,
    hex_string,
    month,
    obj,
    optional,
    recurring,
    text,
    timestamp,
)

NOT_A_MONTH = "must be a month YYYY-MM"
MONTH_OUT_OF_RANGE = "month must be 01 to 12"
YEAR_OUT_OF_RANGE = "year must be between 1900 and 2200"


def problem(check: object, value: object, path: str = "body.x") -> str:
    """The message ``check`` refuses ``value`` with."""
    assert callable(check)
    with pytest.raises(InvalidField) as caught:
        check(value, path)
    assert caught.value.field == path
    return caught.value.message.removeprefix(f"{path}: ")


@pytest.mark.parametrize("value", ["1900-01", "1900-12", "2022-06", "2200-01", "2200-12"])
def test_every_month_from_1900_to_2200_is_accepted(value: str) -> None:
    month(value, "body.start")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-13", MONTH_OUT_OF_RANGE),
        ("2022-00", MONTH_OUT_OF_RANGE),
        ("1899-12", YEAR_OUT_OF_RANGE),
        ("2201-01", YEAR_OUT_OF_RANGE),
        ("0000-00", MONTH_OUT_OF_RANGE),
        ("2022-1", NOT_A_MONTH),
        ("2022-01-01", NOT_A_MONTH),
        ("２０２２-01", NOT_A_MONTH),
        ("2022-01\n", NOT_A_MONTH),
        (202201, NOT_A_MONTH),
        (["2022-01"], NOT_A_MONTH),
    ],
)
def test_a_month_outside_the_known_months_is_refused_saying_why(
    value: object, expected: str
) -> None:
    assert problem(month, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-29", None),
        ("2200-12-31", None),
        ("2023-02-29", "must be a real calendar date"),
        ("1899-12-31", YEAR_OUT_OF_RANGE),
        ("2201-01-01", YEAR_OUT_OF_RANGE),
        ("2022-1-05", "must be a date YYYY-MM-DD"),
    ],
)
def test_a_calendar_date_is_refused_only_when_not_a_real_date_in_range(
    value: str, expected: str | None
) -> None:
    if expected is None:
        calendar_date(value, "body.x")
    else:
        assert problem(calendar_date, value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-03T01:00:00Z", None),
        ("2022-01-03T23:59:59.999999Z", None),
        ("2022-01-03T24:00:00Z", "must be a real UTC time"),
        ("2022-01-03T23:59:60Z", "must be a real UTC time"),
        ("2023-02-29T01:00:00Z", "must be a real UTC time"),
        ("1899-12-31T23:59:59Z", YEAR_OUT_OF_RANGE),
        ("2201-01-01T00:00:00Z", YEAR_OUT_OF_RANGE),
        ("2022-01-03T01:00:00+00:00", "must be a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]Z"),
        ("2022-01-03T01:00:00.123Z", "must be a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]Z"),
    ],
)
def test_a_timestamp_is_refused_only_when_not_a_real_utc_time_in_range(
    value: str, expected: str | None
) -> None:
    if expected is None:
        timestamp(value, "at")
    else:
        assert problem(timestamp, value, "at") == expected


def test_base64_of_32_bytes_is_accepted_only_in_its_canonical_form() -> None:
    for last in range(256):  # the last byte decides the character before "="
        canonical = base64.b64encode(bytes(31) + bytes([last])).decode()
        base64_32(canonical, "body.root")
        for other in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/":
            variant = canonical[:42] + other + "="
            if variant != canonical and base64.b64decode(variant) == base64.b64decode(canonical):
                assert problem(base64_32, variant) == "must be canonical base64 of 32 bytes"


@pytest.mark.parametrize(
    "value", ["A" * 44, "A" * 42 + "==", "A" * 43, "A" * 43 + "=\n", "-" * 43 + "=", None]
)
def test_a_value_that_is_not_base64_of_32_bytes_is_refused_as_such(value: object) -> None:
    assert problem(base64_32, value) == "must be base64 of 32 bytes"


def test_a_recurring_value_is_accepted_again_and_a_refused_one_refused_again() -> None:
    key_id = recurring(hex_string(64))
    for _ in range(3):
        key_id("ab" * 32, "by")
        assert problem(key_id, "AB" * 32, "by") == "must be 64 lowercase hex characters"
        assert problem(key_id, ["ab" * 32], "by") == "must be 64 lowercase hex characters"


def test_a_recurring_check_still_checks_once_it_remembers_no_more() -> None:
    key_id = recurring(hex_string(64), remember=2)
    for n in range(5):
        key_id(f"{n:064x}", "by")
    assert problem(key_id, "z" * 64, "by") == "must be 64 lowercase hex characters"
    key_id(f"{0:064x}", "by")


SCHEMA = obj({"a": text(10), "b": optional(text(10)), "c": text(10)})


@pytest.mark.parametrize(
    ("value", "path", "expected"),
    [
        ({"a": "x", "b": "y", "d": "z"}, "body.d", "unknown field"),  # as many fields as allowed
        ({"a": "x", "d": "z", "c": "y"}, "body.d", "unknown field"),
        ({"d": "z"}, "body.d", "unknown field"),  # unknown fields are named before missing ones
        ({"a": "x", "b": "y"}, "body.c", "missing"),
        ({"b": "y"}, "body.a", "missing"),
        ({"a": "", "c": ""}, "body.a", "must not be empty"),  # fields in schema order
        ({"a": "x", "b": "", "c": ""}, "body.b", "must not be empty"),
        ({"a": "x", "c": ""}, "body.c", "must not be empty"),
        ("abc", "body", "must be an object"),
    ],
)
def test_an_object_is_refused_naming_its_first_bad_field(
    value: object, path: str, expected: str
) -> None:
    with pytest.raises(InvalidField) as caught:
        SCHEMA(value, "body")
    assert caught.value.field == path
    assert caught.value.message == f"{path}: {expected}"


@pytest.mark.parametrize("value", [{"a": "x", "b": "y", "c": "z"}, {"a": "x", "c": "z"}])
def test_an_object_with_or_without_its_optional_field_is_accepted(value: object) -> None:
    SCHEMA(value, "body")


def test_an_object_found_at_two_places_names_the_field_at_each() -> None:
    with pytest.raises(InvalidField) as first:
        SCHEMA({"a": "x", "c": 1}, "body.first")
    with pytest.raises(InvalidField) as second:
        SCHEMA({"a": "x", "c": 1}, "body.second")
    assert (first.value.field, second.value.field) == ("body.first.c", "body.second.c")


LETTER_OR_DIGIT = "must contain a letter or digit (FORMATS 1.1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Bản Huổi Pao", None),
        ("Nguyễn Thị Ánh", None),
        ("12", None),
        ("CE-0001", None),
        ("Bản\u00a0Huổi", None),  # a no-break space (Zs) shows as a space
        ("漢字", None),
        ("Bản\u200bHuổi", "must not contain U+200B (a format character; FORMATS 1.1)"),
        ("x\U000e0041", "must not contain U+E0041 (a format character; FORMATS 1.1)"),
        ("a\tb", "must not contain U+0009 (a control character; FORMATS 1.1)"),
        ("x\ue000", "must not contain U+E000 (a private-use character; FORMATS 1.1)"),
        ("x\u0378", "must not contain U+0378 (an unassigned code point; FORMATS 1.1)"),
        ("x\u2028y", "must not contain U+2028 (a line separator; FORMATS 1.1)"),
        ("x\u2029y", "must not contain U+2029 (a paragraph separator; FORMATS 1.1)"),
        ("Ba\u0309n", "must be in Unicode normalization form NFC (FORMATS 1.1)"),
        ("\u3164", LETTER_OR_DIGIT),
        ("\u115f\u1160 \uffa0", LETTER_OR_DIGIT),
        ("---", LETTER_OR_DIGIT),
        ("\u2014 \u00b7", LETTER_OR_DIGIT),
    ],
)
def test_text_a_reader_cannot_see_or_tell_apart_is_refused_saying_why(
    value: str, expected: str | None
) -> None:
    for _ in range(2):  # the second time, from what the first one remembered
        if expected is None:
            check_visible(value, "body.x")
            text(500)(value, "body.x")
        else:
            assert problem(check_visible, value) == expected
