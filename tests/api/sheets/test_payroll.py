"""The printable payroll sheet: rows by village, numbered, subtotals, total, words."""

from __future__ import annotations

from typing import Any

import pytest

from api import reading
from api.sheets.columns import HEADINGS_VI
from api.sheets.payroll import payroll_sheet, place_of
from ledger.errors import InvalidField
from tests.api.sheets.commune import HUOI, INVALID_VND, ME, MONTH, SOCIAL_VND, make_sheetland
from tests.conftest import Story


def sheet_of(story: Story, **kw: Any) -> dict[str, Any]:
    read = reading.read_at(reading.Direct(story.app), None)
    return payroll_sheet(read, kw.pop("month", MONTH), **kw)


def test_rows_are_grouped_by_village_and_numbered_across_the_sheet(story: Story) -> None:
    make_sheetland(story, huoi=4, me=3)
    sheet = sheet_of(story)
    assert [g["village"] for g in sheet["villages"]] == [HUOI, ME]
    numbers = [r["no"] for g in sheet["villages"] for r in g["rows"]]
    assert numbers == list(range(1, 8))
    assert [r["household_code"] for r in sheet["villages"][0]["rows"]] == [
        "HU-001",
        "HU-002",
        "HU-003",
        "HU-004",
    ]


def test_subtotals_and_total_add_up_what_is_due_and_paid(story: Story) -> None:
    make_sheetland(story, huoi=4, me=3)
    sheet = sheet_of(story)
    huoi, me = sheet["villages"]
    huoi_due = sum(INVALID_VND + 1000 * n for n in range(4))
    assert huoi["subtotal"] == {
        "rows": 4,
        "due": huoi_due,
        "paid": INVALID_VND + INVALID_VND + 1000,
    }
    assert me["subtotal"] == {"rows": 3, "due": 3 * SOCIAL_VND + 3000, "paid": 0}
    assert sheet["total"] == {
        "rows": 7,
        "due": huoi_due + 3 * SOCIAL_VND + 3000,
        "paid": huoi["subtotal"]["paid"],
    }
    assert sheet["total_words"] == "Tám triệu một trăm hai mươi lăm nghìn đồng"
    assert sheet["total"]["due"] == 8_125_000


def test_each_row_names_its_beneficiary_and_who_received(story: Story) -> None:
    land = make_sheetland(story, huoi=2, me=2)
    rows = {r["benefit_id"]: r for g in sheet_of(story)["villages"] for r in g["rows"]}
    for bid, row in rows.items():
        head = land.heads[bid]
        assert (row["person_id"], row["name"]) == (head, land.names[head])
        recipient = land.paid.get(bid, head)
        assert row["recipient"] == {
            "person_id": recipient,
            "full_name": land.names[recipient],
            "national_id": land.national_ids[recipient],  # what they show at the pay table
        }
    paid_to_son = next(b for b, p in land.paid.items() if p != land.heads[b])
    assert rows[paid_to_son]["payments"][0]["method"] == "cash"
    assert rows[paid_to_son]["status"] == "paid"


def test_household_benefit_is_signed_for_by_the_head(story: Story) -> None:
    land = make_sheetland(story, huoi=1, me=2)
    last = sheet_of(story, village=ME)["villages"][0]["rows"][-1]
    assert last["name"] == land.names[land.heads[last["benefit_id"]]]
    assert last["status"] == "unpaid" and last["payments"] == []


def test_filters_keep_one_village_or_one_program(story: Story) -> None:
    land = make_sheetland(story, huoi=3, me=2)
    by_village = sheet_of(story, village=ME)
    assert [g["village"] for g in by_village["villages"]] == [ME]
    assert by_village["total"]["rows"] == 2 and by_village["village"] == ME
    by_program = sheet_of(story, program=land.invalids)
    assert by_program["program"] == "TB"
    assert {r["program_code"] for g in by_program["villages"] for r in g["rows"]} == {"TB"}
    assert sheet_of(story, program="TB")["total"] == by_program["total"]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"village": "Bản Không Có"}, "village"),
        ({"program": "KHONG"}, "program"),
        ({"month": "2022-13"}, "month"),
    ],
)
def test_sheet_refused_for_an_unknown_village_program_or_bad_month(
    story: Story, kw: dict[str, str], field: str
) -> None:
    make_sheetland(story, huoi=1, me=1)
    with pytest.raises(InvalidField) as refused:
        sheet_of(story, **kw)
    assert refused.value.field == field


def test_sheet_states_its_columns_commune_and_checkpoint(story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    sheet = sheet_of(story)
    assert sheet["columns"] == list(HEADINGS_VI)
    assert sheet["commune"] == "UBND xã Chiềng En" and sheet["place"] == "Chiềng En"
    assert sheet["checkpoint"]["tree_size"] == sheet["as_of"]["entries"] > 0
    english = sheet_of(story, lang="en")
    assert english["columns"][-1] == "Signature" and english["total_words"].endswith(" dong")


def test_month_with_nothing_due_is_an_empty_sheet_of_zero(story: Story) -> None:
    make_sheetland(story, huoi=1, me=1)
    sheet = sheet_of(story, month="2021-12")
    assert sheet["villages"] == [] and sheet["total"] == {"rows": 0, "due": 0, "paid": 0}
    assert sheet["total_words"] == "Không đồng"


def test_commune_place_is_its_name_without_the_committee() -> None:
    assert place_of("UBND xã Chiềng En") == "Chiềng En"
    assert place_of("Ủy ban nhân dân phường Tô Hiệu") == "Tô Hiệu"
    assert place_of("Chiềng Khoong") == "Chiềng Khoong"
