"""The spreadsheets a commune keeps, as the import reads them: their columns and who signs them.

Each layout names its columns by the Vietnamese header printed on the
commune's sheets (the English header is accepted too), says which are
required, gives an invented example for the template, a line of help for
its "Hướng dẫn" sheet, and which body field of the statement each column
fills (so a schema refusal of a field names the column it came from).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool
    example: str
    help_vi: str
    help_en: str
    fields: tuple[str, ...] = ()  # the body fields (dotted) this column fills
    text_format: bool = False  # kept as text in the template (leading zeros)
    aliases: tuple[str, ...] = ()  # other headers the sheets of another office use

    def headers(self) -> tuple[str, ...]:
        """Every header the column is recognised by."""
        return (self.vi, self.en, *self.aliases)

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


@dataclass(frozen=True)
class Layout:
    name: str
    title_vi: str
    title_en: str
    role: str  # the role that signs its statements
    statement: str  # the statement type each good row becomes
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def column_of_field(self, field: str) -> Column | None:
        """The column a body field (``body.receipt.evidence``) was filled from."""
        path = field.removeprefix("body.")
        for column in self.columns:
            if any(path == f or path.startswith(f + ".") for f in column.fields):
                return column
        return None

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_vi


HOUSEHOLD_CODE = Column(
    "household_code",
    "Mã hộ",
    "Household code",
    True,
    "CE-0101",
    "Mã hộ gia đình, duy nhất trong xã.",
    "The household's code, unique in the commune.",
)

HOUSEHOLDS = Layout(
    "households",
    "Danh sách hộ",
    "Households",
    "registrar",
    "household.registered",
    (
        replace(HOUSEHOLD_CODE, fields=("code",)),
        Column(
            "village",
            "Thôn/bản",
            "Village",
            True,
            "Bản Huổi Một",
            "Tên thôn, bản nơi hộ sinh sống.",
            "The village (thôn, bản) the household lives in.",
            ("village",),
        ),
    ),
)

PERSONS = Layout(
    "persons",
    "Danh sách nhân khẩu",
    "Household members",
    "registrar",
    "person.registered",
    (
        replace(HOUSEHOLD_CODE, fields=("household_id",)),
        Column(
            "full_name",
            "Họ và tên",
            "Full name",
            True,
            "Lò Văn Pắn",
            "Họ và tên đầy đủ, có dấu.",
            "Full name, with its diacritics.",
        ),
        Column(
            "national_id",
            "Số định danh",
            "National id",
            True,
            "014090001234",
            "Số định danh cá nhân (CCCD 12 chữ số, hoặc CMND 9 chữ số).",
            "Personal id number (12-digit citizen id, or 9-digit old id card).",
            text_format=True,
        ),
        Column(
            "birth_date",
            "Ngày sinh",
            "Date of birth",
            True,
            "14/07/1952",
            "Ngày sinh, dạng dd/mm/yyyy.",
            "Date of birth, dd/mm/yyyy.",
            ("birth_year",),
        ),
        Column(
            "sex",
            "Giới tính",
            "Sex",
            True,
            "Nam",
            "Nam, Nữ hoặc Khác.",
            "Nam (male), Nữ (female) or Khác (other); or Male/Female/Other.",
            ("sex",),
        ),
        Column(
            "relation",
            "Quan hệ với chủ hộ",
            "Relation to head",
            True,
            "Chủ hộ",
            "Chủ hộ hoặc Thành viên (mỗi hộ chỉ có một chủ hộ).",
            "Chủ hộ (head) or Thành viên (member); one head per household.",
            ("relation",),
        ),
    ),
)

BENEFITS = Layout(
    "benefits",
    "Danh sách đối tượng hưởng trợ cấp",
    "Beneficiaries",
    "registrar",
    "benefit.proposed",
    (
        Column(
            "program_code",
            "Mã chương trình",
            "Program code",
            True,
            "TB-61",
            "Mã chương trình trợ cấp đã được khai báo trong sổ cái.",
            "The code of a program defined in the ledger.",
            ("program_id",),
        ),
        replace(HOUSEHOLD_CODE, fields=("household_id",)),
        Column(
            "national_id",
            "Số định danh người hưởng",
            "Beneficiary national id",
            False,
            "014090001234",
            "Số định danh của người hưởng; để trống nếu cả hộ là đối tượng hưởng.",
            "The beneficiary's id number; empty when the household is the beneficiary.",
            ("person_id",),
            text_format=True,
        ),
        Column(
            "amount",
            "Số tiền",
            "Amount",
            True,
            "1624000",
            "Số tiền mỗi tháng (đồng), số nguyên.",
            "Amount per month in đồng, a whole number.",
            ("amount",),
        ),
        Column(
            "start",
            "Từ tháng",
            "From month",
            True,
            "01/2022",
            "Tháng bắt đầu hưởng, dạng mm/yyyy.",
            "First month paid, mm/yyyy.",
            ("start",),
        ),
        Column(
            "end",
            "Đến tháng",
            "To month",
            False,
            "",
            "Tháng cuối cùng được hưởng (mm/yyyy); để trống nếu chưa xác định.",
            "Last month paid (mm/yyyy); empty when open-ended.",
            ("end",),
        ),
        Column(
            "basis",
            "Căn cứ",
            "Basis",
            True,
            "Thương binh tỷ lệ 61%",
            "Căn cứ đề nghị hưởng.",
            "The grounds of the proposal.",
            ("basis",),
        ),
    ),
)

PAYROLL = Layout(
    "payroll",
    "Danh sách chi trả",
    "Payroll",
    "cashier",
    "payment.recorded",
    (
        Column("number", "STT", "No.", False, "1", "Số thứ tự.", "Row number."),
        Column("village", "Thôn/bản", "Village", False, "Bản Huổi Một", "Thôn, bản.", "Village."),
        Column(
            "household_code",
            "Mã hộ",
            "Household code",
            False,
            "CE-0101",
            "Mã hộ (để đối chiếu với trợ cấp).",
            "The household's code (checked against the benefit).",
        ),
        Column(
            "full_name",
            "Họ và tên",
            "Full name",
            False,
            "Lò Văn Pắn",
            "Người hưởng.",
            "The beneficiary.",
        ),
        Column(
            "program", "Chương trình", "Program", False, "TB-61", "Chương trình.", "The program."
        ),
        Column(
            "due",
            "Số tiền phải trả",
            "Amount due",
            False,
            "1624000",
            "Số tiền phải trả trong tháng (đồng).",
            "Amount due this month (đồng).",
        ),
        Column(
            "paid",
            "Số tiền đã nhận",
            "Amount received",
            False,
            "1624000",
            "Số tiền người nhận đã nhận (đồng); để trống nếu chưa chi trả.",
            "Amount the recipient received (đồng); empty when not paid.",
            ("amount",),
        ),
        Column(
            "paid_on",
            "Ngày nhận",
            "Date received",
            False,
            "10/01/2022",
            "Ngày nhận tiền, dạng dd/mm/yyyy.",
            "Day the money was received, dd/mm/yyyy.",
            ("paid_on",),
        ),
        Column(
            "method",
            "Hình thức",
            "Method",
            False,
            "Tiền mặt",
            "Tiền mặt, Bưu điện hoặc Ngân hàng (để trống: tiền mặt).",
            "Tiền mặt (cash), Bưu điện (post) or Ngân hàng (bank); empty: cash.",
            ("method",),
        ),
        Column(
            "receipt",
            "Số biên nhận",
            "Receipt no.",
            False,
            "BN-2022-0001",
            "Số biên nhận, hoặc mã giao dịch ngân hàng.",
            "The receipt number, or the bank's transaction reference.",
            ("receipt",),
            text_format=True,
        ),
        Column(
            "recipient_id",
            "Số định danh người nhận",
            "Recipient ID",
            False,
            "",
            "Để trống (hoặc giữ mã in sẵn) nếu người hưởng, hay chủ hộ, nhận; "
            "điền số định danh khi người khác nhận thay.",
            "Empty (or the id printed) when the beneficiary, or the head, received it; "
            "else the id number of who did.",
            ("recipient",),
            text_format=True,
        ),
        Column(
            "benefit_id",
            "Mã trợ cấp",
            "Benefit ID",
            True,
            "0b8e7d52-3f1a-4e29-8c64-9d2f1a7b5e30",
            "Mã trợ cấp in sẵn trên danh sách chi trả; không sửa.",
            "The benefit id printed on the payroll; do not change it.",
            ("benefit_id", "month"),
        ),
        Column(
            "receipt_code",
            "Mã tra cứu",
            "Lookup code",
            False,
            "",
            "Mã tra cứu in sẵn, để người hưởng tự tra tại trang /xac-nhan; không đọc lại.",
            "The lookup code printed for the beneficiary to check at /xac-nhan; not read back.",
        ),
        Column(
            "signature", "Ký nhận", "Signature", False, "", "Người nhận ký.", "Recipient signs."
        ),
    ),
)

DEATHS = Layout(
    "deaths",
    "Danh sách khai tử",
    "Death records",
    "registrar",
    "person.died",
    (
        Column("number", "STT", "No.", False, "1", "Số thứ tự.", "Row number."),
        Column(
            "national_id",
            "Số định danh cá nhân",
            "National id",
            True,
            "014150000101",
            "Số định danh cá nhân (CCCD 12 chữ số) của người đã mất.",
            "The deceased's personal id number (12-digit citizen id).",
            ("person_id",),
            text_format=True,
            aliases=("Số định danh", "Số CCCD", "Số căn cước công dân", "CCCD"),
        ),
        Column(
            "full_name",
            "Họ và tên",
            "Full name",
            True,
            "Lò Thị Xuân",
            "Họ và tên người đã mất, đối chiếu với sổ (khác tên: cảnh báo).",
            "The deceased's full name, compared with the register (a mismatch is warned of).",
            aliases=("Họ và tên người chết", "Họ tên"),
        ),
        Column(
            "died_on",
            "Ngày chết",
            "Date of death",
            True,
            "05/03/2022",
            "Ngày chết, dạng dd/mm/yyyy; không sau hôm nay.",
            "Date of death, dd/mm/yyyy; not after today.",
            ("date",),
            aliases=("Ngày mất", "Ngày, tháng, năm chết"),
        ),
        Column(
            "extract",
            "Số trích lục khai tử",
            "Death extract no.",
            False,
            "12/TLKT-2022",
            "Số trích lục khai tử (để đối chiếu; không ghi vào sổ cái).",
            "The death extract's number (for reference; not recorded in the ledger).",
            aliases=("Số trích lục", "Số khai tử"),
        ),
    ),
)

LAYOUTS: dict[str, Layout] = {x.name: x for x in (HOUSEHOLDS, PERSONS, BENEFITS, PAYROLL, DEATHS)}
