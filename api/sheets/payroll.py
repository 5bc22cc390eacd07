"""The printable payroll sheet (danh sách chi trả) of a month, as the cashier takes it out.

Built from the payroll report (:func:`api.reading.payroll_sheet`, names from
the vault as the snapshot commits to them): its rows grouped by village
(villages in order), numbered across the sheet (STT), each with who is due
(the beneficiary; of a household benefit, the household's head), what is
due, what was paid so far, when, how and to whom; a subtotal per village, a
grand total and the total due in words. Each row carries its lookup code
(mã tra cứu), which the beneficiary can check on the public page
``/xac-nhan/{code}``. A row still unpaid names its
beneficiary as the recipient expected to sign. The sheet states what it was
drawn from (ledger, entries, checkpoint), as every report does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from api import reading
from api.sheets.columns import headings
from api.sheets.words import amount_in_words
from ledger.errors import InvalidField, VaultKeyMissing
from projections.model import Snapshot
from projections.reports.entitlements import check_month

_COMMUNE_PREFIX = re.compile(
    r"^\s*(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(xã|phường|thị trấn)\s+", re.I
)


def payroll_sheet(
    read: reading.Read,
    month: str,
    *,
    on: str | None = None,
    village: str | None = None,
    program: str | None = None,
    lang: str = "vi",
) -> dict[str, Any]:
    """The sheet of ``month``, of one ``village`` and one ``program`` (code or id) if given.

    An unknown village or program is refused (``InvalidField``), rather than
    printed as an empty sheet that looks like nobody is due anything.
    """
    check_month(month, "month")
    snap = read.snap
    program_code = _program(snap, program)
    if village is not None and village not in {h.village for h in snap.households.values()}:
        raise InvalidField("village", f"no household of this ledger is in {village!r}")
    doc = reading.payroll_sheet(read, month, on, named=True)
    rows = [
        r
        for r in doc["rows"]
        if (village is None or r["village"] == village)
        and (program_code is None or r["program_code"] == program_code)
    ]
    beneficiaries, named = _beneficiaries(read, doc["on"], rows)
    villages: dict[str, list[dict[str, Any]]] = {}
    rows.sort(
        key=lambda r: (
            collation(r["village"]),
            r["household_code"],
            r["program_code"],
            r["benefit_id"],
        )
    )
    ids = _national_ids(read, rows, beneficiaries) if named else {}
    for number, row in enumerate(rows, start=1):
        villages.setdefault(row["village"], []).append(
            _row(snap, number, row, beneficiaries[row["benefit_id"]], ids)
        )
    groups: list[dict[str, Any]] = [
        {"village": name, "rows": found, "subtotal": _sum(found)}
        for name, found in villages.items()
    ]
    total = _sum([row for found in villages.values() for row in found])
    return {
        "commune": snap.name,
        "place": place_of(snap.name),
        "month": month,
        "on": doc["on"],
        "village": village,
        "program": program_code,
        "lang": lang,
        "named": named,
        "columns": list(headings(lang)),
        "villages": groups,
        "total": total,
        "total_words": amount_in_words(total["due"], lang),
        **read.meta(),
    }


def place_of(commune: str) -> str:
    """The commune's own name, for "Chiềng En, ngày ...": the ledger's name without "UBND xã"."""
    return _COMMUNE_PREFIX.sub("", commune).strip() or commune


def collation(name: str) -> tuple[str, str]:
    """A Vietnamese name's place in order: its letters first, then its tones and marks."""
    bare = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in bare if not unicodedata.combining(c)).casefold(), name


def _program(snap: Snapshot, wanted: str | None) -> str | None:
    """The code of the program named by ``wanted`` (its code or its id)."""
    if wanted is None:
        return None
    for found in snap.programs.values():
        if wanted in (found.code, found.program_id):
            return found.code
    raise InvalidField("program", f"no program of this ledger has the code or id {wanted!r}")


def _beneficiaries(
    read: reading.Read, on: str, rows: Iterable[dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], bool]:
    """Each row's beneficiary (``person_id``, ``full_name``): the person of a personal
    benefit, the head on ``on`` of a household benefit's household; and whether the
    vault could be read (without its key, no one is named)."""
    snap = read.snap
    head_of = reading.heads(snap, on)
    found: dict[str, str | None] = {}
    for row in rows:
        benefit = snap.benefits[row["benefit_id"]]
        head = head_of.get(benefit.household_id or "")
        found[row["benefit_id"]] = benefit.person_id or (head.person_id if head else None)
    try:
        records = reading.vault_records(read, {p for p in found.values() if p})
    except VaultKeyMissing:  # a server or command without the vault key: no names at all
        return {bid: {"person_id": pid, "full_name": None} for bid, pid in found.items()}, False
    return {
        bid: {"person_id": pid, "full_name": reading.field_of(records.get(pid or ""), "full_name")}
        for bid, pid in found.items()
    }, True


def _national_ids(
    read: reading.Read, rows: list[dict[str, Any]], beneficiaries: dict[str, dict[str, Any]]
) -> dict[str, str]:
    """The national id (CCCD) of each beneficiary and recipient on the sheet, from the vault:
    what the recipient shows at the pay table, and what the payroll import reads back."""
    people = {b["person_id"] for b in beneficiaries.values() if b["person_id"]}
    people |= {r["person_id"] for row in rows for r in row["recipients"] if r["person_id"]}
    records = reading.vault_records(read, people)
    found = {pid: reading.field_of(records.get(pid), "national_id") for pid in people}
    return {pid: str(number) for pid, number in found.items() if number}


def _row(
    snap: Snapshot,
    number: int,
    row: dict[str, Any],
    beneficiary: dict[str, Any],
    ids: dict[str, str],
) -> dict[str, Any]:
    payments = [snap.payments[p] for p in row["payment_ids"]]
    recipients = [
        {**r, "national_id": ids.get(r["person_id"] or "")}
        for r in (row["recipients"] or [beneficiary])
    ]
    return {
        "no": number,
        "village": row["village"],
        "household_code": row["household_code"],
        "name": beneficiary["full_name"],
        "program_id": row["program_id"],
        "program_code": row["program_code"],
        "program_name": row["program_name"],
        "due": row["due"],
        "paid": row["paid"],
        "status": row["status"],
        "benefit_id": row["benefit_id"],
        "receipt_code": row["receipt_code"],
        "person_id": beneficiary["person_id"],
        "recipient": dict(recipients[0]),
        "recipients": [dict(r) for r in recipients],
        "payments": [
            {
                "payment_id": p.payment_id,
                "paid_on": p.paid_on,
                "amount": p.amount,
                "method": p.method,
                "receipt_kind": p.receipt_kind,
            }
            for p in payments
        ],
    }


def _sum(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "rows": len(rows),
        "due": sum(r["due"] for r in rows),
        "paid": sum(r["paid"] for r in rows),
    }
