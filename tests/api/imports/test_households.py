"""Danh sách hộ: each row a household.registered, codes new to the file and the ledger."""

from __future__ import annotations

import uuid

from tests.api.imports.village import Village, codes, xlsx

HEADERS = ["Mã hộ", "Thôn/bản"]


def test_each_household_row_becomes_a_statement_the_ledger_accepts(village: Village) -> None:
    preview = village.parse(
        "households", xlsx([HEADERS, ["HH-101", "Bản Mé"], ["HH-102", "Bản Mé"]])
    )
    assert codes(preview) == []
    bodies = [b for _, _, b in preview.statements]
    assert [b["code"] for b in bodies] == ["HH-101", "HH-102"]
    assert all(str(uuid.UUID(b["household_id"])) == b["household_id"] for b in bodies)
    accepted = village.record(preview)
    assert len(accepted) == 2
    after = village.read().snap.households
    assert {h.code for h in after.values()} >= {"HH-101", "HH-102"}


def test_a_code_already_in_the_ledger_or_repeated_in_the_file_is_a_duplicate(
    village: Village,
) -> None:
    rows = [HEADERS, ["HH-001", "Bản Mé"], ["HH-201", "Bản Mé"], ["HH-201", "Bản Mé"]]
    preview = village.parse("households", xlsx(rows))
    assert codes(preview) == [
        (2, "Mã hộ", "DUPLICATE_HOUSEHOLD"),
        (4, "Mã hộ", "DUPLICATE_HOUSEHOLD"),
    ]
    messages = [e["message"] for r in preview.rows for e in r.errors]
    assert "đã có trong sổ cái" in messages[0]
    assert "trùng với dòng 3" in messages[1]


def test_a_missing_village_is_named_by_its_column_in_english_too(village: Village) -> None:
    rows = [["Household code", "Village"], ["HH-301", ""], ["HH-302", "Bản Mé"]]
    preview = village.parse("households", xlsx(rows), lang="en")
    (error,) = [e for r in preview.rows for e in r.errors]
    assert error == {
        "column": "Village",
        "field": "body.village",
        "code": "MISSING_VALUE",
        "message": "Column “Village”: required, left empty.",
    }
    assert preview.to_json()["summary"] == {
        "rows": 2, "bad_rows": 1, "skipped": 0, "statements": 1, "notes": 0
    }  # fmt: skip


def test_a_text_the_ledger_refuses_is_named_by_the_column_it_came_from(village: Village) -> None:
    preview = village.parse("households", xlsx([HEADERS, ["HH-401", "---"]]))
    ((row, column, code),) = codes(preview)
    assert (row, column, code) == (2, "Thôn/bản", "INVALID_FIELD")
    assert preview.rows[0].errors[0]["field"] == "body.village"
