"""Reports as files: canonical JSON, CSV, and the rows a table shows (XLSX: api.sheets).

A report document (``reconcile``, ``lists``, ``payroll``) becomes a list of
:class:`View` s (a heading row and data rows, one per sheet or table) plus a
summary (period, as-of, checkpoint, totals). Headings are Vietnamese by
default (GLOSSARY.md), English with ``lang="en"``. Money stays ``int`` đồng:
integer cells formatted ``#,##0`` in XLSX, plain integers in CSV (one table a file). A sum
beyond 2^53 - 1 is a decimal string in JSON and a text cell in XLSX, where a
number would be rounded (FORMATS 1.1). The same document always gives the
same bytes, in every format.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ledger.errors import InvalidField
from ledger.formats.versions import exact_json
from projections.reports.exhibits import (
    FINDING_HEADINGS,
    FINDING_MONEY,
    anomaly_columns,
    anomaly_rows,
)

MONEY = FINDING_MONEY | frozenset(
    {"entitled", "paid", "unpaid", "overpaid", "received", "returned", "balance", "amount", "due"}
)
MONEY_FORMAT = "#,##0"
_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest time a zip entry can carry
Labels = dict[str, tuple[str, str]]  # key -> (Vietnamese, English)

TITLES: Labels = {
    "summary": ("Tổng hợp", "Summary"),
    "programs": ("Chương trình", "Programs"),
    "villages": ("Theo thôn, bản", "By village"),
    "funds": ("Kinh phí", "Funds"),
    "anomalies": ("Sai phạm, bất thường", "Anomalies"),
    "households": ("Hộ nghèo, cận nghèo", "Poor and near-poor households"),
    "beneficiaries": ("Đối tượng hưởng", "Beneficiaries"),
    "payroll": ("Danh sách chi trả", "Payroll"),
}
HEADINGS: Labels = {
    "ledger_id": ("Sổ cái", "Ledger"),
    "ledger_name": ("Đơn vị", "Commune"),
    "from": ("Từ tháng", "From month"),
    "to": ("Đến tháng", "To month"),
    "on": ("Ngày đối chiếu", "On date"),
    "month": ("Tháng", "Month"),
    "entries": ("Số bút toán", "Entries"),
    "recorded_at": ("Bút toán cuối ghi lúc", "Last entry recorded at"),
    "checkpoint_tree_size": ("Điểm kiểm chứng: kích thước cây", "Checkpoint tree size"),
    "checkpoint_root": ("Điểm kiểm chứng: gốc", "Checkpoint root"),
    "checkpoint_signed": ("Điểm kiểm chứng đã ký", "Signed checkpoint"),
    "total_entitled": ("Tổng mức hưởng (đ)", "Total entitled (VND)"),
    "total_paid": ("Tổng đã chi (đ)", "Total paid (VND)"),
    "total_unpaid": ("Tổng chưa chi (đ)", "Total unpaid (VND)"),
    "total_overpaid": ("Tổng chi thừa (đ)", "Total overpaid (VND)"),
    "total_due": ("Tổng phải chi (đ)", "Total due (VND)"),
    "total_rows": ("Số dòng", "Rows"),
    "anomaly_count": ("Số sai phạm, bất thường", "Anomalies"),
    "identities_checked": ("Đã đối chiếu số định danh", "National ids checked"),
    "program_code": ("Mã chương trình", "Program code"),
    "program_name": ("Chương trình", "Program"),
    "category": ("Nhóm đối tượng", "Category"),
    "entitled": ("Mức hưởng (đ)", "Entitled (VND)"),
    "paid": ("Đã chi (đ)", "Paid (VND)"),
    "unpaid": ("Chưa chi (đ)", "Unpaid (VND)"),
    "overpaid": ("Chi thừa (đ)", "Overpaid (VND)"),
    "entitled_count": ("Số suất hưởng", "Entitlements"),
    "paid_count": ("Số lần chi", "Payments"),
    "unpaid_count": ("Số suất chưa chi", "Unpaid entitlements"),
    "received": ("Kinh phí nhận (đ)", "Received (VND)"),
    "returned": ("Nộp trả (đ)", "Returned (VND)"),
    "balance": ("Tồn quỹ (đ)", "Balance (VND)"),
    "code": ("Mã", "Code"),
    "label": ("Sai phạm, bất thường", "Anomaly"),
    "payment_id": ("Mã chi trả", "Payment id"),
    "benefit_id": ("Mã chế độ", "Benefit id"),
    "receipt_code": ("Mã tra cứu", "Lookup code"),
    "person_id": ("Mã nhân khẩu", "Person id"),
    "household_id": ("Mã hộ (id)", "Household id"),
    "detail": ("Chi tiết", "Detail"),
    "village": ("Thôn, bản", "Village"),
    "household_code": ("Mã hộ", "Household code"),
    "status": ("Tình trạng", "Status"),
    "effective": ("Hiệu lực từ", "Effective from"),
    "amount": ("Mức hưởng (đ)", "Amount (VND)"),
    "start": ("Từ tháng", "Start"),
    "end": ("Đến tháng", "End"),
    "name": ("Họ và tên", "Name"),
    "due": ("Phải chi (đ)", "Due (VND)"),
    "paid_on": ("Ngày chi", "Paid on"),
    "paid_by": ("Người chi", "Paid by"),
    "payment_ids": ("Mã chi trả", "Payment ids"),
    **FINDING_HEADINGS,
}
VALUES: dict[str, Labels] = {
    "label": {
        "NO_APPROVED_BENEFIT": ("Chi cho chế độ chưa được phê duyệt", "Benefit not approved"),
        "OUTSIDE_BENEFIT_PERIOD": ("Chi ngoài thời gian hưởng", "Outside the benefit period"),
        "DUPLICATE_PAYMENT": ("Chi trùng", "Duplicate payment"),
        "OVERPAYMENT": ("Chi vượt mức hưởng", "Overpayment"),
        "UNDERPAYMENT": ("Chi thiếu so với mức hưởng", "Underpayment"),
        "PAID_AFTER_DEATH": ("Chi sau khi đối tượng đã mất", "Paid after death"),
        "RECIPIENT_NOT_ELIGIBLE": ("Người nhận không đúng đối tượng", "Recipient not eligible"),
        "HOUSEHOLD_NOT_ELIGIBLE": (
            "Hộ không thuộc diện nghèo, cận nghèo",
            "Household not poor or near-poor",
        ),
        "UNPAID_ENTITLEMENT": ("Chưa chi trả", "Entitlement unpaid"),
        "FUND_OVERDRAWN": ("Chi vượt kinh phí", "Fund overdrawn"),
        "SELF_APPROVED_PAYMENT": ("Người phê duyệt tự chi trả", "Paid by the approver"),
        "OVERLAPPING_BENEFITS": ("Hưởng trùng chế độ", "Overlapping benefits"),
        "DUPLICATE_IDENTITY": ("Trùng số định danh", "Duplicate national id"),
        "UNRESOLVED_DUPLICATE": (
            "Nghi trùng nhân thân, chưa kết luận",
            "Suspected duplicate, not reviewed",
        ),
        "GRIEVANCE_OVERDUE": ("Khiếu nại quá hạn chưa trả lời", "Grievance overdue"),
        "PAYMENT_DISPUTED": ("Người hưởng báo chưa nhận đủ tiền", "Payment disputed"),
        "STATUS_SKIPPED_REVIEW": (
            "Phê duyệt diện hộ không qua rà soát, bình xét",
            "Status approved without a review round",
        ),
        "OBJECTION_UPHELD_RECOGNIZED": (
            "Công nhận dù khiếu nại được kết luận có cơ sở",
            "Recognised despite an upheld objection",
        ),
        "PAID_WHILE_SUSPENDED": ("Chi trong thời gian tạm dừng", "Paid while suspended"),
        "LIST_SENT_LATE": ("Gửi danh sách chi trả muộn", "List sent late"),
        "AGENT_HOLDS_FUNDS": ("Tổ chức chi trả giữ tiền quá hạn", "Agent holds funds"),
        "PAYMENT_NOT_ACKNOWLEDGED": (
            "Tổ chức chi trả không xác nhận đã chi",
            "Payment not acknowledged by the agent",
        ),
        "PAID_AFTER_LEAVING": ("Chi sau khi chuyển đi nơi khác", "Paid after leaving"),
    },
    "status": {
        "poor": ("hộ nghèo", "poor"),
        "near_poor": ("hộ cận nghèo", "near-poor"),
        "paid": ("đã chi", "paid"),
        "unpaid": ("chưa chi", "unpaid"),
        "underpaid": ("chi thiếu", "underpaid"),
        "overpaid": ("chi thừa", "overpaid"),
        "not_due": ("không phải chi", "not due"),
    },
    "category": {
        "meritorious": ("người có công", "meritorious"),
        "social_protection": ("bảo trợ xã hội", "social protection"),
        "poverty": ("hộ nghèo, cận nghèo", "poverty"),
        "health_insurance": ("thẻ BHYT", "health insurance"),
        "tet_gift": ("quà Tết", "Tết gift"),
        "emergency_relief": ("cứu trợ đột xuất", "emergency relief"),
        "employment": ("việc làm", "employment"),
        "other": ("khác", "other"),
    },
    "yes_no": {"true": ("có", "yes"), "false": ("không", "no")},
}


def label(labels: Labels, key: str, lang: str) -> str:
    """``key``'s label in ``lang`` (vi or en); an unknown key stands for itself."""
    pair = labels.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class View:
    """One table of a report: a sheet in XLSX, a section in CSV, a table on screen."""

    name: str
    title: str
    columns: tuple[str, ...]
    headings: tuple[str, ...]
    rows: list[list[Any]]

    def is_money(self, column: int) -> bool:
        return self.columns[column] in MONEY


