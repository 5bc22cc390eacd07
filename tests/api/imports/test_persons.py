"""Danh sách nhân khẩu: person.registered with a vault record, checked against the vault."""

from __future__ import annotations

import datetime
from typing import Any

from api import reading
from api.imports.preview import parse
from api.reading import Direct
from ledger.application import LedgerApplication
from tests.api.imports.village import HEAD_ID, Village, codes, xlsx

HEADERS = ["Mã hộ", "Họ và tên", "Số định danh", "Ngày sinh", "Giới tính", "Quan hệ với chủ hộ"]


def member(**kw: Any) -> list[Any]:
    row = {"code": "HH-003", "name": "Cà Thị Lả", "id": "014190000201", "born": "14/07/1992"}
    row |= {"sex": "Nữ", "relation": "Thành viên"} | kw
    return [row["code"], row["name"], row["id"], row["born"], row["sex"], row["relation"]]


def test_members_are_registered_with_their_records_in_the_vault(village: Village) -> None:
    rows = [
        HEADERS,
        member(relation="Chủ hộ", sex="Nam", name="Cà Văn Pọm", id="014190000202"),
        member(born=datetime.datetime(1992, 7, 14), id=14190000201),  # an Excel date, a number
        member(born="1990-01-31", sex="khac", id="123456789", relation="Con"),
    ]
    preview = village.parse("persons", xlsx(rows))
    assert codes(preview) == []
    bodies = [b for _, _, b in preview.statements]
    assert [(b["relation"], b["sex"], b["birth_year"]) for b in bodies] == [
        ("head", "m", 1992),
        ("member", "f", 1992),
        ("member", "x", 1990),
    ]
    second = preview.rows[1]
    (record,) = second.vault
    assert record.record == {
        "full_name": "Cà Thị Lả",
        "national_id": "014190000201",
        "birth_date": "1992-07-14",
    }
    assert second.statements[0][1]["pii"] == record.commitment
    village.record(preview)
    read = village.read()
    stored = reading.vault_record(read, record.person_id)
    assert stored is not None and stored.record == record.record


def test_bad_dates_sexes_relations_and_ids_are_each_named(village: Village) -> None:
    rows = [
        HEADERS,
        member(born="31/02/1990"),
        member(sex="Trai", id="014190000301"),
        member(relation="Hàng xóm", id="014190000302"),
        member(id="01419"),
        member(code="HH-999", id="014190000303"),
    ]
    assert codes(village.parse("persons", xlsx(rows))) == [
        (2, "Ngày sinh", "BAD_DATE"),
        (3, "Giới tính", "BAD_SEX"),
        (4, "Quan hệ với chủ hộ", "BAD_RELATION"),
        (5, "Số định danh", "BAD_NATIONAL_ID"),
        (6, "Mã hộ", "UNKNOWN_HOUSEHOLD"),
    ]


def test_an_id_number_in_the_vault_or_twice_in_the_file_is_a_duplicate(village: Village) -> None:
    rows = [HEADERS, member(id=HEAD_ID), member(id="014190000401"), member(id="014190000401")]
    preview = village.parse("persons", xlsx(rows))
    assert preview.vault_checked is True
    assert codes(preview) == [
        (2, "Số định danh", "DUPLICATE_NATIONAL_ID"),
        (4, "Số định danh", "DUPLICATE_NATIONAL_ID"),
    ]


def test_a_second_head_in_the_ledger_or_the_file_is_refused(village: Village) -> None:
    rows = [
        HEADERS,
        member(code="HH-001", relation="Chủ hộ"),  # HH-001 has its head already
        member(relation="Chủ hộ", id="014190000501"),
        member(relation="Chủ hộ", id="014190000502"),
    ]
    assert codes(village.parse("persons", xlsx(rows))) == [
        (2, "Quan hệ với chủ hộ", "SECOND_HEAD"),
        (4, "Quan hệ với chủ hộ", "SECOND_HEAD"),
    ]


def test_without_the_vault_key_the_preview_says_the_vault_was_not_checked(
    village: Village, db_url: str, monkeypatch: Any
) -> None:
    monkeypatch.delenv("ANSINH_VAULT_KEY", raising=False)
    monkeypatch.delenv("ANSINH_VAULT_KEY_FILE", raising=False)
    keyless = LedgerApplication(db_url)
    try:
        read = reading.read_at(Direct(keyless), None)
        preview = parse("persons", xlsx([HEADERS, member(id=HEAD_ID)]), "xlsx", read)
    finally:
        keyless.close()
    assert preview.vault_checked is False
    assert codes(preview) == []  # the duplicate could not be seen
    assert preview.to_json()["vault_checked"] is False
