"""What the console's forms call each statement type, body field and enum value, with help.

Vietnamese first (the words of the glossary a commune uses), English for
``?lang=en``. A field is looked up by its dotted body path (``decision.number``)
in the type's own table first (:data:`BY_TYPE`: where a word means something
else in that statement), then in :data:`FIELDS`. A test holds these tables
to the ledger's own list of body fields (``GET /v1/types``): a statement type
whose field has no label here fails it. Served as JSON at
``/officer/labels.json?lang=``.
"""

from __future__ import annotations

from typing import Any

from api.officer import words
from api.officer.label import Label
from projections.reports.export import VALUES as EXPORT_VALUES

L = Label
TYPES: dict[str, Label] = {
    "ledger.opened": L("Mở sổ cái", "Ledger opened", "Chỉ một lần, khi lập sổ.", "Once only."),
    "key.registered": L(
        "Đăng ký khóa cán bộ",
        "Register an officer's key",
        "Cấp vai trò cho khóa công khai.",
        "Gives a public key its roles.",
    ),
    "key.revoked": L("Thu hồi khóa", "Revoke a key"),
    "household.registered": L("Đăng ký hộ gia đình", "Register a household"),
    "person.registered": L(
        "Đăng ký nhân khẩu",
        "Register a person",
        "Họ tên, số định danh, ngày sinh được lưu trong kho dữ liệu cá nhân, không ghi vào sổ.",
        "Name, national id and birth date go to the personal-data vault, not the ledger.",
    ),
    "person.pii.updated": L("Sửa thông tin cá nhân", "Update personal data"),
    "person.moved": L("Chuyển hộ", "Move to another household"),
    "person.died": L("Báo tử", "Record a death"),
    "household.status.proposed": L(
        "Đề nghị công nhận hộ nghèo, cận nghèo",
        "Propose a household status",
        "Chủ tịch UBND xã phê duyệt.",
        "The commune chairman approves it.",
    ),
    "household.status.approved": L("Phê duyệt hộ nghèo, cận nghèo", "Approve a household status"),
    "household.status.rejected": L("Không phê duyệt đề nghị hộ", "Reject a household status"),
    "program.defined": L("Khai báo chương trình", "Define a program"),
    "fund.received": L("Nhận kinh phí", "Funds received"),
    "fund.returned": L("Nộp trả kinh phí", "Funds returned"),
    "benefit.proposed": L(
        "Đề nghị hưởng chế độ",
        "Propose a benefit",
        "Cho một người hoặc một hộ; chủ tịch UBND xã phê duyệt.",
        "For one person or one household; the chairman approves it.",
    ),
    "benefit.approved": L("Phê duyệt chế độ", "Approve a benefit"),
    "benefit.rejected": L("Không phê duyệt chế độ", "Reject a benefit"),
    "benefit.ended": L("Thôi hưởng chế độ", "End a benefit"),
    "payment.recorded": L("Ghi nhận chi trả", "Record a payment"),
    "payment.reversed": L("Hủy khoản chi trả", "Reverse a payment"),
    "ledger.formats.adopted": L(
        "Áp dụng phiên bản định dạng",
        "Adopt a FORMATS version",
        "Chỉ lên phiên bản mới hơn, mỗi phiên bản một lần.",
        "Only to a newer version, each version once.",
    ),
    "identity.reviewed": L(
        "Kết luận trùng nhân thân",
        "Decide a suspected duplicate",
        "Hai người nghi trùng: cùng một người hay hai người khác nhau.",
        "Two people suspected to be one: the same person, or different people.",
    ),
    "inspection.attested": L("Xác nhận kiểm tra", "Attest an inspection"),
}

