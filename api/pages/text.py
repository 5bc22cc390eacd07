"""The words and number formats of the public pages, in Vietnamese and English.

Vietnamese is the default and follows GLOSSARY.md: ``1.624.000 đ`` for
money, ``dd/mm/yyyy`` for dates. English (``?lang=en``) writes
``1,624,000 VND`` and ISO dates.
"""

from __future__ import annotations

from api.pages.confirm_text import TEXT as CONFIRM_TEXT
from ledger.errors import InvalidField
from projections.reports.export import VALUES, label

LANGS = ("vi", "en")

TEXT: dict[str, tuple[str, str]] = {
    "site": ("Niêm yết công khai", "Public notice board"),
    "home": ("Trang chủ", "Home"),
    "intro": (
        "Danh sách hộ nghèo, hộ cận nghèo và đối tượng hưởng chế độ, trợ cấp đã được phê duyệt, "
        "lập trực tiếp từ sổ cái có chữ ký; ai cũng có thể tự xác minh.",
        "The approved lists of poor and near-poor households and of beneficiaries, drawn "
        "straight from the signed ledger; anyone can verify them.",
    ),
    "lists": ("Danh sách đã phê duyệt", "Approved lists"),
    "totals": ("Tổng chi trả", "Totals paid"),
    "checkpoints": ("Điểm kiểm chứng", "Checkpoints"),
    "checkpoint_word": ("điểm kiểm chứng", "checkpoint"),
    "print": ("Bản in để niêm yết", "Printable notice"),
    "other_lang": ("English", "Tiếng Việt"),
    "households_title": ("Danh sách hộ nghèo, hộ cận nghèo", "Poor and near-poor households"),
    "beneficiaries_title": ("Đối tượng hưởng chế độ, trợ cấp", "Beneficiaries"),
    "villages": ("Thôn, bản", "Villages"),
    "programs": ("Chương trình", "Programs"),
    "no": ("STT", "No."),
    "household_code": ("Mã hộ", "Household code"),
    "head": ("Chủ hộ", "Head of household"),
    "village": ("Thôn, bản", "Village"),
    "status": ("Diện", "Status"),
    "name": ("Họ và tên", "Name"),
    "program": ("Chương trình", "Program"),
    "category": ("Nhóm đối tượng", "Category"),
    "amount_month": ("Số tiền/tháng", "Amount per month"),
    "amount": ("Số tiền", "Amount"),
    "withheld": ("(không công bố tên)", "(name withheld)"),
    "withheld_note": (
        "Tên được giữ kín khi hồ sơ cá nhân đã bị xóa hoặc trang này không được phép đọc hồ "
        "sơ cá nhân; khi đó chỉ ghi mã hộ.",
        "A name is withheld when the person's record has been erased or the server does "
        "not hold the personal-data vault key; the household code is shown instead.",
    ),
    "privacy_note": (
        "Danh sách chỉ công bố họ tên, thôn/bản, nhóm đối tượng và số tiền; không công bố số "
        "định danh cá nhân, dân tộc, tình trạng sức khỏe hay tài khoản ngân hàng.",
        "The lists show name, village, category and amount only: never a national id, "
        "ethnicity, health detail or bank account.",
    ),
    "on": ("Áp dụng ngày", "In force on"),
    "drawn_from": ("Lập từ sổ cái", "Drawn from the ledger"),
    "drawn_line": (
        "Lập từ sổ cái đến bút toán thứ {size} (điểm kiểm chứng: {signed}); mã đối chiếu:",
        "Drawn from the ledger's first {size} entries (checkpoint: {signed}); check code:",
    ),
    "tree_size": ("Số bút toán đã ghi", "Entries recorded"),
    "root": ("Mã kiểm chứng của sổ", "The ledger's check code"),
    "signed": ("Điểm kiểm chứng đã ký", "Signed checkpoint"),
    "signed_yes": ("đã ký", "signed"),
    "signed_no": ("chưa ký ở đúng kích thước này", "not signed at exactly this size"),
    "lag": (
        "Trang này đang được cập nhật: còn {n} bút toán mới ghi chưa được đưa vào; trang vẫn "
        "lập đúng theo số bút toán ghi trên.",
        "This page is catching up: {n} newer entries are not in it yet; it is still drawn "
        "exactly from the entries stated.",
    ),
    "digest": ("Mã đối chiếu danh sách", "List check code"),
    "totals_digest": ("Mã đối chiếu bảng tổng chi", "Totals check code"),
    "digest_full": ("Mã đầy đủ", "In full"),
    "compare": (
        "Cách so: mã đối chiếu gồm 8 nhóm, mỗi nhóm 4 ký tự (chữ số 0-9 và chữ a-f). Đọc lần "
        "lượt từng nhóm trên bản niêm yết và trên trang mở bằng mã QR (hoặc trên trang này). "
        "Cả 8 nhóm giống hệt nhau thì đó đúng là {what} đã niêm yết; chỉ cần khác một ký tự là "
        "{what} đã khác: hãy báo cho cán bộ xã hoặc thanh tra.",
        "How to compare: the check code is 8 groups of 4 characters (digits 0-9 and letters "
        "a-f). Read each group on the posted notice and on the page its QR code opens (or this "
        "page). If all 8 groups are the same, it is the {what} that was posted; if a single "
        "character differs, the {what} has changed: tell the commune officers or an inspector.",
    ),
    "what_list": ("danh sách", "list"),
    "what_totals": ("bảng tổng chi", "totals table"),
    "technical": (
        "Dành cho cán bộ thanh tra, kiểm tra (thông tin kỹ thuật)",
        "For inspectors (technical details)",
    ),
    "tech_tree_size": ("Kích thước cây Merkle (tree size)", "Merkle tree size"),
    "tech_root": ("Gốc Merkle (base64)", "Merkle root (base64)"),
    "tech_digest": ("Mã băm SHA-256 (hệ 16)", "SHA-256 digest (hex)"),
    "digest_rule": (
        'Mã băm là SHA-256 (hệ 16) của bản JSON chuẩn hóa JCS (RFC 8785) của {{"ledger", '
        '"on", "as_of", "root", "village", "program", "rows"}}, đúng các dòng hiển '
        "thị. Tải tài liệu đó tại {url} rồi chạy sha256sum để đối chiếu.",
        "The digest is the SHA-256 (hex) of the JCS (RFC 8785) canonical JSON of "
        '{{"ledger", "on", "as_of", "root", "village", "program", "rows"}}, the '
        "rows exactly as shown. Download that document at {url} and run sha256sum on it.",
    ),
    "totals_rule": (
        "Mã băm là SHA-256 (hệ 16) của bản JSON chuẩn hóa JCS (RFC 8785) tại {url}.",
        "The digest is the SHA-256 (hex) of the JCS (RFC 8785) canonical JSON at {url}.",
    ),
    "filter": ("Xem", "Show"),
    "all": ("Tất cả", "All"),
    "none": ("Không có ai trong danh sách này.", "Nobody is on this list."),
    "count": ("Số dòng", "Rows"),
    "total": ("Tổng cộng", "Total"),
    "month": ("Tháng", "Month"),
    "payments": ("Số lần chi", "Payments"),
    "paid": ("Đã chi", "Paid"),
    "year": ("Năm", "Year"),
    "no_payments": ("Chưa có khoản chi nào trong năm này.", "No payments in this year."),
    "totals_note": (
        "Các khoản chi đã bị hủy (ghi nhầm) không được tính.",
        "Reversed payments are not counted.",
    ),
    "qr": (
        "Quét mã để xem đúng danh sách này trên mạng",
        "Scan to see this exact list online",
    ),
    "nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "posted": ("Ngày niêm yết: ......../......../............", "Posted on: ...................."),
    "maker": ("Người lập biểu", "Prepared by"),
    "chairman": ("TM. UBND xã — Chủ tịch", "For the commune People's Committee — Chairman"),
    "print_link": ("Bản in", "Print"),
    "json_link": ("Tải dữ liệu để tự đối chiếu", "Download the data to check it"),
    "recent_checkpoints": ("Các điểm kiểm chứng gần đây", "Recent signed checkpoints"),
    "issued_at": ("Thời điểm ký", "Signed at"),
    "note": ("Nội dung", "Note"),
    "no_checkpoints": ("Chưa có điểm kiểm chứng nào được ký.", "No checkpoint signed yet."),
    "how_to_verify": ("Cách tự xác minh", "How to verify"),
    "verify_bundle": (
        "Tải toàn bộ sổ cái (bút toán và điểm kiểm chứng) rồi xác minh ngoại tuyến: "
        "ansinh export bundle.zip --db … rồi ansinh verify bundle.zip. Lệnh chỉ báo thành công "
        "khi mọi chữ ký, mọi bút toán và mã kiểm chứng của sổ đều khớp.",
        "Download the whole ledger (entries and checkpoints) and verify it offline: "
        "ansinh export bundle.zip --db … then ansinh verify bundle.zip. It succeeds only when "
        "every signature, entry and the ledger's check code check out.",
    ),
    "verify_api": (
        "Điểm kiểm chứng mới nhất: {checkpoint}; các bút toán: {entries}.",
        "The latest checkpoint: {checkpoint}; the entries: {entries}.",
    ),
    "verify_digest": (
        "Đối chiếu một danh sách in: quét mã QR trên bản in, rồi so từng nhóm của mã đối chiếu "
        "trên giấy với mã trên trang vừa mở; số bút toán đã ghi và mã kiểm chứng của sổ phải "
        "khớp với một điểm kiểm chứng đã ký trong bảng trên.",
        "Check a printed list: scan its QR code and compare the check code on paper with the "
        "one on the page it opens, group by group; the entries recorded and the ledger's check "
        "code must match a signed checkpoint in the table above.",
    ),
    "verify_technical": (
        "Cách làm đầy đủ: tải tệp .json của danh sách (đường dẫn ghi trên bản in), chạy "
        "sha256sum và so với mã băm SHA-256 đầy đủ; gốc Merkle và kích thước cây phải khớp với "
        "một điểm kiểm chứng đã ký (hoặc được chứng minh nhất quán với nó).",
        "In full: download the list's .json document (the address printed on it), run "
        "sha256sum and compare with the full SHA-256 digest; the Merkle root and tree size must "
        "match a signed checkpoint (or be proved consistent with one).",
    ),
    "bad_request": ("Yêu cầu không hợp lệ", "Bad request"),
    "not_found": ("Không tìm thấy", "Not found"),
    "bad_param": ("Tham số «{field}» không hợp lệ.", "The parameter «{field}» is not valid."),
    "unknown_village": ("Không có thôn, bản «{value}».", "There is no village «{value}»."),
    "unknown_program": ("Không có chương trình «{value}».", "There is no program «{value}»."),
    "back_home": ("Về trang chủ", "Back to the home page"),
    "poor_count": ("{n} hộ nghèo", "{n} poor household{s}"),
    "near_poor_count": ("{n} hộ cận nghèo", "{n} near-poor household{s}"),
    "people_count": ("{n} người", "{n} people"),
    "person_count": ("{n} người", "{n} person"),
    "households_paid_count": ("{n} hộ", "{n} household{s}"),
    "and": (" và ", " and "),
    "receiving": ("{who} hưởng chế độ, trợ cấp", "{who} receiving benefits"),
    "nobody_receiving": ("chưa ai hưởng chế độ, trợ cấp", "nobody receiving benefits"),
    "ledger_id": ("Mã sổ cái", "Ledger id"),
    # -- /xac-nhan: a payroll line checked by its lookup code (mã tra cứu)
    "receipt_link": ("Tra cứu khoản chi trả của bạn", "Look up your payment"),
    "receipt_title": ("Tra cứu khoản chi trả", "Look up a payment"),
    "receipt_not_found": ("Không tìm thấy mã tra cứu", "Lookup code not found"),
    "receipt_intro": (
        "Nhập mã tra cứu in trên danh sách chi trả (dòng có tên bạn) để xem khoản tiền tháng "
        "đó đã được chi trả hay chưa.",
        "Type the lookup code printed on the payroll sheet (on your line) to see whether that "
        "month's money was paid.",
    ),
    "receipt_type_code": ("Nhập mã tra cứu", "Type a lookup code"),
    "receipt_another": ("Tra cứu mã khác", "Look up another code"),
    "receipt_look_up": ("Tra cứu", "Look up"),
    "receipt_code": ("Mã tra cứu", "Lookup code"),
    "receipt_commune": ("Xã", "Commune"),
    "receipt_month": ("Tháng", "Month"),
    "receipt_due": ("Số tiền phải trả", "Amount due"),
    "receipt_paid": ("Đã chi trả đủ.", "Paid in full."),
    "receipt_unpaid": ("Chưa chi trả.", "Not paid yet."),
    "receipt_underpaid": ("Mới chi trả một phần.", "Only part of it was paid."),
    "receipt_overpaid": ("Đã chi trả nhiều hơn số phải trả.", "More than the amount due was paid."),
    "receipt_not_due": (
        "Tháng này không có khoản phải trả, nhưng đã có tiền chi.",
        "Nothing was due this month, but money was paid.",
    ),
    "receipt_payment": ("Đã chi {amount} ngày {day}", "{amount} paid on {day}"),
    "receipt_kind_signature": ("đã ký nhận", "signed for"),
    "receipt_kind_thumbprint": ("đã điểm chỉ", "thumbprinted for"),
    "receipt_kind_bank_ref": (
        "chuyển khoản, có mã giao dịch ngân hàng",
        "bank transfer, with the bank's reference",
    ),
    "receipt_kind_proxy": (
        "người được ủy quyền đã nhận thay",
        "received on your behalf by an authorised proxy",
    ),
    "receipt_if_wrong": (
        "Nếu trang ghi đã chi trả mà bạn chưa nhận đủ tiền, hãy báo với cán bộ Ủy ban nhân dân "
        "xã hoặc trưởng thôn, bản, mang theo giấy có mã tra cứu này.",
        "If the page says it was paid but you did not receive all of it, tell the commune "
        "People's Committee or your village head, and bring the paper with this code.",
    ),
    "receipt_privacy": (
        "Trang này chỉ cho biết xã, chương trình, tháng và số tiền; không hiện tên, mã hộ, "
        "thôn, bản hay số định danh của ai.",
        "This page shows only the commune, the program, the month and the amounts: never "
        "anyone's name, household code, village or id number.",
    ),
    "receipt_drawn": (
        "Lập từ sổ cái có chữ ký, đến bút toán thứ {size}.",
        "Drawn from the signed ledger, up to entry {size}.",
    ),
    "receipt_malformed": (
        "«{code}» không phải là một mã tra cứu.",
        "«{code}» is not a lookup code.",
    ),
    "receipt_unknown": (
        "Không có khoản chi trả nào mang mã «{code}».",
        "No payment has the code «{code}».",
    ),
    "receipt_how_to_type": (
        "Mã tra cứu gồm 10 chữ và số, in thành hai nhóm 5 ký tự, ví dụ 7QX3M-0D9KA. Chữ hoa "
        "hay chữ thường đều được; có thể bỏ dấu gạch ngang; chữ O được đọc là số 0, chữ I và "
        "L là số 1. Hãy xem lại từng ký tự trên giấy.",
        "A lookup code has 10 letters and digits, printed as two groups of 5, e.g. "
        "7QX3M-0D9KA. Capitals or not, with or without the dash; the letter O is read as 0, "
        "I and L as 1. Check each character on the paper again.",
    ),
    "receipt_whom_to_ask": (
        "Nếu vẫn không tìm thấy, hãy hỏi cán bộ tài chính xã (người chi trả) hoặc Ủy ban "
        "nhân dân xã.",
        "If it is still not found, ask the commune's cashier or the commune People's Committee.",
    ),
    "receipt_where": (
        "Mã tra cứu in ở cột «Mã tra cứu» của danh sách chi trả hằng tháng, trên dòng có tên bạn.",
        "The code is printed in the «Mã tra cứu» (lookup code) column of the monthly payroll "
        "sheet, on your line.",
    ),
    **CONFIRM_TEXT,  # the lookup page's confirmations (api.pages.confirm)
    # Poverty review rounds: each village's public posting (docs/formats.md 11.4).
    "postings_title": (
        "Niêm yết công khai kết quả rà soát hộ nghèo, hộ cận nghèo",
        "Public posting of the poverty review results",
    ),
    "postings_note": (
        "Kết quả bình xét ở hội nghị thôn được niêm yết tại thôn, bản; trong thời gian niêm yết, "
        "người dân có thể khiếu nại, phản ánh với UBND xã mà không cần ghi tên.",
        "The village meeting's results are posted in each village; while they are posted, "
        "anyone may object to the commune, without giving a name.",
    ),
    "posting_place": ("Nơi niêm yết", "Posted at"),
    "posting_from": ("Từ ngày", "From"),
    "posting_to": ("Đến hết ngày", "Until"),
    "days_left": ("Còn lại (ngày)", "Days left"),
    "posting_closed": ("Đã hết hạn", "Closed"),
    "objections_lodged": ("Khiếu nại, phản ánh đã nhận", "Objections lodged"),
    "objections_answered": ("Đã trả lời", "Answered"),
}


