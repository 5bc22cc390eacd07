"""Danh sách chi trả, filled in: paid rows become payment.recorded, empty ones are skipped."""

from __future__ import annotations

import hashlib

import pytest

from api.imports.messages import ImportRefused
from tests.api.imports.village import PAYROLL_HEADERS, SON_ID, Village, codes, payroll_row, xlsx


def test_paid_rows_become_payments_and_empty_rows_are_skipped(village: Village) -> None:
    rows = [
        ["UBND XÃ CHIỀNG EN"],
        ["DANH SÁCH CHI TRẢ", "", "Tháng: 02/2022"],
        PAYROLL_HEADERS,
        payroll_row(village.monthly, method="Ngân hàng", receipt=" VCB-778899 "),
        payroll_row(village.household_benefit, household="HH-002", paid="", number=2),
        payroll_row(village.household_benefit, household="HH-002", paid=300000, number=3),
    ]
    preview = village.parse("payroll", xlsx(rows))
    assert preview.month == "2022-02"
    assert codes(preview) == []
    assert (preview.skipped, len(preview.rows)) == (1, 2)
    bank, household = [b for _, _, b in preview.statements]
    assert bank["month"] == "2022-02" and bank["recipient"] == village.head
    assert bank["receipt"] == {
        "kind": "bank_ref",
        "evidence": hashlib.sha256(b"VCB-778899").hexdigest(),
    }
    assert (bank["paid_on"], bank["method"], bank["amount"]) == ("2022-02-10", "bank", 1_624_000)
    assert "month" not in household  # a one-off program's payment names no month
    assert household["recipient"] == village.other  # the household's head
    assert household["receipt"]["kind"] == "signature"
    village.record(preview)
    paid = {p.benefit_id for p in village.read().snap.payments.values()}
    assert {village.monthly, village.household_benefit} <= paid


def test_the_month_parameter_wins_and_a_recipient_can_be_named(village: Village) -> None:
    rows = [PAYROLL_HEADERS, payroll_row(village.monthly, recipient=SON_ID)]
    preview = village.parse("payroll", xlsx(rows), month="2022-03")
    ((_, _, body),) = preview.statements
    assert (body["month"], body["recipient"]) == ("2022-03", village.son)


def test_a_payroll_without_a_month_is_refused_whole(village: Village) -> None:
    with pytest.raises(ImportRefused) as refused:
        village.parse("payroll", xlsx([PAYROLL_HEADERS, payroll_row(village.monthly)]))
    assert refused.value.code == "MISSING_MONTH"


CELL_PROBLEMS = [
    ({"paid_on": "32/01/2022"}, "Ngày nhận", "BAD_DATE"),
    ({"paid": "nhiều"}, "Số tiền đã nhận", "BAD_AMOUNT"),
    ({"paid": -5}, "Số tiền đã nhận", "BAD_AMOUNT"),
    ({"method": "Séc"}, "Hình thức", "BAD_METHOD"),
    ({"receipt": ""}, "Số biên nhận", "MISSING_VALUE"),
    ({"paid_on": ""}, "Ngày nhận", "MISSING_VALUE"),
    ({"household": "HH-404"}, "Mã hộ", "UNKNOWN_HOUSEHOLD"),
    ({"household": "HH-002"}, "Mã hộ", "HOUSEHOLD_MISMATCH"),
    ({"recipient": "014199999999"}, "Số định danh người nhận", "UNKNOWN_PERSON"),
]


@pytest.mark.parametrize(("cells", "column", "code"), CELL_PROBLEMS)
def test_each_bad_cell_of_a_paid_row_is_named_by_its_column(
    village: Village, cells: dict[str, object], column: str, code: str
) -> None:
    rows = [PAYROLL_HEADERS, payroll_row(village.monthly, **cells)]
    assert codes(village.parse("payroll", xlsx(rows), month="2022-02")) == [(2, column, code)]


def test_each_benefit_that_cannot_be_paid_is_named(village: Village) -> None:
    rows = [
        PAYROLL_HEADERS,
        payroll_row("6f1c2a4e-0d3b-4c8e-9a71-2b5d8e0f4c13"),
        payroll_row(village.proposed, number=2),
        payroll_row(village.monthly, number=3),  # January is paid already
        payroll_row(village.empty_household_benefit, household="HH-003", number=4),
    ]
    assert codes(village.parse("payroll", xlsx(rows), month="2022-01")) == [
        (2, "Mã trợ cấp", "UNKNOWN_BENEFIT"),
        (3, "Mã trợ cấp", "BENEFIT_NOT_APPROVED"),
        (4, "Mã trợ cấp", "ALREADY_PAID"),
        (5, "Số định danh người nhận", "NO_RECIPIENT"),
    ]


def test_a_benefit_paid_twice_in_one_file_or_outside_its_months_is_refused(
    village: Village,
) -> None:
    rows = [
        PAYROLL_HEADERS,
        payroll_row(village.monthly),
        payroll_row(village.monthly, number=2),
    ]
    preview = village.parse("payroll", xlsx(rows), month="2022-02")
    assert codes(preview) == [(3, "Mã trợ cấp", "ALREADY_PAID")]
    assert "dòng 2" in preview.rows[1].errors[0]["message"]
    early = village.parse("payroll", xlsx(rows[:2]), month="2021-12")
    assert codes(early) == [(2, "Mã trợ cấp", "BENEFIT_NOT_IN_MONTH")]
