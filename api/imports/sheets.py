"""A spreadsheet's bytes as rows of cells under a header row: XLSX or CSV, as communes save them.

XLSX: the first worksheet holds the list. A plain sheet, as spreadsheet
programs write them, is read by :mod:`api.imports.xlsx` (several times
faster); any other by openpyxl in read-only mode (rows streamed, values
only). CSV is UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"
writes one), separated by ``;`` (Excel in a Vietnamese locale) or ``,``:
whichever finds the header.

The header row is the row, among the first :data:`HEADER_SEARCH_ROWS`, that
names the most of the layout's columns (printed sheets carry the commune's
name and the list's title above it). Column order is free, unknown columns
are ignored and empty rows skipped. A cell above the header reading
``Tháng: mm/yyyy`` gives the payroll's month.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from api.imports.layouts import Layout
from api.imports.messages import ImportRefused

HEADER_SEARCH_ROWS = 15
MAX_ROWS = 50_000  # a commune's list is a few thousand rows; bigger files are split
XLSX_MAGIC = b"PK\x03\x04"
_TITLE_MONTH = re.compile(
    r"(?:tháng|month)\s*:?\s*(?:(\d{1,2})\s*[/.\-]\s*(\d{4})|(\d{4})-(\d{2}))", re.IGNORECASE
)


@dataclass(frozen=True)
class Sheet:
    """The rows of a list under its header."""

    header_row: int
    columns: dict[str, tuple[int, str]]  # column key -> (position, header as written)
    rows: list[tuple[int, tuple[Any, ...]]]  # (row number in the sheet, its cells)
    title_month: str | None  # "YYYY-MM" from a "Tháng: mm/yyyy" cell above the header


def normal(text: str) -> str:
    """A header compared as officers mean it: NFC, case and spacing ignored, no trailing ``:*``."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return " ".join(folded.split()).replace(" /", "/").replace("/ ", "/").rstrip(":* ")


def format_of(filename_or_format: str, lang: str = "vi") -> str:
    """``xlsx`` or ``csv`` from a file name, a format name or a content type."""
    name = filename_or_format.lower().split(";")[0].strip()
    if name.endswith(("xlsx", "spreadsheetml.sheet")):
        return "xlsx"
    if name.endswith(("csv", "text/plain")):
        return "csv"
    raise ImportRefused("UNREADABLE_FILE", lang, problem=f"{filename_or_format}: not XLSX or CSV")


def read_sheet(data: bytes, fmt: str, layout: Layout, lang: str) -> Sheet:
    """The list in ``data`` (``fmt``: xlsx or csv) under its header row, as ``layout`` names it."""
    if fmt == "xlsx":
        return _under_header(_xlsx_rows(data, lang), layout, lang)
    text = _csv_text(data, lang)
    best: Sheet | None = None
    failure: ImportRefused | None = None
    for delimiter in (";", ",", "\t"):
        try:
            found = _under_header(_csv_rows(text, delimiter), layout, lang)
        except ImportRefused as exc:
            failure = failure if failure is not None and failure.code != "NO_HEADER" else exc
            continue
        if best is None or len(found.columns) > len(best.columns):
            best = found
    if best is None:
        assert failure is not None
        raise failure
    return best


def _xlsx_rows(data: bytes, lang: str) -> Iterator[tuple[Any, ...]]:
    from api.imports import xlsx

    if not data.startswith(XLSX_MAGIC):
        raise ImportRefused("UNREADABLE_FILE", lang, problem="not an XLSX workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            plain = xlsx.rows(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRefused("UNREADABLE_FILE", lang, problem=f"XLSX: {exc}") from None
    if plain is not None:
        yield from plain
        return
    yield from _openpyxl_rows(data, lang)


def _openpyxl_rows(data: bytes, lang: str) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()
    except Exception as exc:  # openpyxl refuses a malformed part with whatever it meets
        raise ImportRefused("UNREADABLE_FILE", lang, problem=f"XLSX: {exc!r}"[:300]) from None


def _csv_text(data: bytes, lang: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = f"CSV is not UTF-8 (byte {exc.start}); save it as “CSV UTF-8”"
        raise ImportRefused("UNREADABLE_FILE", lang, problem=problem) from None


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[Any, ...]]:
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield tuple(row)
    except csv.Error as exc:
        raise ImportRefused("UNREADABLE_FILE", "en", problem=f"CSV: {exc}") from None


def _header_matches(row: tuple[Any, ...], known: dict[str, str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for position, cell in enumerate(row):
        if isinstance(cell, str) and (key := known.get(normal(cell))) and key not in found:
            found[key] = (position, cell.strip())
    return found


def _under_header(rows: Iterable[tuple[Any, ...]], layout: Layout, lang: str) -> Sheet:
    known = {normal(h): c.key for c in layout.columns for h in c.headers()}
    iterator = iter(rows)
    above: list[tuple[Any, ...]] = []
    best: tuple[int, dict[str, tuple[int, str]]] = (0, {})
    for number, row in enumerate(iterator, start=1):
        matches = _header_matches(row, known)
        if len(matches) > len(best[1]):
            best = (number, matches)
        above.append(row)
        if number >= HEADER_SEARCH_ROWS or (matches and len(matches) == len(layout.columns)):
            break
    header_row, columns = best
    if not columns:
        needed = ", ".join(c.header(lang) for c in layout.columns if c.required)
        raise ImportRefused("NO_HEADER", lang, columns=needed)
    missing = [c.header(lang) for c in layout.columns if c.required and c.key not in columns]
    if missing:
        raise ImportRefused("MISSING_COLUMN", lang, row=header_row, columns=", ".join(missing))
    body = [(n, r) for n, r in enumerate(above, start=1) if n > header_row]
    data = [(n, r) for n, r in body if not _empty(r)]
    for number, row in enumerate(iterator, start=len(above) + 1):
        if _empty(row):
            continue
        if len(data) >= MAX_ROWS:
            raise ImportRefused("TOO_MANY_ROWS", lang, limit=MAX_ROWS)
        data.append((number, row))
    return Sheet(header_row, columns, data, _title_month(above[: header_row - 1]))


def _empty(row: tuple[Any, ...]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _title_month(rows: list[tuple[Any, ...]]) -> str | None:
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and (m := _TITLE_MONTH.search(cell)):
                mm, yyyy = (m[1], m[2]) if m[1] else (m[4], m[3])
                if 1 <= int(mm) <= 12:
                    return f"{yyyy}-{int(mm):02d}"
    return None