def check_lang(value: str | None) -> str:
    """``vi`` (the default) or ``en``; anything else is refused naming ``lang``."""
    if value is None or value == "":
        return "vi"
    if value not in LANGS:
        raise InvalidField("lang", f"{value!r} is not a page language (vi or en)")
    return value


class Words:
    """The labels and formats of one language, for the templates."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._en = lang == "en"

    def __call__(self, key: str, **values: object) -> str:
        pair = TEXT[key]
        text = pair[1] if self._en else pair[0]
        return text.format(**values) if values else text

    def households_counted(self, poor: int, near_poor: int) -> str:
        """``12 hộ nghèo, 3 hộ cận nghèo``."""
        return f"{self.counted('poor_count', poor)}, {self.counted('near_poor_count', near_poor)}"

    def counted(self, key: str, n: int) -> str:
        """``n`` of something, in the singular for one (in English)."""
        if key == "people_count" and n == 1:
            key = "person_count"
        return self(key, n=self.number(n), s="" if n == 1 else "s")

    def recipients_short(self, people: int, households: int) -> str:
        """``30 người``, ``5 hộ`` or ``30 người và 5 hộ`` (a benefit paid to a household
        counts the household)."""
        said = [self.counted("people_count", people)] if people or not households else []
        if households:
            said.append(self.counted("households_paid_count", households))
        return self("and").join(said)

    def recipients_counted(self, people: int, households: int) -> str:
        """``30 người hưởng chế độ, trợ cấp``."""
        if not people and not households:
            return self("nobody_receiving")
        return self("receiving", who=self.recipients_short(people, households))

    def money(self, amount: int) -> str:
        """``1.624.000 đ`` in Vietnamese, ``1,624,000 VND`` in English."""
        if self._en:
            return f"{amount:,} VND"
        return f"{amount:,}".replace(",", ".") + " đ"

    def number(self, n: int) -> str:
        return f"{n:,}" if self._en else f"{n:,}".replace(",", ".")

    def date(self, iso: str) -> str:
        """``dd/mm/yyyy`` in Vietnamese; the ISO date in English."""
        if self._en or len(iso) < 10:
            return iso[:10]
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"

    def month(self, month: str) -> str:
        return month if self._en else f"{month[5:7]}/{month[:4]}"

    def time(self, iso: str) -> str:
        """A recorded time (UTC) as a date and hours:minutes."""
        if len(iso) < 16:
            return iso
        return f"{self.date(iso)} {iso[11:16]} UTC"

    def status(self, status: str) -> str:
        return label(VALUES["status"], status, self.lang)

    def category(self, category: str) -> str:
        return label(VALUES["category"], category, self.lang)
