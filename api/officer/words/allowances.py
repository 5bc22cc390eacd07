"""The console's words for one FORMATS 1.3 procedure.

Allowance changes: standard levels, coefficients, suspension, resumption,
leaving the commune (docs/formats.md 11.2).

Merged into :mod:`api.officer.labels` (same shapes as its tables).
"""

from __future__ import annotations

from api.officer.label import Label

L = Label
TYPES: dict[str, Label] = {
    "allowance.level.set": L(
        "Khai báo mức chuẩn",
        "Set a standard level",
        "Mức chuẩn trợ cấp của một nhóm chính sách, từ một tháng; mỗi nhóm mỗi tháng một lần.",
        "A category's standard monthly level from a month on; once per category and month.",
    ),
    "benefit.change.proposed": L(
        "Đề nghị điều chỉnh, tạm dừng, tiếp tục trợ cấp",
        "Propose a benefit change",
        "Điều chỉnh theo mức chuẩn và hệ số, tạm dừng hoặc tiếp tục chi trả; "
        "chủ tịch UBND xã phê duyệt.",
        "Rebase on the standard level with a coefficient, suspend or resume; "
        "the chairman approves it.",
    ),
    "benefit.change.approved": L("Phê duyệt điều chỉnh trợ cấp", "Approve a benefit change"),
    "benefit.change.rejected": L("Không phê duyệt điều chỉnh", "Reject a benefit change"),
    "person.left": L(
        "Chuyển đi nơi khác",
        "Record leaving the commune",
        "Thôi hưởng từ tháng sau tháng chuyển đi; hồ sơ chuyển theo người (lịch sử, chứng cứ).",
        "Benefits stop after the month of leaving; the file goes with the person.",
    ),
}
FIELDS: dict[str, Label] = {
    "legal_basis": L(
        "Căn cứ pháp lý", "Legal basis", "Ví dụ Nghị định 76/2024/NĐ-CP.", "e.g. Decree 76/2024."
    ),
    "change_id": L("Mã điều chỉnh", "Change"),
    "from": L("Áp dụng từ tháng", "From month"),
    "coefficient": L(
        "Hệ số (phần trăm)",
        "Coefficient (hundredths)",
        "Số nguyên phần trăm: 150 là hệ số 1,5.",
        "An integer of hundredths: 150 is 1.5.",
    ),
    "to": L("Nơi chuyển đến", "Moved to"),
}
BY_TYPE: dict[str, dict[str, Label]] = {
    "allowance.level.set": {
        "amount": L("Mức chuẩn (đồng/tháng)", "Standard level (đồng a month)"),
        "effective": L("Áp dụng từ tháng", "From month"),
    },
    "benefit.change.proposed": {"kind": L("Loại điều chỉnh", "Change")},
    "benefit.change.rejected": {"reason": L("Lý do không phê duyệt", "Reason for rejecting")},
    "person.left": {"date": L("Ngày chuyển đi", "Left on")},
}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "rebase": ("Điều chỉnh theo mức chuẩn", "Rebase on the standard level"),
        "suspend": ("Tạm dừng chi trả", "Suspend"),
        "resume": ("Tiếp tục chi trả", "Resume"),
    },
}