def _view(name: str, columns: Sequence[str], rows: list[dict[str, Any]], lang: str) -> View:
    def cell(row: dict[str, Any], key: str) -> Any:
        value = row.get(key)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if isinstance(value, str) and key in VALUES:
            return label(VALUES[key], value, lang)
        return value

    return View(
        name,
        label(TITLES, name, lang),
        tuple(columns),
        tuple(label(HEADINGS, c, lang) for c in columns),
        [[cell(row, c) for c in columns] for row in rows],
    )


# -- documents to views ------------------------------------------------------------
PROGRAM_COLUMNS = [
    "program_code",
    "program_name",
    "category",
    "month",
    "entitled",
    "paid",
    "unpaid",
    "overpaid",
    "entitled_count",
    "paid_count",
    "unpaid_count",
]
VILLAGE_COLUMNS = [
    "village",
    "program_code",
    "program_name",
    *("entitled", "paid", "unpaid", "overpaid"),
    *("entitled_count", "paid_count", "unpaid_count"),
]
FUND_COLUMNS = ["program_code", "program_name", "received", "paid", "returned", "balance"]
HOUSEHOLD_COLUMNS = ["village", "household_code", "status", "effective"]
BENEFICIARY_COLUMNS = [
    "program_code",
    "program_name",
    "category",
    "village",
    "household_code",
    "amount",
    "start",
    "end",
]


