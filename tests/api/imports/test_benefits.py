"""Danh sách đối tượng hưởng trợ cấp: benefit.proposed for a person, or a whole household."""

from __future__ import annotations

from typing import Any

from tests.api.imports.village import OTHER_ID, SON_ID, Village, codes, xlsx

HEADERS = ["Mã chương trình", "Mã hộ", "Số định danh người hưởng", "Số tiền", "Từ tháng"]
HEADERS += ["Đến tháng", "Căn cứ"]


def proposal(**kw: Any) -> list[Any]:
    row = {"program": "TB-61", "code": "HH-001", "id": SON_ID, "amount": "1.624.000"}
    row |= {"start": "02/2022", "end": "", "basis": "Thương binh 61%"} | kw
    keys = ("program", "code", "id", "amount", "start", "end", "basis")
    return [row[k] for k in keys]


def test_person_and_household_benefits_are_proposed_and_accepted(village: Village) -> None:
    rows = [HEADERS, proposal(), proposal(code="HH-003", id="", end="2022-12", amount=500000)]
    preview = village.parse("benefits", xlsx(rows))
    assert codes(preview) == []
    person, household = [b for _, _, b in preview.statements]
    assert person["person_id"] == village.son and "household_id" not in person
    assert (person["amount"], person["start"], "end" in person) == (1_624_000, "2022-02", False)
    assert household["household_id"] == village.households["HH-003"]
    assert (household["amount"], household["end"]) == (500_000, "2022-12")
    village.record(preview)
    benefits = village.read().snap.benefits
    assert benefits[person["benefit_id"]].state == "proposed"


def test_unknown_programs_households_and_people_are_each_named(village: Village) -> None:
    rows = [
        HEADERS,
        proposal(program="XX-9"),
        proposal(code="HH-404"),
        proposal(id=OTHER_ID),  # lives in HH-002, not HH-001
        proposal(amount="1,5"),
        proposal(start="13/2022"),
        proposal(start="05/2022", end="03/2022"),
    ]
    assert codes(village.parse("benefits", xlsx(rows))) == [
        (2, "Mã chương trình", "UNKNOWN_PROGRAM"),
        (3, "Mã hộ", "UNKNOWN_HOUSEHOLD"),
        (4, "Số định danh người hưởng", "UNKNOWN_PERSON"),
        (5, "Số tiền", "BAD_AMOUNT"),
        (6, "Từ tháng", "BAD_MONTH"),
        (7, "Đến tháng", "BAD_MONTH"),
    ]