FIELDS: dict[str, Label] = {
    "household_id": L(
        "Hộ gia đình",
        "Household",
        "Tìm theo mã hộ, thôn/bản hoặc tên.",
        "Search by household code, village or name.",
    ),
    "person_id": L(
        "Nhân khẩu",
        "Person",
        "Tìm theo tên, mã hộ hoặc thôn/bản.",
        "Search by name, household code or village.",
    ),
    "other_person_id": L(
        "Người nghi trùng",
        "The other person",
        "Người thứ hai của cặp nghi trùng nhân thân.",
        "The second person of the suspected pair.",
    ),
    "outcome": L("Kết luận", "Outcome"),
    "proposal_id": L("Đề nghị", "Proposal"),
    "program_id": L("Chương trình", "Program"),
    "benefit_id": L("Chế độ", "Benefit"),
    "payment_id": L("Khoản chi trả", "Payment"),
    "receipt_id": L("Mã phiếu thu", "Receipt id"),
    "return_id": L("Mã phiếu nộp trả", "Return id"),
    "code": L(
        "Mã hộ",
        "Household code",
        "Mã hộ như trong sổ của xã, ví dụ HH-001.",
        "The code the commune's register uses, e.g. HH-001.",
    ),
    "village": L("Thôn, bản", "Village"),
    "name": L("Tên", "Name"),
    "relation": L("Quan hệ với chủ hộ", "Relation to the head"),
    "sex": L("Giới tính", "Sex"),
    "birth_year": L("Năm sinh", "Birth year", "Tính từ ngày sinh.", "From the birth date."),
    "pii": L(
        "Cam kết dữ liệu cá nhân",
        "Personal-data commitment",
        "Tính trong trình duyệt từ họ tên, số định danh, ngày sinh.",
        "Computed in the browser from name, national id, birth date.",
    ),
    "status": L("Diện hộ", "Household status"),
    "effective": L("Ngày có hiệu lực", "Effective from"),
    "basis": L(
        "Căn cứ",
        "Basis",
        "Lý do, kết quả rà soát, giấy tờ kèm theo.",
        "Grounds: review results, documents.",
    ),
    "basis.income_per_capita_month": L(
        "Thu nhập bình quân đầu người/tháng", "Income per person a month", "đồng", "đồng"
    ),
    "basis.deprivation_count": L("Số chỉ số thiếu hụt", "Deprivations (0-12)"),
    "basis.note": L("Ghi chú", "Note"),
    "decision": L("Quyết định", "Decision"),
    "decision.number": L("Số quyết định", "Decision no.", "Ví dụ 15/QĐ-UBND.", "e.g. 15/QĐ-UBND."),
    "decision.date": L("Ngày quyết định", "Decision date"),
    "reason": L("Lý do", "Reason"),
    "category": L("Nhóm chính sách", "Category"),
    "kind": L("Hình thức", "Kind"),
    "amount": L("Số tiền (đồng)", "Amount (đồng)"),
    "date": L("Ngày", "Date"),
    "source": L("Nguồn kinh phí", "Source of funds"),
    "reference": L(
        "Số chứng từ",
        "Reference",
        "Số ủy nhiệm chi, phiếu thu...",
        "Payment order or receipt number.",
    ),
    "start": L("Hưởng từ tháng", "From month"),
    "end": L("Đến tháng", "To month", "Để trống nếu chưa xác định.", "Leave empty if open."),
    "last_month": L("Tháng hưởng cuối cùng", "Last month paid"),
    "month": L(
        "Tháng chi trả", "Month paid for", "Chỉ với chế độ hằng tháng.", "Monthly programs only."
    ),
    "paid_on": L("Ngày chi trả", "Paid on"),
    "method": L("Hình thức chi trả", "Method"),
    "recipient": L(
        "Người nhận",
        "Recipient",
        "Người hưởng hoặc người trong hộ nhận thay.",
        "The beneficiary or a member of the household.",
    ),
    "receipt": L("Chứng từ nhận tiền", "Receipt"),
    "receipt.kind": L("Hình thức xác nhận", "Proof of receipt"),
    "receipt.evidence": L(
        "Ảnh chứng từ hoặc số biên nhận",
        "Scan or receipt number",
        "Chỉ mã băm (SHA-256) được ghi vào sổ.",
        "Only its SHA-256 goes into the ledger.",
    ),
    "key": L(
        "Khóa công khai", "Public key", "Tệp .pub do cán bộ gửi.", "The .pub file the officer sent."
    ),
    "key.id": L("Mã khóa", "Key id"),
    "key.public_key": L("Khóa công khai", "Public key"),
    "key_id": L("Mã khóa", "Key id"),
    "holder": L("Người giữ khóa", "Key holder"),
    "holder.id": L("Mã cán bộ", "Holder id", "Chữ thường, số, . _ -", "Lowercase, digits, . _ -"),
    "holder.name": L("Họ tên cán bộ", "Officer's name"),
    "roles": L("Vai trò", "Roles"),
    "tree_size": L("Số bút toán đã kiểm tra", "Entries checked"),
    "root": L("Gốc Merkle", "Merkle root"),
    "scope": L("Phạm vi kiểm tra", "Scope"),
    "findings": L("Kết luận", "Findings"),
    "report_sha256": L("Mã băm biên bản", "Report SHA-256"),
    "authority_key": L("Khóa UBND xã", "Authority key"),
    "authority_key.id": L("Mã khóa UBND xã", "Authority key id"),
    "authority_key.public_key": L("Khóa công khai UBND xã", "Authority public key"),
    "notary_key": L("Khóa công chứng sổ", "Notary key"),
    "notary_key.public_key": L("Khóa công khai công chứng", "Notary public key"),
    "currency": L("Đơn vị tiền", "Currency"),
    "timezone": L("Múi giờ", "Time zone"),
    "formats": L("Phiên bản định dạng", "Formats version"),
}

