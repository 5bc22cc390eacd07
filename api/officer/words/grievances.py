"""The console's words for one FORMATS 1.3 procedure.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5).

Merged into :mod:`api.officer.labels` (same shapes as its tables).
"""

from __future__ import annotations

from api.officer.label import Label

L = Label
TYPES: dict[str, Label] = {
    "grievance.lodged": L(
        "Tiếp nhận khiếu nại, phản ánh",
        "Lodge a grievance",
        "Không ghi tên người khiếu nại vào sổ cái. Hạn giải quyết: 30 ngày (phức tạp: 45 ngày; "
        "vùng khó khăn đến 60 ngày), Luật Khiếu nại 2011, Điều 28.",
        "No complainant's name goes into the ledger. Time limit: 30 days (complex: 45; remote "
        "areas up to 60), Law on Complaints 2011, Article 28.",
    ),
    "grievance.assigned": L(
        "Giao giải quyết khiếu nại",
        "Assign a grievance",
        "Giao cho một công chức văn hóa - xã hội có khóa trong sổ cái.",
        "To a social-affairs officer who holds a key in the ledger.",
    ),
    "grievance.answered": L(
        "Trả lời khiếu nại",
        "Answer a grievance",
        "Chỉ người được giao mới trả lời được.",
        "Only the officer it was assigned to may answer.",
    ),
    "grievance.closed": L(
        "Kết thúc khiếu nại",
        "Close a grievance",
        "Người kết thúc phải khác người đã trả lời.",
        "Closed by another officer than the one who answered.",
    ),
    "receipt.confirmed": L(
        "Xác nhận nhận tiền (trang tra cứu)",
        "Confirmation from the lookup page",
        "Do trang tra cứu công khai ghi khi người hưởng bấm nút; không ghi danh tính.",
        "Recorded by the public lookup page when a beneficiary presses a button; no identity.",
    ),
}
FIELDS: dict[str, Label] = {}
_GRIEVANCE = L("Khiếu nại", "Grievance", "Mã khiếu nại đã tiếp nhận.", "The grievance's id.")
BY_TYPE: dict[str, dict[str, Label]] = {
    "grievance.lodged": {
        "grievance_id": L("Mã khiếu nại", "Grievance id"),
        "subject": L("Nội dung khiếu nại về", "About"),
        "subject.kind": L("Loại việc", "Kind"),
        "subject.code": L(
            "Mã tra cứu",
            "Lookup code",
            "Mã in trên dòng danh sách chi trả (XXXXX-XXXXX).",
            "The code printed on the payroll line (XXXXX-XXXXX).",
        ),
        "subject.id": L("Mã đối tượng liên quan", "Id of what it is about"),
        "channel": L("Hình thức tiếp nhận", "Received by"),
        "lodged_on": L("Ngày tiếp nhận", "Lodged on"),
        "due": L("Hạn giải quyết", "Due"),
        "summary": L(
            "Tóm tắt nội dung",
            "Summary",
            "Không ghi họ tên người khiếu nại.",
            "Do not write the complainant's name.",
        ),
    },
    "grievance.assigned": {
        "grievance_id": _GRIEVANCE,
        "to": L(
            "Giao cho (mã cán bộ)",
            "Assigned to (holder id)",
            "Mã của công chức văn hóa - xã hội, như khi đăng ký khóa.",
            "The social-affairs officer's holder id, as in their key's registration.",
        ),
        "due": L("Hạn giải quyết mới (nếu gia hạn)", "New due date (if extended)"),
    },
    "grievance.answered": {
        "grievance_id": _GRIEVANCE,
        "answer": L("Nội dung trả lời", "Answer"),
        "answered_on": L("Ngày trả lời", "Answered on"),
    },
    "grievance.closed": {
        "grievance_id": _GRIEVANCE,
        "outcome": L("Kết quả", "Outcome"),
        "closed_on": L("Ngày kết thúc", "Closed on"),
    },
    "receipt.confirmed": {
        "confirmation_id": L("Mã xác nhận", "Confirmation id"),
        "code": L("Mã tra cứu", "Lookup code"),
        "outcome": L("Người hưởng cho biết", "The beneficiary says"),
        "confirmed_on": L("Ngày xác nhận", "Confirmed on"),
        "due": L("Hạn giải quyết", "Due"),
    },
}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "subject.kind": {
        "list": ("Danh sách (bình xét, niêm yết)", "A list"),
        "payment": ("Chi trả", "A payment"),
        "exclusion": ("Không được đưa vào danh sách", "An exclusion"),
        "benefit": ("Chế độ, mức hưởng", "A benefit"),
        "other": ("Việc khác", "Other"),
    },
    "channel": {
        "in_person": ("Trực tiếp tại UBND xã", "In person"),
        "phone": ("Điện thoại", "Phone"),
        "letter": ("Đơn, thư", "Letter"),
        "village_meeting": ("Tại họp dân", "At a village meeting"),
        "email": ("Thư điện tử", "Email"),
    },
    "outcome": {
        "received": ("Đã nhận đủ", "Received in full"),
        "not_received": ("Chưa nhận", "Not received"),
        "wrong_amount": ("Nhận không đủ", "Not the right amount"),
        "resolved": ("Đã giải quyết", "Resolved"),
        "unfounded": ("Không có cơ sở", "Unfounded"),
        "withdrawn": ("Rút khiếu nại", "Withdrawn"),
    },
}