def reconciliation_views(doc: dict[str, Any], lang: str = "vi") -> list[View]:
    """Programs, funds, and the findings (:mod:`.exhibits`: codes, amounts, evidence first)."""
    columns = anomaly_columns(doc["anomalies"])
    return [
        _view("programs", PROGRAM_COLUMNS, doc["programs"], lang),
        _view("villages", VILLAGE_COLUMNS, doc.get("villages", []), lang),
        _view("funds", FUND_COLUMNS, doc["funds"], lang),
        _view("anomalies", columns, anomaly_rows(doc, lang), lang),
    ]


def lists_views(doc: dict[str, Any], lang: str = "vi") -> list[View]:
    return [
        _view("households", HOUSEHOLD_COLUMNS, doc["households"], lang),
        _view("beneficiaries", BENEFICIARY_COLUMNS, doc["beneficiaries"], lang),
    ]


def payroll_views(doc: dict[str, Any], lang: str = "vi") -> list[View]:
    holders = doc["holders"]
    rows = [{**r, "paid_by": [holders.get(h, h) for h in r["paid_by"]]} for r in doc["rows"]]
    named = ["name"] if any("name" in r for r in rows) else []
    columns = ["program_code", "village", "household_code", *named, "person_id", "benefit_id"]
    columns += ["receipt_code", "due", "paid", "status", "paid_on", "paid_by", "payment_ids"]
    return [_view("payroll", columns, rows, lang)]


