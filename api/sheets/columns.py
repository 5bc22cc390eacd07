"""The payroll sheet's columns and the words printed on it, Vietnamese and English.

The Vietnamese headings are part of an interface: a printed sheet, filled in
by hand and typed back into a spreadsheet, is read back by these headings
(the payroll import), so they are spelled here once, for both.
"""

from __future__ import annotations

COLUMNS: tuple[tuple[str, str, str], ...] = (
    # key, Vietnamese heading, English heading
    ("no", "STT", "No."),
    ("village", "Thôn/bản", "Village"),
    ("household_code", "Mã hộ", "Household code"),
    ("name", "Họ và tên", "Full name"),
    ("program", "Chương trình", "Program"),
    ("due", "Số tiền phải trả", "Amount due"),
    ("paid", "Số tiền đã nhận", "Amount received"),
    ("paid_on", "Ngày nhận", "Date received"),
    ("method", "Hình thức", "Method"),
    ("receipt", "Số biên nhận", "Receipt no."),
    ("recipient_id", "Số định danh người nhận", "Recipient ID"),
    ("benefit_id", "Mã trợ cấp", "Benefit ID"),
    ("receipt_code", "Mã tra cứu", "Lookup code"),
    ("signature", "Ký nhận", "Signature"),
)
COLUMN_KEYS = tuple(key for key, _, _ in COLUMNS)
HEADINGS_VI = tuple(vi for _, vi, _ in COLUMNS)
HEADINGS_EN = tuple(en for _, _, en in COLUMNS)

METHODS = {  # payment.recorded's method, as the sheet writes it
    "cash": ("Tiền mặt", "Cash"),
    "post": ("Bưu điện", "Post office"),
    "bank": ("Chuyển khoản", "Bank transfer"),
}

TEXT = {
    "motto": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "motto2": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "title": ("DANH SÁCH CHI TRẢ TRỢ CẤP THÁNG {month}", "PAYROLL OF ALLOWANCES, MONTH {month}"),
    "village": ("Thôn/bản: {value}", "Village: {value}"),
    "program": ("Chương trình: {value}", "Program: {value}"),
    "all": ("Tất cả thôn/bản, tất cả chương trình", "All villages, all programs"),
    "unit": ("Đơn vị tính: đồng", "Amounts in dong"),
    "subtotal": ("Cộng {village} ({rows} người)", "Subtotal {village} ({rows} rows)"),
    "total": ("Tổng cộng ({rows} người)", "Total ({rows} rows)"),
    "words": ("Bằng chữ: {words}.", "In words: {words}."),
    "place": ("{place}, ngày ..... tháng ..... năm ........", "{place}, date ..................."),
    "footer": (
        "Lập từ sổ cái {ledger}: {size} bút toán, gốc Merkle {root}{signed}",
        "Drawn from ledger {ledger}: {size} entries, Merkle root {root}{signed}",
    ),
    "signed": (" (điểm kiểm chứng đã ký)", " (signed checkpoint)"),
    "page": ("Trang &P/&N", "Page &P of &N"),
    "erased": ("(đã xóa)", "(erased)"),
}
SIGNERS = (
    (("Người lập biểu", "Prepared by"), ("(Ký, ghi rõ họ tên)", "(Signature, full name)")),
    (("Kế toán", "Accountant"), ("(Ký, ghi rõ họ tên)", "(Signature, full name)")),
    (
        ("Chủ tịch UBND xã", "Chairman of the Commune People's Committee"),
        ("(Ký tên, đóng dấu)", "(Signature and seal)"),
    ),
)


def text(key: str, lang: str, **values: object) -> str:
    """One of :data:`TEXT` in ``lang``, its ``{placeholders}`` filled in."""
    vi, en = TEXT[key]
    return (en if lang == "en" else vi).format(**values)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def headings(lang: str) -> tuple[str, ...]:
    return HEADINGS_EN if lang == "en" else HEADINGS_VI
