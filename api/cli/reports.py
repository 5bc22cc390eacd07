"""`ansinh report`: reconciliation, approved lists and payroll, as table, JSON, CSV, XLSX or PDF;
the payroll also as the sheet to print (``--format sheet``, :mod:`api.sheets`).

Every report states what it was computed from: the number of entries
(``--as-of``, default all), the Merkle root of the log at that size, and
whether the notary signed a checkpoint of exactly that size.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from api import reading
from api.cli.deps import DbOpt, VaultKeyOpt, err, open_ledger, out, refusals
from api.cli.duplicates import duplicates_command
from api.sheets import payroll as sheets
from api.sheets.pdf import to_pdf
from api.sheets.report import report_xlsx
from api.sheets.xlsx import sheet_xlsx
from ledger.errors import InvalidField
from ledger.storage.private_files import write_private
from projections.reports.entitlements import check_date, check_month
from projections.reports.export import (
    View,
    format_cell,
    lists_views,
    payroll_views,
    reconciliation_views,
    summary,
    table_of,
    to_csv,
    to_json,
)

report_app = typer.Typer(
    help="Reports: reconciliation (đối soát), approved lists, payroll.", no_args_is_help=True
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    pdf = "pdf"  # the workbook printed (LibreOffice)


class PayrollFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    pdf = "pdf"
    sheet = "sheet"  # the printable sheet (danh sách chi trả) as a workbook


class Lang(StrEnum):
    vi = "vi"
    en = "en"


OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on", help="Business date YYYY-MM-DD to report on (default: end of the last month paid)"
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="What the ledger knew: the first N entries, or a time (ISO 8601, UTC)"
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Headings: Vietnamese or English")]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Write to this file (required for xlsx); csv of several tables: one file each, "
        "named after it (doi-soat.csv: doi-soat-chuong-trinh.csv, ...)",
    ),
]
TableOpt = Annotated[
    str | None,
    typer.Option("--table", help="csv: only this table (e.g. programs, villages, funds)"),
]


def _month(value: str, option: str) -> str:
    try:
        return check_month(value, option)
    except InvalidField as exc:
        raise typer.BadParameter(exc.message.split(": ", 1)[1], param_hint=option) from None


def _date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return check_date(value, option)
    except InvalidField as exc:
        raise typer.BadParameter(exc.message.split(": ", 1)[1], param_hint=option) from None


def _read(db: str | None, as_of: str | None, vault_key: Path | None = None) -> reading.Read:
    """The ledger as of ``--as-of``, read as the HTTP API reads it (:mod:`api.reading`)."""
    ledger = open_ledger(db, vault_key)
    ledger.charter()  # a clear refusal when there is no ledger here
    try:
        return reading.read_at(reading.Direct(ledger), as_of)
    except InvalidField as exc:
        if exc.field != "as_of":
            raise
        raise typer.BadParameter(exc.message.split(": ", 1)[1], param_hint="--as-of") from None


def _check_output(fmt: Format, out_path: Path | None) -> None:
    """Refuse, before any work, an output that cannot be written."""
    if fmt is Format.table and out_path is not None:
        raise typer.BadParameter(
            "a table goes to the terminal; use csv or xlsx", param_hint="--out"
        )
    if fmt in (Format.xlsx, Format.pdf) and out_path is None:
        raise typer.BadParameter(f"{fmt.value} needs a file to write to", param_hint="--out")


def _emit(
    kind: str,
    doc: dict[str, Any],
    views: list[View],
    options: tuple[Format, Lang, Path | None, str | None],
    *,
    private: bool = False,
) -> None:
    """Print or write report ``kind``; ``options``: format, language, file, table;
    ``private`` (it carries names from the vault): written 0600."""
    fmt, lang, out_path, table = options
    if fmt is Format.table:
        _print_tables(doc, views, lang.value)
        return
    if fmt is Format.json:
        data = to_json(doc)
    elif fmt is Format.csv:
        if table is None and len(views) > 1 and out_path is not None:
            for view in views:
                _write(_table_path(out_path, view), to_csv(view), private=private)
            return
        data = to_csv(_table(views, table))
    else:
        data = report_xlsx(kind, doc, views, lang.value)
        if fmt is Format.pdf:
            data = to_pdf(data, out_path.stem if out_path is not None else kind, lang.value)
    if out_path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write(out_path, data, private=private)


def _table(views: list[View], table: str | None) -> View:
    try:
        return table_of(views, table)
    except InvalidField as exc:
        message = exc.message.split(": ", 1)[1]
        if table is None:
            message = (
                f"a CSV file holds one table: name it, or write them all with --out; {message}"
            )
        raise typer.BadParameter(message, param_hint="--table") from None


def _table_path(out_path: Path, view: View) -> Path:
    """``doi-soat.csv`` -> ``doi-soat-chuong-trinh.csv``: the file of one of the report's tables."""
    return out_path.with_name(f"{out_path.stem}-{slug(view.title)}{out_path.suffix or '.csv'}")


