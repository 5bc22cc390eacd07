"""What refuses a whole file, and the problems that need the vault when there is no key."""

from __future__ import annotations

from typing import Any

import pytest

from api import reading
from api.imports import sheets
from api.imports.messages import ImportRefused
from api.imports.preview import parse
from api.reading import Direct
from ledger.application import LedgerApplication
from tests.api.imports.village import SON_ID, Village, codes, xlsx

BENEFITS = ["Mã chương trình", "Mã hộ", "Số định danh người hưởng", "Số tiền", "Từ tháng", "Căn cứ"]


def test_an_unknown_layout_is_named_with_the_known_ones(village: Village) -> None:
    with pytest.raises(ImportRefused) as refused:
        village.parse("people", xlsx([["Mã hộ"]]), lang="en")
    assert refused.value.code == "UNKNOWN_LAYOUT"
    assert "households, persons, benefits, payroll" in refused.value.message


def test_a_month_parameter_that_is_not_a_month_is_refused(village: Village) -> None:
    with pytest.raises(ImportRefused) as refused:
        village.parse("payroll", xlsx([["Mã trợ cấp"]]), month="2022-13")
    assert (refused.value.code, refused.value.field) == ("BAD_MONTH", "month")


def test_a_file_longer_than_the_bound_is_refused(
    village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    rows = [["Mã hộ", "Thôn/bản"]] + [[f"HH-{i}", "Bản Mé"] for i in range(4)]
    with pytest.raises(ImportRefused) as refused:
        village.parse("households", xlsx(rows))
    assert refused.value.code == "TOO_MANY_ROWS"
    assert len(village.parse("households", xlsx(rows[:4])).statements) == 3


def test_a_beneficiary_named_by_id_number_needs_the_vault(
    village: Village, db_url: str, monkeypatch: Any
) -> None:
    monkeypatch.delenv("ANSINH_VAULT_KEY", raising=False)
    monkeypatch.delenv("ANSINH_VAULT_KEY_FILE", raising=False)
    rows = [BENEFITS, ["TB-61", "HH-001", SON_ID, 500_000, "02/2022", "Người cao tuổi"]]
    keyless = LedgerApplication(db_url)
    try:
        preview = parse("benefits", xlsx(rows), "xlsx", reading.read_at(Direct(keyless), None))
    finally:
        keyless.close()
    assert codes(preview) == [(2, "Số định danh người hưởng", "VAULT_NOT_CHECKED")]
    assert preview.vault_checked is False
