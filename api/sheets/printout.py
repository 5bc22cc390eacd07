"""A report laid out to hand in, before it is drawn: the words and tables a printout holds.

The commune's forms have one shape: the commune and the national motto on
top, the title, the period and what the figures were drawn from, the tables
(each with a subtotal after each run of a program or village and a grand
total), then the place and date and who signs. :func:`printout` fills that
shape from a report document and its views; :mod:`api.sheets.report` draws
it as a workbook, :mod:`api.sheets.pdf` as a page to print. Any column a view
has is drawn; the columns that add up (money and counts) are summed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from api.sheets.columns import pick
from api.sheets.payroll import place_of
from projections.reports.export import MONEY, TITLES, View, label, summary

COUNTS = frozenset({"entitled_count", "paid_count", "unpaid_count"})
SUMMED = MONEY | COUNTS
Pair = tuple[str, str]  # (Vietnamese, English)

TEXT: dict[str, Pair] = {
    "reconciliation": (
        "BÁO CÁO ĐỐI SOÁT CHI TRẢ CHÍNH SÁCH AN SINH XÃ HỘI",
        "RECONCILIATION OF SOCIAL WELFARE PAYMENTS",
    ),
    "lists": (
        "DANH SÁCH HỘ NGHÈO, CẬN NGHÈO VÀ ĐỐI TƯỢNG HƯỞNG CHÍNH SÁCH",
        "APPROVED LISTS: POOR AND NEAR-POOR HOUSEHOLDS, BENEFICIARIES",
    ),
    "payroll": ("BÁO CÁO CHI TRẢ TRỢ CẤP THÁNG {month}", "PAYROLL REPORT, MONTH {month}"),
    "period": ("Từ tháng {first} đến tháng {last}", "From {first} to {last}"),
    "month": ("Tháng {month}", "Month {month}"),
    "as_on": ("Số liệu đến ngày {on}", "Figures as on {on}"),
    "basis": (
        "Lập từ sổ cái {ledger}: {size} bút toán; "
        "điểm kiểm chứng: {tree} bút toán, gốc {root}{signed}",
        "Drawn from ledger {ledger}: {size} entries; "
        "checkpoint: {tree} entries, root {root}{signed}",
    ),
    "no_checkpoint": ("chưa có", "none"),
    "signed": (" (đã ký)", " (signed)"),
    "subtotal": ("Cộng {group} ({rows} dòng)", "Subtotal {group} ({rows} rows)"),
    "total": ("Tổng cộng ({rows} dòng)", "Total ({rows} rows)"),
    "empty": ("Không có dòng nào.", "No rows."),
    "place": ("{place}, ngày ..... tháng ..... năm ........", "{place}, date ..................."),
}
SIGNERS: tuple[Pair, ...] = (
    ("Người lập biểu", "Prepared by"),
    ("Kế toán", "Accountant"),
    ("Chủ tịch UBND xã", "Chairman of the Commune People's Committee"),
)
FACTS = ("anomaly_count", "identities_checked")  # beside the totals, on the first page
SIGN_HINT: Pair = ("(Ký, ghi rõ họ tên)", "(Signature, full name)")

# Each report's tables, a page group (a sheet) each: a short table (one row per program)
# before the long one, whose heading row is the one repeated on every printed page.
SHEETS: dict[str, tuple[tuple[str, ...], ...]] = {
    "reconciliation": (("funds", "programs"), ("villages",), ("anomalies",)),
    "lists": (("households",), ("beneficiaries",)),
    "payroll": (("payroll",),),
}
UNSUMMED = frozenset({"anomalies"})
# A finding is named on paper by its id, codes and evidence entries (and the commands
# that follow them); its UUIDs, 36 characters each, would shrink the page to unreadable
# when fitted to its width. The CSV, JSON and the table on screen keep them.
NOT_PRINTED = {
    "anomalies": frozenset(
        {"payment_id", "benefit_id", "person_id", "household_id", "program_name"}
    ),
}
GROUP_BY = {
    "programs": "program_code",
    "villages": "village",
    "households": "village",
    "beneficiaries": "program_code",
    "payroll": "program_code",
}


@dataclass(frozen=True)
class Line:
    """A row of a table as printed: ``data``, ``subtotal`` or ``total``."""

    kind: str
    cells: list[Any]
    label: str = ""


@dataclass(frozen=True)
class Table:
    view: View
    lines: list[Line]
    summed: tuple[int, ...]  # the columns that add up


@dataclass(frozen=True)
class Printout:
    kind: str
    lang: str
    commune: str
    title: str
    subtitles: list[str]
    basis: str
    facts: list[tuple[str, Any]] = field(default_factory=list)  # (label, value): the totals
    sheets: list[list[Table]] = field(default_factory=list)
    place: str = ""
    signers: list[Pair] = field(default_factory=list)  # (role, hint) in ``lang``

    def say(self, key: str, **values: object) -> str:
        return pick(TEXT[key], self.lang).format(**values)


def printout(kind: str, doc: dict[str, Any], views: list[View], lang: str) -> Printout:
    """The printout of a report ``kind`` (reconciliation, lists, payroll) of ``doc``."""
    found = Printout(
        kind=kind,
        lang=lang,
        commune=doc["ledger"]["name"],
        title=pick(TEXT[kind], lang).format(month=month_text(doc.get("month", ""))),
        subtitles=_subtitles(doc, lang),
        basis=basis_text(doc, lang),
        facts=[
            (heading, value)
            for key, heading, value in summary(doc, lang)
            if key.startswith("total_") or key in FACTS
        ],
        place=place_of(doc["ledger"]["name"]).split(",")[0].strip(),
        signers=[(pick(role, lang), pick(SIGN_HINT, lang)) for role in SIGNERS],
    )
    by_name = {view.name: _printable(view) for view in views}
    planned = SHEETS.get(kind, ())
    named = {name for sheet in planned for name in sheet}
    groups = [[by_name[n] for n in sheet if n in by_name] for sheet in planned]
    groups += [[by_name[view.name]] for view in views if view.name not in named]
    for group in groups:
        if group:
            found.sheets.append([_table(found, view) for view in group])
    return found


def _printable(view: View) -> View:
    """``view`` without the columns a printed page leaves out (:data:`NOT_PRINTED`)."""
    hidden = NOT_PRINTED.get(view.name, frozenset())
    keep = [i for i, column in enumerate(view.columns) if column not in hidden]
    if len(keep) == len(view.columns):
        return view
    return replace(
        view,
        columns=tuple(view.columns[i] for i in keep),
        headings=tuple(view.headings[i] for i in keep),
        rows=[[row[i] for i in keep] for row in view.rows],
    )


def sheet_title(views: list[View], lang: str) -> str:
    """A sheet's name: its longest table's title (at most 31 characters, as Excel allows)."""
    if not views:
        return label(TITLES, "summary", lang)
    return max(reversed(views), key=lambda v: len(v.rows)).title[:31]  # a tie: the last


def month_text(month: str) -> str:
    """``2022-01`` as forms write it: ``01/2022``."""
    return f"{month[5:7]}/{month[:4]}" if len(month) == 7 else month


def date_text(day: str) -> str:
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}" if len(day) == 10 else day


def basis_text(doc: dict[str, Any], lang: str) -> str:
    """What the figures were drawn from: the ledger, its entries, the checkpoint (root short)."""
    checkpoint = doc.get("checkpoint") or {}
    none = pick(TEXT["no_checkpoint"], lang)
    return pick(TEXT["basis"], lang).format(
        ledger=doc["ledger"]["id"],
        size=doc["as_of"]["entries"],
        tree=checkpoint.get("tree_size", none),
        root=str(checkpoint.get("root", none))[:16],
        signed=pick(TEXT["signed"], lang) if checkpoint.get("signed") else "",
    )


def _subtitles(doc: dict[str, Any], lang: str) -> list[str]:
    lines = []
    period = doc.get("period") or {}
    if "from" in period:
        first, last = month_text(period["from"]), month_text(period["to"])
        lines.append(pick(TEXT["period"], lang).format(first=first, last=last))
    on = period.get("on") or doc.get("on")
    if on:
        lines.append(pick(TEXT["as_on"], lang).format(on=date_text(on)))
    return lines


def _table(found: Printout, view: View) -> Table:
    """The view's rows, a subtotal after each run of its group column, and the total."""
    # A finding's amounts are its own (due, paid, difference of one case): added
    # up across findings they would count the same money twice, so no totals.
    summable = view.name not in UNSUMMED
    summed = tuple(i for i, c in enumerate(view.columns) if summable and c in SUMMED)
    group = GROUP_BY.get(view.name)
    at = view.columns.index(group) if group in view.columns else None
    lines: list[Line] = []
    run: list[list[Any]] = []
    for row in view.rows:
        if at is not None and run and run[-1][at] != row[at]:
            lines.append(_sum(found, "subtotal", run, summed, group=run[-1][at]))
            run = []
        run.append(row)
        lines.append(Line("data", row))
    if at is not None and run and len(run) < len(view.rows):
        lines.append(_sum(found, "subtotal", run, summed, group=run[-1][at]))
    if view.rows and (summed or at is not None):
        lines.append(_sum(found, "total", view.rows, summed))
    return Table(view, lines, summed)


def _sum(
    found: Printout, kind: str, rows: list[list[Any]], summed: tuple[int, ...], group: Any = ""
) -> Line:
    cells: list[Any] = [None] * len(rows[0])
    for col in summed:
        cells[col] = sum(int(r[col] or 0) for r in rows)
    return Line(kind, cells, found.say(kind, group=group, rows=len(rows)))