def summary(doc: dict[str, Any], lang: str = "vi") -> list[tuple[str, str, Any]]:
    """(key, heading, value) rows: ledger, period, as-of, checkpoint and totals."""
    items: list[tuple[str, Any]] = [
        ("ledger_id", doc["ledger"]["id"]),
        ("ledger_name", doc["ledger"]["name"]),
    ]
    if "period" in doc:
        items += [(k, doc["period"][k]) for k in ("from", "to", "on")]
    items += [(k, doc[k]) for k in ("month", "on") if k in doc]
    items += [("entries", doc["as_of"]["entries"]), ("recorded_at", doc["as_of"]["recorded_at"])]
    checkpoint = doc.get("checkpoint") or {}
    items += [
        (f"checkpoint_{k}", checkpoint[k])
        for k in ("tree_size", "root", "signed")
        if k in checkpoint
    ]
    items += [(f"total_{k}", v) for k, v in (doc.get("totals") or {}).items()]
    if "anomalies" in doc:
        items += [
            ("anomaly_count", len(doc["anomalies"])),
            ("identities_checked", doc["identities_checked"]),
        ]
    return [(k, label(HEADINGS, k, lang), _summary_value(k, v, lang)) for k, v in items]


def _summary_value(key: str, value: Any, lang: str) -> Any:
    if isinstance(value, bool):
        return label(VALUES["yes_no"], str(value).lower(), lang)
    if lang == "vi" and isinstance(value, str) and key in ("from", "to", "month", "on"):
        parts = value.split("-")  # dd/mm/yyyy, mm/yyyy
        return "/".join(reversed(parts))
    return value


# -- rendering -----------------------------------------------------------------------
def to_json(doc: dict[str, Any]) -> bytes:
    """Canonical JSON: sorted keys, UTF-8 (not escaped), one line, newline-terminated."""
    exact = exact_json(doc)  # sums beyond 2^53 - 1 as decimal strings
    return (
        json.dumps(exact, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


def to_csv(view: View) -> bytes:
    """One table as CSV: UTF-8 with a byte order mark (which Excel needs to read Vietnamese),
    the heading row, then the rows; money as plain integers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(view.headings)
    writer.writerows([["" if v is None else v for v in row] for row in view.rows])
    return "\ufeff".encode() + buffer.getvalue().encode()


def table_of(views: Sequence[View], name: str | None, field: str = "table") -> View:
    """The view called ``name`` (its name or its title); with a single view, ``name`` may
    be left out. Anything else: :class:`InvalidField` naming ``field`` and the tables."""
    if name is None and len(views) == 1:
        return views[0]
    for view in views:
        if name in (view.name, view.title):
            return view
    names = ", ".join(view.name for view in views)
    said = "pick one" if name is None else f"no table {name!r}"
    raise InvalidField(field, f"{said} of this report's tables: {names}")


def format_cell(value: Any, money: bool, lang: str) -> str:
    """A cell as a table shows it: money with thousands separators (1.624.000 in Vietnamese)."""
    if value is None:
        return ""
    if money and isinstance(value, int):
        text = f"{value:,}"
        return text.replace(",", ".") if lang == "vi" else text
    return str(value)


def stamp_of(recorded_at: str) -> datetime:
    """A fixed timestamp for a document: the snapshot's last record time (UTC)."""
    try:
        stamp = datetime.strptime(recorded_at[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return _EPOCH
    return max(stamp, _EPOCH)


def fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """The same archive with every entry dated ``stamp`` (zip entries carry the clock)."""
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
