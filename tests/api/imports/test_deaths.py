"""Danh sách khai tử: the civil registry's deaths matched through the vault, and what they stop."""

from __future__ import annotations

from typing import Any

from api.imports.preview import layout_of
from api.imports.templates import template_csv
from projections.reports.payroll import payroll
from projections.reports.reconciliation import reconcile
from tests.api.imports.village import (
    HEAD_ID,
    OTHER_ID,
    SON_ID,
    Village,
    benefit,
    codes,
    person,
    program,
    uid,
    xlsx,
)

HEADERS = ["STT", "Số định danh cá nhân", "Họ và tên", "Ngày chết", "Số trích lục khai tử"]
STRANGER_ID = "014190099999"


def notes(preview: Any) -> list[tuple[int, str, str]]:
    return [(r.number, n["column"], n["code"]) for r in preview.rows for n in r.notes]


def pay_march(village: Village) -> str:
    """A payment of the head's allowance for March 2022, recorded before her death is known."""
    payment_id = uid()
    body = {"payment_id": payment_id, "benefit_id": village.monthly, "month": "2022-03"}
    body |= {"amount": 1_624_000, "paid_on": "2022-03-10", "method": "cash"}
    body |= {"recipient": village.head, "receipt": {"kind": "signature", "evidence": "cd" * 32}}
    village.story.submit(village.story.o.sub("cashier", "payment.recorded", body))
    return payment_id


def bury_other(village: Village) -> None:
    body = {"person_id": village.other, "date": "2021-12-01"}
    village.story.submit(village.story.o.sub("registrar", "person.died", body))


def test_a_death_list_records_the_matched_and_tells_of_the_rest(village: Village) -> None:
    paid_after = pay_march(village)
    bury_other(village)
    rows = [
        ["UBND XÃ CHIỀNG EN"],
        ["DANH SÁCH KHAI TỬ THÁNG 02/2022"],
        HEADERS,
        [1, HEAD_ID, "Lò Thị Xuân", "15/02/2022", "07/TLKT"],
        [2, STRANGER_ID, "Cầm Văn Đôi", "20/02/2022", "08/TLKT"],
        [3, OTHER_ID, "Quàng Văn Bình", "01/12/2021", ""],
        [4, SON_ID, "Lò Văn Thắn", "22/02/2022", ""],
    ]
    preview = village.parse("deaths", xlsx(rows))
    assert codes(preview) == []
    assert notes(preview) == [
        (5, "Số định danh cá nhân", "NOT_IN_REGISTRY"),
        (6, "Số định danh cá nhân", "DEATH_ALREADY_RECORDED"),
        (7, "Họ và tên", "NAME_MISMATCH"),
    ]
    assert "không có trong sổ" in preview.rows[1].notes[0]["message"]
    assert "01/12/2021" in preview.rows[2].notes[0]["message"]
    assert "Lò Văn Thắng" in preview.rows[3].notes[0]["message"]
    assert [b for _, _, b in preview.statements] == [
        {"person_id": village.head, "date": "2022-02-15"},
        {"person_id": village.son, "date": "2022-02-22"},
    ]
    assert preview.to_json()["summary"] == {
        "rows": 4, "bad_rows": 0, "skipped": 2, "statements": 2, "notes": 3
    }  # fmt: skip
    head = preview.rows[0].shown
    assert head is not None
    assert (head["household_code"], head["person_code"]) == ("HH-001", "HH-001/1")
    assert (head["full_name"], head["date"]) == ("Lò Thị Xuân", "2022-02-15")
    (stopped,) = head["benefits"]
    assert (stopped["program_code"], stopped["last_month"]) == ("TB-61", "2022-02")
    assert [p["payment_id"] for p in stopped["paid_after_death"]] == [paid_after]
    son = preview.rows[3].shown
    assert son is not None and son["person_code"] == "HH-001/2"
    assert son["benefits"] == []  # his allowance was only proposed

    village.record(preview)
    snap = village.read().snap
    assert snap.people[village.head].died_on == "2022-02-15"
    assert snap.people[village.son].died_on == "2022-02-22"
    found = reconcile(snap, "2022-01", "2022-03")["anomalies"]
    after = [a for a in found if a["code"] == "PAID_AFTER_DEATH"]
    assert [a["payment_id"] for a in after] == [paid_after]
    assert village.monthly not in {r["benefit_id"] for r in payroll(snap, "2022-04")["rows"]}