def slug(title: str) -> str:
    """A table's title in a file name: ``Sai phạm, bất thường`` -> ``sai-pham-bat-thuong``."""
    bare = unicodedata.normalize("NFD", title.replace("đ", "d").replace("Đ", "D"))
    letters = "".join(c for c in bare if not unicodedata.combining(c)).casefold()
    return "-".join(re.findall(r"[a-z0-9]+", letters)) or "table"


def _write(out_path: Path, data: bytes, *, private: bool) -> None:
    """Write a report's bytes; ``private`` (names from the vault): readable by its owner only."""
    try:
        if private:
            write_private(out_path, data)
        else:
            out_path.write_bytes(data)
    except OSError as exc:
        raise typer.BadParameter(
            f"cannot write {out_path}: {exc.strerror}", param_hint="--out"
        ) from None
    err.print(f"wrote {out_path} ({len(data)} bytes)", markup=False)


def _print_tables(doc: dict[str, Any], views: list[View], lang: str) -> None:
    head = Table(show_header=False, box=None)
    for key, heading, value in summary(doc, lang):
        money = key.startswith("total_") and key != "total_rows"
        head.add_row(Text(heading), Text(format_cell(value, money, lang)))
    out.print(head)
    for view in views:
        if view.name == "anomalies":
            _print_findings(view, lang)
            continue
        table = Table(title=view.title, title_justify="left")
        for col, heading in enumerate(view.headings):
            table.add_column(heading, justify="right" if view.is_money(col) else "left")
        for row in view.rows:
            table.add_row(
                *(Text(format_cell(v, view.is_money(c), lang)) for c, v in enumerate(row))
            )
        out.print(table)


def _print_findings(view: View, lang: str) -> None:
    """Findings are too wide for a table row: each is a block of ``heading: value`` lines,
    the commands that check it ("Kiểm chứng") one a line."""
    out.print(Text(f"{view.title} ({len(view.rows)})", style="bold"))
    width = max((len(h) for h in view.headings), default=0)
    for row in view.rows:
        out.print()
        for col, (heading, value) in enumerate(zip(view.headings, row, strict=True)):
            text = format_cell(value, view.is_money(col), lang)
            if not text:
                continue
            lines = text.split("\n")
            out.print(Text(f"{heading:<{width}}  {lines[0]}"))
            for line in lines[1:]:
                out.print(Text(f"{'':<{width}}  {line}"))


