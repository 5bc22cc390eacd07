"""The console's words for one FORMATS 1.3 procedure.

Paying agents: lists sent before the 25th, the agent's settlement, money
returned (docs/formats.md 11.3).

Merged into :mod:`api.officer.labels` (same shapes as its tables).
"""

from __future__ import annotations

from api.officer.label import Label as L

TYPES: dict[str, L] = {
    "payroll.sent": L(
        "Gửi danh sách chi trả cho tổ chức dịch vụ chi trả",
        "Send a payroll list to the paying agent",
        "Trước ngày 25 tháng trước, kèm mã băm của danh sách.",
        "Before the 25th of the month before, with the list's digest.",
    ),
    "payroll.settled": L(
        "Quyết toán một dòng chi trả (ký bởi tổ chức chi trả)",
        "Settle one payroll line (signed by the agent)",
        "Đã chi, chưa chi hoặc bị trả lại.",
        "Paid, not paid or returned.",
    ),
    "payroll.settlement.recorded": L(
        "Ghi nhận quyết toán từ tệp của tổ chức chi trả",
        "Record a line of the agent's settlement file",
        "Kế toán ghi theo tệp quyết toán; kèm mã băm của tệp.",
        "The cashier transcribes the agent's file, naming its SHA-256.",
    ),
    "agent.refunded": L(
        "Tổ chức chi trả nộp lại tiền chưa chi",
        "Agent hands back money not paid out",
    ),
}
FIELDS: dict[str, L] = {
    "sending_id": L("Danh sách đã gửi", "List sent"),
    "agent": L(
        "Tổ chức dịch vụ chi trả",
        "Paying agent",
        "Mã người giữ khóa có vai trò tổ chức chi trả (ví dụ bưu điện).",
        "Holder id of a key with the role agent (e.g. the post office).",
    ),
    "sent_on": L("Ngày gửi", "Sent on"),
    "lines": L("Số dòng", "Lines"),
    "total": L("Tổng số tiền (đồng)", "Total (đồng)"),
    "list_sha256": L(
        "Mã băm danh sách",
        "List SHA-256",
        "SHA-256 của đúng các byte của danh sách gửi đi.",
        "SHA-256 of the exact bytes of the list sent.",
    ),
    "refund_id": L("Mã lần nộp lại", "Refund id"),
}
_LINE = {
    "outcome": L("Kết quả chi trả", "Outcome"),
    "amount": L("Số tiền của dòng (đồng)", "Line amount (đồng)"),
    "paid_on": L("Ngày chi trả", "Paid on", "Chỉ với dòng đã chi.", "Paid lines only."),
    "reason": L("Lý do (chưa chi, trả lại)", "Reason (not paid, returned)"),
}
_SOURCE = L(
    "Mã băm tệp quyết toán",
    "Settlement file SHA-256",
    "SHA-256 của tệp CSV/XLSX tổ chức chi trả gửi.",
    "SHA-256 of the CSV/XLSX file the agent sent.",
)
BY_TYPE: dict[str, dict[str, L]] = {
    "payroll.sent": {"month": L("Tháng chi trả", "Month to be paid")},
    "payroll.settled": {**_LINE, "source": _SOURCE},
    "payroll.settlement.recorded": {**_LINE, "source": _SOURCE},
    "agent.refunded": {
        "amount": L("Số tiền nộp lại (đồng)", "Amount handed back (đồng)"),
        "date": L("Ngày nộp lại", "Handed back on"),
    },
}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "outcome": {
        "paid": ("Đã chi", "Paid"),
        "not_paid": ("Chưa chi", "Not paid"),
        "returned": ("Bị trả lại", "Returned"),
    },
}
