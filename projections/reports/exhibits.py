"""The findings of a reconciliation as a report shows them, and how to check each.

A table, CSV or XLSX lists each finding (:mod:`.findings`) by what a person
acts on: its id, what it is, the village, household and person codes, the
name (read with the vault key only), the program, the months, the amounts
(expected, paid, difference, in đồng), the text in the report's language
(``detail_vi`` in Vietnamese, ``detail`` in English), the log entries that
prove it and, under "Kiểm chứng" ("Verify"), the commands that check them
offline: ``ansinh history CODE`` for the household's or person's statements,
and ``ansinh proof inclusion --index N --tree-size T`` for each entry, T
being the size of the log the report was computed from (the checkpoint it
states). The ids (UUIDs) follow, last.
"""

from __future__ import annotations

from typing import Any

Labels = dict[str, tuple[str, str]]

FINDING_HEADINGS: Labels = {
    "finding_id": ("Mã phát hiện", "Finding"),
    "person_code": ("Nhân khẩu", "Person"),
    "months": ("Tháng", "Months"),
    "expected": ("Phải chi (đ)", "Expected (VND)"),
    "difference": ("Chênh lệch (đ)", "Difference (VND)"),
    "evidence": ("Bút toán chứng minh", "Evidence (entries)"),
    "commands": ("Kiểm chứng", "Verify"),
}
FINDING_MONEY = frozenset({"expected", "difference"})
LEADING = ["finding_id", "code", "label", "village", "household_code", "person_code"]
TRAILING = [
    "program_code",
    "program_name",
    "months",
    "expected",
    "paid",
    "difference",
    "detail",
    "evidence",
    "commands",
    "payment_id",
    "benefit_id",
    "person_id",
    "household_id",
]


def anomaly_columns(anomalies: list[dict[str, Any]]) -> list[str]:
    """The columns of the findings view; ``name`` when the report was read with the vault key."""
    named = ["name"] if any("name" in a for a in anomalies) else []
    return [*LEADING, *named, *TRAILING]


def commands(anomaly: dict[str, Any], tree_size: int) -> list[str]:
    """The commands that check a finding offline against the log of ``tree_size`` entries."""
    found = []
    code = anomaly.get("person_code") or anomaly.get("household_code")
    if code:
        found.append(f"ansinh history {code}")
    found += [
        f"ansinh proof inclusion --index {index} --tree-size {tree_size}"
        for index in anomaly.get("evidence", [])
    ]
    return found


def anomaly_rows(doc: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Each finding as a view's row: the text in ``lang``, the commands to check it."""
    checkpoint = doc.get("checkpoint") or {}
    size = checkpoint.get("tree_size", doc["as_of"]["entries"])
    rows = []
    for a in doc["anomalies"]:
        detail = a.get("detail_vi", a["detail"]) if lang == "vi" else a["detail"]
        rows.append(
            {
                **a,
                "label": a["code"],
                "detail": detail,
                "commands": "\n".join(commands(a, size)),
            }
        )
    return rows
