"""The documents the public pages show, and the digest a printed list carries.

A public page is drawn from the log at one size (``as_of``, the tree size of
the Merkle log) and shows that size, the Merkle root of the log at that size,
and a digest of what it lists:

    digest = lowercase hex SHA-256 of the JCS (RFC 8785) canonical JSON of
      {"ledger": ledger id, "on": "YYYY-MM-DD", "as_of": tree size,
       "root": base64 Merkle root at that size, "village": filter or null,
       "program": filter or null, "rows": [row, ...]}

The rows are exactly what the page lists, in the page's order, each with the
values shown, written language-neutrally (status codes, categories and
amounts in đồng as integers; a withheld name is ``null``). A sum beyond
2^53 - 1 (possible with amounts v1 allowed) is a decimal string instead,
so that JCS stays exact (FORMATS 1.1):

    {"list": "households", "village", "household_code", "head", "status"}
    {"list": "beneficiaries", "program_code", "program_name", "category",
     "village", "household_code", "name", "amount"}

``/lists.json`` serves these canonical bytes as they are, so
``sha256sum lists.json`` gives the digest. The totals page does the same for
``{"ledger", "year", "as_of", "root", "rows": [{"program_code",
"program_name", "month", "payments", "paid"}]}`` at ``/totals.json``.

Public rows never carry a national id, ethnicity, health detail or bank
account. Names come from the personal-data vault when the server holds its
key, as the snapshot's commitments name them (:mod:`api.reading`); when it
does not, or the person's record has been erased, the row shows the
household code only and says the name is withheld.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import rfc8785

from api.reading import Read, approved_lists, review_rounds
from ledger.errors import InvalidField, UnknownEntity
from ledger.formats.versions import exact_json
from projections.model import Snapshot
from projections.reports.entitlements import check_date, snapshot_date
from projections.reports.funds import counted_payments
from projections.reports.reviews import posting_windows

HOUSEHOLDS = "households"  # the ``program`` filter naming the poor / near-poor list
_YEAR = re.compile(r"(19|20|21)\d\d")


@dataclass(frozen=True)
class ProgramInfo:
    code: str
    name: str
    category: str
    kind: str


@dataclass(frozen=True)
class PublicList:
    """One list document, its canonical bytes and digest, and what a page needs beside."""

    doc: dict[str, Any]
    canonical: bytes
    digest: str
    commune: str
    villages: list[str]
    programs: list[ProgramInfo]
    last_recorded_at: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.doc["rows"]
        return rows


def canonical(doc: dict[str, Any]) -> bytes:
    """The JCS (RFC 8785) bytes of ``doc``: what the digest is computed over.

    A sum too large for a JSON number is written as a decimal string.
    """
    return rfc8785.dumps(exact_json(doc))


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- parameters ------------------------------------------------------------------
def parse_on(value: str | None) -> str | None:
    return None if value is None or value == "" else check_date(value, "on")


def parse_year(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not _YEAR.fullmatch(value):
        raise InvalidField("year", f"{value!r} is not a year YYYY")
    return int(value)


def public(read: Read, fields: dict[str, Any], extra: dict[str, Any] | None = None) -> PublicList:
    """The document of ``fields`` as drawn from ``read`` (its ledger, tree size and root),
    with its canonical bytes and digest."""
    return public_of(read.snap, read.checkpoint, fields, extra)


def public_of(
    snap: Snapshot,
    checkpoint: dict[str, Any],
    fields: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> PublicList:
    """The document of ``fields`` drawn from ``snap`` at ``checkpoint`` (tree size, root)."""
    doc = {"ledger": snap.ledger_id, **fields}
    doc |= {"as_of": checkpoint["tree_size"], "root": checkpoint["root"]}
    data = canonical(doc)
    return PublicList(
        doc,
        data,
        digest_of(data),
        snap.name,
        villages_of(snap),
        program_infos(snap),
        snap.last_recorded_at,
        extra or {},
    )


# -- the lists ------------------------------------------------------------------------
def program_infos(snap: Snapshot) -> list[ProgramInfo]:
    programs = sorted(snap.programs.values(), key=lambda p: (p.code, p.program_id))
    return [ProgramInfo(p.code, p.name, p.category, p.kind) for p in programs]


def villages_of(snap: Snapshot) -> list[str]:
    return sorted({h.village for h in snap.households.values()})


def list_document(
    read: Read, on: str | None, village: str | None, program: str | None
) -> PublicList:
    """The approved lists of ``on``, for one village and program (or all), with names."""
    check_filters(read.snap, village, program)
    approved = approved_lists(read, on, named=True)
    fields = list_fields(approved, village, program)
    windows = posting_windows(review_rounds(read), approved["on"])
    postings = [w for w in windows if village is None or w["village"] == village]
    extra = {"recipients": recipients(read.snap, approved, village, program), "postings": postings}
    return public(read, fields, extra)


def chosen_benefits(
    approved: dict[str, Any], village: str | None, program: str | None
) -> list[dict[str, Any]]:
    """The beneficiary rows of one village and program (or all)."""
    return [
        b
        for b in approved["beneficiaries"]
        if (village is None or b["village"] == village)
        and program != HOUSEHOLDS
        and (program is None or b["program_code"] == program)
    ]


def recipients(
    snap: Snapshot, approved: dict[str, Any], village: str | None, program: str | None
) -> list[str]:
    """Who each beneficiary row pays, so that pages count people, not rows: a person on
    two programs is one person; a benefit paid to a household counts the household."""
    return [
        f"person:{person}"
        if (person := snap.benefits[b["benefit_id"]].person_id)
        else f"household:{b['household_code']}"
        for b in chosen_benefits(approved, village, program)
    ]


def check_filters(snap: Snapshot, village: str | None, program: str | None) -> None:
    """An unknown village or program, refused naming it."""
    if village is not None and village not in villages_of(snap):
        raise UnknownEntity(f"village: no village {village!r} in this ledger", field="village")
    codes = {p.code for p in program_infos(snap)}
    if program is not None and program != HOUSEHOLDS and program not in codes:
        raise UnknownEntity(f"program: no program {program!r} in this ledger", field="program")


def list_fields(
    approved: dict[str, Any], village: str | None, program: str | None
) -> dict[str, Any]:
    """The fields of the list document of one village and program (or all), from the
    named approved lists (:func:`api.reading.approved_lists`)."""
    on = str(approved["on"])
    households = [
        h
        for h in approved["households"]
        if (village is None or h["village"] == village) and program in (None, HOUSEHOLDS)
    ]
    benefits = chosen_benefits(approved, village, program)
    rows: list[dict[str, Any]] = [
        {
            "list": "households",
            "village": h["village"],
            "household_code": h["household_code"],
            "head": h["head_name"],
            "status": h["status"],
        }
        for h in households
    ]
    rows += [
        {
            "list": "beneficiaries",
            "program_code": b["program_code"],
            "program_name": b["program_name"],
            "category": b["category"],
            "village": b["village"],
            "household_code": b["household_code"],
            "name": b["full_name"],
            "amount": b["amount"],
        }
        for b in benefits
    ]
    return {"on": on, "village": village, "program": program, "rows": rows}


# -- totals -----------------------------------------------------------------------------
def totals_document(read: Read, year: int | None) -> PublicList:
    """Unreversed payments per program and month of ``year`` (default: the latest paid)."""
    snap = read.snap
    counted = counted_payments(snap)
    month_of = {p.payment_id: p.month or p.paid_on[:7] for p in counted}
    if year is None:
        latest = max(month_of.values(), default=None) or snapshot_date(snap)
        year = int(latest[:4]) if latest else 0
    sums: dict[tuple[str, str, str], list[int]] = {}
    for payment in counted:
        month = month_of[payment.payment_id]
        if month[:4] != f"{year:04d}":
            continue
        program = snap.programs[snap.benefits[payment.benefit_id].program_id]
        found = sums.setdefault((program.code, program.name, month), [0, 0])
        found[0] += 1
        found[1] += payment.amount
    rows = [
        {"program_code": code, "program_name": name, "month": month, "payments": n, "paid": paid}
        for (code, name, month), (n, paid) in sorted(sums.items())
    ]
    years = sorted({int(m[:4]) for m in month_of.values()})
    return public(read, {"year": year, "rows": rows}, {"years": years})