BY_TYPE: dict[str, dict[str, Label]] = {
    "ledger.opened": {"name": L("Tên xã", "Commune")},
    "identity.reviewed": {
        "basis": L("Căn cứ đối chiếu", "What was compared"),
        "decision": L("Quyết định (nếu có)", "Written decision (if any)"),
    },
    "program.defined": {
        "code": L("Mã chương trình", "Program code"),
        "name": L("Tên chương trình", "Program name"),
    },
    "person.registered": {"household_id": L("Thuộc hộ", "Household")},
    "person.moved": {"household_id": L("Chuyển đến hộ", "Moves to household")},
    "person.died": {"date": L("Ngày mất", "Date of death")},
    "person.pii.updated": {"pii": FIELDS["pii"]},
    "fund.received": {
        "date": L("Ngày nhận", "Received on"),
        "amount": L("Số tiền nhận (đồng)", "Amount received (đồng)"),
    },
    "fund.returned": {
        "date": L("Ngày nộp trả", "Returned on"),
        "amount": L("Số tiền nộp trả (đồng)", "Amount returned (đồng)"),
    },
    "benefit.proposed": {
        "person_id": L(
            "Người hưởng", "Beneficiary (person)", "Hoặc chọn hộ hưởng.", "Or choose a household."
        ),
        "household_id": L(
            "Hộ hưởng", "Beneficiary (household)", "Hoặc chọn người hưởng.", "Or choose a person."
        ),
        "amount": L(
            "Mức hưởng (đồng)",
            "Amount (đồng)",
            "Mỗi tháng với chế độ hằng tháng.",
            "Per month for a monthly program.",
        ),
    },
    "household.status.rejected": {"reason": L("Lý do không phê duyệt", "Reason for rejecting")},
    "benefit.rejected": {"reason": L("Lý do không phê duyệt", "Reason for rejecting")},
    "benefit.ended": {"reason": L("Lý do thôi hưởng", "Reason for ending")},
    "payment.reversed": {"reason": L("Lý do hủy", "Reason for reversing")},
    "key.revoked": {"reason": L("Lý do thu hồi", "Reason for revoking")},
}