@report_app.command("reconciliation")
def reconciliation(
    from_: Annotated[str, typer.Option("--from", help="First month YYYY-MM")],
    to: Annotated[str, typer.Option("--to", help="Last month YYYY-MM")],
    on: OnOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.vi,
    out_path: OutOpt = None,
    table: TableOpt = None,
    db: DbOpt = None,
    vault_key: Annotated[
        Path | None,
        typer.Option(
            "--vault-key",
            help="Vault key file: name the people of each finding, look for duplicate national "
            "ids (the output file is then readable by its owner only)",
        ),
    ] = None,
) -> None:
    """Đối soát: entitled, paid, unpaid, overpaid per program and month; funds; anomalies.

    Each finding (anomaly) names its village, household and person codes,
    program, months and amounts (expected, paid, difference), the log entries
    that prove it, and under "Kiểm chứng" the commands that check them
    offline (`ansinh history CODE`, `ansinh export evidence --index N ...
    --out FILE`, `ansinh verify FILE`). Texts in Vietnamese, or English with
    `--lang en`.
    """
    _check_output(fmt, out_path)
    first, last = _month(from_, "--from"), _month(to, "--to")
    if first > last:
        raise typer.BadParameter(f"{first} is after --to {last}", param_hint="--from")
    day = _date(on, "--on")
    with refusals():
        read = _read(db, as_of, vault_key)
        named = vault_key is not None
        doc = reading.reconciliation(read, first, last, day, identities=named, named=named)
        views = reconciliation_views(doc, lang.value)
        _emit("reconciliation", doc, views, (fmt, lang, out_path, table), private=named)


@report_app.command("lists")
def approved_lists(
    on: OnOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.vi,
    out_path: OutOpt = None,
    table: TableOpt = None,
    db: DbOpt = None,
) -> None:
    """The approved lists: poor and near-poor households, each program's beneficiaries."""
    _check_output(fmt, out_path)
    day = _date(on, "--on")
    with refusals():
        doc = reading.approved_lists(_read(db, as_of), day, named=False)
        _emit("lists", doc, lists_views(doc, lang.value), (fmt, lang, out_path, table))


@report_app.command("payroll")
def payroll_sheet(
    month: Annotated[str, typer.Option("--month", help="The month YYYY-MM")],
    on: OnOpt = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[
        PayrollFormat,
        typer.Option("--format", help="Output format; sheet: the workbook to print and sign"),
    ] = PayrollFormat.table,
    lang: LangOpt = Lang.vi,
    out_path: OutOpt = None,
    table: TableOpt = None,
    village: Annotated[str | None, typer.Option("--village", help="sheet: one village")] = None,
    program: Annotated[
        str | None, typer.Option("--program", help="sheet: one program (code or id)")
    ] = None,
    db: DbOpt = None,
    vault_key: VaultKeyOpt = None,
) -> None:
    """Danh sách chi trả: who is due what in MONTH, what was paid and by whom.

    ``--format sheet --out FILE.xlsx``: the sheet to print, have signed and
    bring back (names with ``--vault-key``).
    """
    which = _month(month, "--month")
    day = _date(on, "--on")
    if fmt is PayrollFormat.sheet:
        _payroll_sheet(which, day, as_of, lang, out_path, (village, program), db, vault_key)
        return
    if village is not None or program is not None:
        raise typer.BadParameter(
            "--village and --program filter the printable sheet only", param_hint="--format"
        )
    report_fmt = Format(fmt.value)
    _check_output(report_fmt, out_path)
    with refusals():
        named = vault_key is not None
        doc = reading.payroll_sheet(_read(db, as_of, vault_key), which, day, named=named)
        views = payroll_views(doc, lang.value)
        _emit("payroll", doc, views, (report_fmt, lang, out_path, table), private=named)


def _payroll_sheet(
    month: str,
    on: str | None,
    as_of: str | None,
    lang: Lang,
    out_path: Path | None,
    only: tuple[str | None, str | None],
    db: str | None,
    vault_key: Path | None,
) -> None:
    """The printable sheet (of ``only``: a village, a program) as a workbook; with names
    (``--vault-key``) written readable by its owner only."""
    if out_path is None:
        raise typer.BadParameter("the sheet is a workbook: name a file", param_hint="--out")
    village, program = only
    with refusals():
        read = _read(db, as_of, vault_key)
        found = sheets.payroll_sheet(
            read, month, on=on, village=village, program=program, lang=lang.value
        )
        _write(out_path, sheet_xlsx(found), private=vault_key is not None)


report_app.command("duplicates")(duplicates_command)  # the queue (FORMATS 1.2), in its own module