def test_the_payroll_listed_her_before_the_death_list_came(village: Village) -> None:
    snap = village.read().snap
    due = {r["benefit_id"]: r["due"] for r in payroll(snap, "2022-04")["rows"]}
    assert due[village.monthly] == 1_624_000


def test_bad_rows_stop_the_batch_with_their_codes(village: Village) -> None:
    rows = [
        HEADERS,
        [1, HEAD_ID, "Lò Thị Xuân", "31/02/2022", ""],
        [2, SON_ID, "Lò Văn Thắng", "01/01/2999", ""],
        [3, OTHER_ID, "Quàng Văn Bình", "02/01/1940", ""],
        [4, "01415", "Ai đó", "02/01/2022", ""],
        [5, HEAD_ID, "Lò Thị Xuân", "16/02/2022", ""],
        [6, STRANGER_ID, "Cầm Văn Đôi", "", ""],
    ]
    preview = village.parse("deaths", xlsx(rows), lang="en")
    assert codes(preview) == [
        (2, "Ngày chết", "BAD_DATE"),
        (3, "Ngày chết", "DEATH_IN_FUTURE"),
        (4, "Ngày chết", "DEATH_BEFORE_BIRTH"),
        (5, "Số định danh cá nhân", "BAD_NATIONAL_ID"),
        (6, "Số định danh cá nhân", "DUPLICATE_NATIONAL_ID"),
        (7, "Ngày chết", "MISSING_VALUE"),
    ]
    assert "repeats row 2" in preview.rows[4].errors[0]["message"]
    assert preview.to_json()["summary"]["bad_rows"] == 6


def test_the_registry_may_write_ngay_mat_and_a_number_cell(village: Village) -> None:
    rows = [["Số CCCD", "Họ và tên", "Ngày mất"], [int(HEAD_ID), "lò thị  xuân", "2022-02-15"]]
    preview = village.parse("deaths", xlsx(rows))
    assert (codes(preview), notes(preview)) == ([], [])
    assert [b["person_id"] for _, _, b in preview.statements] == [village.head]


def test_a_one_off_benefit_is_not_listed_as_stopped(village: Village) -> None:
    rows = [HEADERS, [1, OTHER_ID, "Quàng Văn Bình", "15/02/2022", ""]]
    shown = village.parse("deaths", xlsx(rows)).rows[0].shown
    assert shown is not None
    assert shown["benefits"] == []  # his household's only benefit is a one-off


def test_the_template_names_the_registry_columns() -> None:
    header = template_csv(layout_of("deaths")).decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == HEADERS


def test_a_household_benefit_stops_with_its_last_living_member(village: Village) -> None:
    story, household = village.story, village.households["HH-003"]
    person(story, household, "Hà Thị Lan", "014140000301", "head")
    person(story, household, "Hà Văn Sơn", "014140000302", "member")
    allowance = benefit(story, program(story, "BTXH-1", "monthly"), {"household_id": household})
    rows = [HEADERS, [1, "014140000301", "Hà Thị Lan", "10/03/2022", ""]]
    shown = village.parse("deaths", xlsx(rows)).rows[0].shown
    assert shown is not None and shown["benefits"] == []  # her son lives: it is still due
    rows.append([2, "014140000302", "Hà Văn Sơn", "20/04/2022", ""])
    preview = village.parse("deaths", xlsx(rows))
    last = preview.rows[1].shown
    assert last is not None and last["person_code"] == "HH-003/2"
    stopped = {b["benefit_id"]: b["last_month"] for b in last["benefits"]}
    assert stopped == {village.empty_household_benefit: "2022-04", allowance: "2022-04"}
    rows[1:] = [rows[2], rows[1]]  # the son's row first: the household lived until April
    last = village.parse("deaths", xlsx(rows)).rows[1].shown
    assert last is not None and {b["last_month"] for b in last["benefits"]} == {"2022-04"}