V = tuple[str, str]
VALUES: dict[str, dict[str, V]] = {
    "relation": {"head": ("Chủ hộ", "Head"), "member": ("Thành viên", "Member")},
    "sex": {"f": ("Nữ", "Female"), "m": ("Nam", "Male"), "x": ("Khác", "Other")},
    "outcome": {
        "same_person": ("Cùng một người", "The same person"),
        "different_people": ("Hai người khác nhau", "Different people"),
    },
    "status": {
        "poor": ("Hộ nghèo", "Poor"),
        "near_poor": ("Hộ cận nghèo", "Near-poor"),
        "not_poor": ("Hộ không nghèo", "Not poor"),
    },
    "category": {
        "meritorious": ("Người có công với cách mạng", "Meritorious service"),
        "social_protection": ("Bảo trợ xã hội", "Social protection"),
        "poverty": ("Giảm nghèo", "Poverty"),
        "health_insurance": ("Thẻ BHYT", "Health insurance"),
        "tet_gift": ("Quà Tết", "Tết gift"),
        "emergency_relief": ("Cứu trợ đột xuất", "Emergency relief"),
        "employment": ("Việc làm", "Employment"),
        "other": ("Khác", "Other"),
    },
    "kind": {
        "monthly": ("Hằng tháng", "Monthly"),
        "one_off": ("Một lần", "One-off"),
        "in_kind": ("Hiện vật", "In kind"),
    },
    "method": {
        "cash": ("Tiền mặt tại xã", "Cash"),
        "post": ("Qua bưu điện", "Post office"),
        "bank": ("Chuyển khoản", "Bank transfer"),
    },
    "receipt.kind": {
        "signature": ("Ký nhận", "Signature"),
        "thumbprint": ("Điểm chỉ", "Thumbprint"),
        "bank_ref": ("Mã giao dịch ngân hàng", "Bank reference"),
        "proxy": ("Người được ủy quyền nhận thay", "Authorised proxy"),
    },
    "currency": {"VND": ("đồng (VND)", "đồng (VND)")},
    "formats": {
        "1.1": ("FORMATS 1.1", "FORMATS 1.1"),
        "1.2": ("FORMATS 1.2", "FORMATS 1.2"),
        "1.3": ("FORMATS 1.3", "FORMATS 1.3"),
    },
    "roles": {
        "admin": ("Quản trị", "Admin"),
        "registrar": ("Công chức văn hóa - xã hội", "Registrar"),
        "approver": ("Chủ tịch UBND (phê duyệt)", "Approver"),
        "cashier": ("Cán bộ tài chính - kế toán", "Cashier"),
        "inspector": ("Thanh tra, kiểm tra", "Inspector"),
        "agent": ("Tổ chức dịch vụ chi trả", "Paying agent"),
        "intake": ("Trang tra cứu công khai (tiếp nhận)", "Public lookup page (intake)"),
    },
}

for _words in words.MODULES:  # the FORMATS 1.3 procedures, one module each
    TYPES.update(_words.TYPES)
    FIELDS.update(_words.FIELDS)
    BY_TYPE.update(_words.BY_TYPE)
    for _field, _values in _words.VALUES.items():
        VALUES[_field] = {**VALUES.get(_field, {}), **_values}


def label_of(statement_type: str, path: str) -> Label | None:
    """The label of one body field of a type, or None when there is none."""
    return BY_TYPE.get(statement_type, {}).get(path) or FIELDS.get(path)


def _shown(label: Label, lang: str) -> dict[str, str]:
    if lang == "en":
        return {"label": label.en, "help": label.help_en}
    return {"label": label.vi, "help": label.help_vi}


def labels_json(lang: str) -> dict[str, Any]:
    """Every label and help text in one language, as the console reads them."""
    pick = 1 if lang == "en" else 0
    return {
        "lang": "en" if lang == "en" else "vi",
        "types": {name: _shown(label, lang) for name, label in TYPES.items()},
        "fields": {path: _shown(label, lang) for path, label in FIELDS.items()},
        "by_type": {
            name: {path: _shown(label, lang) for path, label in table.items()}
            for name, table in BY_TYPE.items()
        },
        "values": {
            field: {value: words[pick] for value, words in table.items()}
            for field, table in VALUES.items()
        },
        # what the reconciliation calls each finding's code, as its files do
        "findings": {code: words[pick] for code, words in EXPORT_VALUES["label"].items()},
    }
