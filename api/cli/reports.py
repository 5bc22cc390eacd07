"""`ansinh report`: reconciliation, approved lists and payroll, as table, JSON, CSV or XLSX.

Every report states what it was computed from: the number of entries
(``--as-of``, default all), the Merkle root of the log at that size, and
whether the notary signed a checkpoint of exactly that size.
"""

from __future__ import annotations

import base64
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from api.cli.deps import DbOpt, VaultKeyOpt, err, open_ledger, out, refusals
from ledger.application import LedgerApplication
from ledger.errors import InvalidField
from ledger.storage.private_files import write_private
from ledger.tlog.merkle_log import MerkleLog
from projections import query
from projections.model import Snapshot
from projections.reports.entitlements import check_date, check_month
from projections.reports.export import (
    View,
    format_cell,
    lists_views,
    payroll_views,
    reconciliation_views,
    stamp_of,
    summary,
    to_csv,
    to_json,
    to_xlsx,
)
from projections.reports.lists import lists
from projections.reports.payroll import payroll
from projections.reports.reconciliation import reconcile

report_app = typer.Typer(
    help="Reports: reconciliation (đối soát), approved lists, payroll.", no_args_is_help=True
)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class Lang(StrEnum):
    vi = "vi"
    en = "en"


OnOpt = Annotated[
    str | None,
    typer.Option(
        "--on", help="Business date YYYY-MM-DD to report on (default: the last entry's day)"
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
    Path | None, typer.Option("--out", help="Write to this file (required for xlsx)")
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


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is neither an entry count nor an ISO 8601 time", param_hint="--as-of"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def index_at(ledger: LedgerApplication, value: str) -> int:
    """The number of leading entries recorded at or before the time ``value``."""
    moment = _instant(value)
    projected = getattr(query, "index_at", None)
    if projected is not None:
        return int(projected(ledger, value))
    count = 0
    for entry in ledger.entries():
        if datetime.fromisoformat(entry.recorded_at) > moment:
            break
        count += 1
    return count


def _as_of(ledger: LedgerApplication, value: str | None) -> int | None:
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    return index_at(ledger, value)


def checkpoint_of(ledger: LedgerApplication, size: int) -> dict[str, Any]:
    """The Merkle root at ``size`` (base64), and whether a checkpoint of that size is signed."""
    mlog = MerkleLog(ledger)
    mlog.catch_up()
    return {
        "tree_size": size,
        "root": base64.b64encode(mlog.root(size)).decode(),
        "signed": mlog.checkpoint_at(size) is not None,
    }


def _open(
    db: str | None, as_of: str | None, vault_key: Path | None = None
) -> tuple[LedgerApplication, Snapshot, dict[str, Any]]:
    ledger = open_ledger(db, vault_key)
    ledger.charter()  # a clear refusal when there is no ledger here
    snap = query.snapshot(ledger, _as_of(ledger, as_of))
    return ledger, snap, checkpoint_of(ledger, snap.as_of)


def _vault(ledger: LedgerApplication, snap: Snapshot, field: str) -> dict[str, str]:
    """One field of each person's vault record (people whose record is erased are left out)."""
    found = {}
    for person_id in sorted(snap.people):
        record = ledger.vault_record(person_id)
        value = record.record.get(field) if record is not None else None
        if isinstance(value, str) and value:
            found[person_id] = value
    return found


def _check_output(fmt: Format, out_path: Path | None) -> None:
    """Refuse, before any work, an output that cannot be written."""
    if fmt is Format.table and out_path is not None:
        raise typer.BadParameter(
            "a table goes to the terminal; use csv or xlsx", param_hint="--out"
        )
    if fmt is Format.xlsx and out_path is None:
        raise typer.BadParameter("xlsx needs a file to write to", param_hint="--out")


def _emit(
    doc: dict[str, Any],
    views: list[View],
    fmt: Format,
    lang: Lang,
    out_path: Path | None,
    *,
    private: bool = False,
) -> None:
    """Print or write a report; ``private`` (it carries names from the vault): written 0600."""
    if fmt is Format.table:
        _print_tables(doc, views, lang.value)
        return
    if fmt is Format.json:
        data = to_json(doc)
    elif fmt is Format.csv:
        data = to_csv(views).encode()
    else:
        stamp = stamp_of(doc["as_of"]["recorded_at"])
        data = to_xlsx(views, summary(doc, lang.value), stamp, lang.value)
    if out_path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
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
        table = Table(title=view.title, title_justify="left")
        for col, heading in enumerate(view.headings):
            table.add_column(heading, justify="right" if view.is_money(col) else "left")
        for row in view.rows:
            table.add_row(
                *(Text(format_cell(v, view.is_money(c), lang)) for c, v in enumerate(row))
            )
        out.print(table)


@report_app.command("reconciliation")
def reconciliation(
    from_: Annotated[str, typer.Option("--from", help="First month YYYY-MM")],
    to: Annotated[str, typer.Option("--to", help="Last month YYYY-MM")],
    on: OnOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.vi,
    out_path: OutOpt = None,
    db: DbOpt = None,
    vault_key: Annotated[
        Path | None,
        typer.Option("--vault-key", help="Vault key file: also look for duplicate national ids"),
    ] = None,
) -> None:
    """Đối soát: entitled, paid, unpaid, overpaid per program and month; funds; anomalies."""
    _check_output(fmt, out_path)
    first, last = _month(from_, "--from"), _month(to, "--to")
    if first > last:
        raise typer.BadParameter(f"{first} is after --to {last}", param_hint="--from")
    day = _date(on, "--on")
    with refusals():
        ledger, snap, checkpoint = _open(db, as_of, vault_key)
        identities = _vault(ledger, snap, "national_id") if vault_key is not None else None
        doc = reconcile(snap, first, last, day, identities, checkpoint)
        _emit(doc, reconciliation_views(doc, lang.value), fmt, lang, out_path)


@report_app.command("lists")
def approved_lists(
    on: OnOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.vi,
    out_path: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """The approved lists: poor and near-poor households, each program's beneficiaries."""
    _check_output(fmt, out_path)
    day = _date(on, "--on")
    with refusals():
        _, snap, checkpoint = _open(db, as_of)
        doc = lists(snap, day, checkpoint)
        _emit(doc, lists_views(doc, lang.value), fmt, lang, out_path)


@report_app.command("payroll")
def payroll_sheet(
    month: Annotated[str, typer.Option("--month", help="The month YYYY-MM")],
    on: OnOpt = None,
    as_of: AsOfOpt = None,
    fmt: FormatOpt = Format.table,
    lang: LangOpt = Lang.vi,
    out_path: OutOpt = None,
    db: DbOpt = None,
    vault_key: VaultKeyOpt = None,
) -> None:
    """Danh sách chi trả: who is due what in MONTH, what was paid and by whom."""
    _check_output(fmt, out_path)
    which = _month(month, "--month")
    day = _date(on, "--on")
    with refusals():
        ledger, snap, checkpoint = _open(db, as_of, vault_key)
        names = _vault(ledger, snap, "full_name") if vault_key is not None else None
        doc = payroll(snap, which, day, names, checkpoint)
        views = payroll_views(doc, lang.value)
        _emit(doc, views, fmt, lang, out_path, private=names is not None)
