"""What an import says about a bad row or a refused file, in Vietnamese and in English.

Each problem has a stable code (what programs compare) and a message per
language (what an officer reads), naming the column as the sheet writes it.
Some codes have variants (``DUPLICATE_HOUSEHOLD`` in the file, or in the
ledger): the code stays the same, the message says which.
"""

from __future__ import annotations

from typing import Any

from ledger.errors import MalformedError

MESSAGES: dict[str, tuple[str, str]] = {
    "MISSING_VALUE": (
        "Cột «{column}»: bắt buộc, chưa điền.",
        "Column “{column}”: required, left empty.",
    ),
    "BAD_DATE": (
        "Cột «{column}»: «{value}» không phải ngày hợp lệ (dd/mm/yyyy).",
        "Column “{column}”: “{value}” is not a valid date (dd/mm/yyyy).",
    ),
    "BAD_MONTH": (
        "Cột «{column}»: «{value}» không phải tháng hợp lệ (mm/yyyy).",
        "Column “{column}”: “{value}” is not a valid month (mm/yyyy).",
    ),
    "BAD_MONTH.order": (
        "Cột «{column}»: tháng kết thúc {value} trước tháng bắt đầu.",
        "Column “{column}”: the last month {value} is before the first.",
    ),
    "BAD_AMOUNT": (
        "Cột «{column}»: «{value}» không phải số tiền hợp lệ (số nguyên đồng, từ 0).",
        "Column “{column}”: “{value}” is not a valid amount (whole đồng, 0 or more).",
    ),
    "BAD_SEX": (
        "Cột «{column}»: «{value}» phải là Nam, Nữ hoặc Khác.",
        "Column “{column}”: “{value}” must be Nam, Nữ or Khác (male, female, other).",
    ),
    "BAD_RELATION": (
        "Cột «{column}»: «{value}» phải là Chủ hộ hoặc Thành viên.",
        "Column “{column}”: “{value}” must be Chủ hộ (head) or Thành viên (member).",
    ),
    "BAD_METHOD": (
        "Cột «{column}»: «{value}» phải là Tiền mặt, Bưu điện hoặc Ngân hàng.",
        "Column “{column}”: “{value}” must be Tiền mặt, Bưu điện or Ngân hàng (cash, post, bank).",
    ),
    "BAD_NATIONAL_ID": (
        "Cột «{column}»: «{value}» phải gồm 12 chữ số (CCCD) hoặc 9 chữ số (CMND).",
        "Column “{column}”: “{value}” must be 12 digits (citizen id) or 9 digits (old id card).",
    ),
    "UNKNOWN_HOUSEHOLD": (
        "Cột «{column}»: không có hộ mã «{value}» trong sổ cái.",
        "Column “{column}”: no household with code “{value}” in the ledger.",
    ),
    "UNKNOWN_PROGRAM": (
        "Cột «{column}»: không có chương trình mã «{value}» trong sổ cái.",
        "Column “{column}”: no program with code “{value}” in the ledger.",
    ),
    "UNKNOWN_BENEFIT": (
        "Cột «{column}»: không có trợ cấp «{value}» trong sổ cái.",
        "Column “{column}”: no benefit “{value}” in the ledger.",
    ),
    "UNKNOWN_PERSON": (
        "Cột «{column}»: không có ai số định danh «{value}» trong hộ này.",
        "Column “{column}”: no one with id number “{value}” in this household.",
    ),
    "BENEFIT_NOT_APPROVED": (
        "Cột «{column}»: trợ cấp «{value}» chưa được phê duyệt (trạng thái: {state}).",
        "Column “{column}”: benefit “{value}” is not approved (state: {state}).",
    ),
    "BENEFIT_NOT_IN_MONTH": (
        "Cột «{column}»: trợ cấp «{value}» không được hưởng trong tháng {month}.",
        "Column “{column}”: benefit “{value}” is not due in {month}.",
    ),
    "ALREADY_PAID": (
        "Cột «{column}»: trợ cấp này đã được chi trả tháng {month} (bút toán {index}).",
        "Column “{column}”: this benefit was already paid for {month} (entry {index}).",
    ),
    "ALREADY_PAID.file": (
        "Cột «{column}»: trợ cấp này đã được chi trả tháng {month} ở dòng {row}.",
        "Column “{column}”: this benefit is already paid for {month} on row {row}.",
    ),
    "HOUSEHOLD_MISMATCH": (
        "Cột «{column}»: hộ «{value}» không phải hộ của trợ cấp này ({expected}).",
        "Column “{column}”: household “{value}” is not this benefit's ({expected}).",
    ),
    "NO_RECIPIENT": (
        "Cột «{column}»: hộ chưa có chủ hộ; điền số định danh người nhận.",
        "Column “{column}”: the household has no head; fill in the recipient's id number.",
    ),
    "DUPLICATE_HOUSEHOLD": (
        "Cột «{column}»: mã hộ «{value}» đã có trong sổ cái.",
        "Column “{column}”: household code “{value}” is already in the ledger.",
    ),
    "DUPLICATE_HOUSEHOLD.file": (
        "Cột «{column}»: mã hộ «{value}» trùng với dòng {row}.",
        "Column “{column}”: household code “{value}” repeats row {row}.",
    ),
    "DUPLICATE_NATIONAL_ID": (
        "Cột «{column}»: số định danh «{value}» đã có trong kho dữ liệu cá nhân.",
        "Column “{column}”: id number “{value}” is already in the personal-data vault.",
    ),
    "DUPLICATE_NATIONAL_ID.file": (
        "Cột «{column}»: số định danh «{value}» trùng với dòng {row}.",
        "Column “{column}”: id number “{value}” repeats row {row}.",
    ),
    "SECOND_HEAD": (
        "Cột «{column}»: hộ «{value}» đã có chủ hộ trong sổ cái.",
        "Column “{column}”: household “{value}” already has a head in the ledger.",
    ),
    "SECOND_HEAD.file": (
        "Cột «{column}»: hộ «{value}» đã có chủ hộ ở dòng {row}.",
        "Column “{column}”: household “{value}” already has a head on row {row}.",
    ),
    "VAULT_NOT_CHECKED": (
        "Cột «{column}»: không tra được số định danh: máy chủ không mở được kho dữ liệu cá nhân.",
        "Column “{column}”: id numbers cannot be looked up: the server holds no vault key.",
    ),
    "DEATH_IN_FUTURE": (
        "Cột «{column}»: ngày chết {value} sau ngày hôm nay.",
        "Column “{column}”: the date of death {value} is after today.",
    ),
    "DEATH_BEFORE_BIRTH": (
        "Cột «{column}»: ngày chết {value} trước ngày sinh trong sổ ({born}).",
        "Column “{column}”: the date of death {value} is before the registered birth ({born}).",
    ),
    "NOT_IN_REGISTRY": (
        "Cột «{column}»: số định danh «{value}» không có trong sổ của xã; bỏ qua dòng này.",
        "Column “{column}”: id number “{value}” is not in the commune's register; row skipped.",
    ),
    "DEATH_ALREADY_RECORDED": (
        "Cột «{column}»: đã ghi nhận người này mất ngày {date}; bỏ qua dòng này.",
        "Column “{column}”: this person's death is already recorded ({date}); row skipped.",
    ),
    "NAME_MISMATCH": (
        "Cột «{column}»: «{value}» khác tên trong sổ («{registered}»); kiểm tra số định danh.",
        "Column “{column}”: “{value}” differs from the registered name (“{registered}”); "
        "check the id number.",
    ),
    "INVALID_FIELD": (
        "Cột «{column}»: giá trị không hợp lệ ({problem}).",
        "Column “{column}”: not a valid value ({problem}).",
    ),
    # refusals of the whole file
    "UNKNOWN_LAYOUT": (
        "Không có mẫu danh sách «{value}»; các mẫu: {known}.",
        "No layout “{value}”; the layouts are: {known}.",
    ),
    "UNREADABLE_FILE": (
        "Không đọc được tệp: {problem}.",
        "The file cannot be read: {problem}.",
    ),
    "NO_HEADER": (
        "Không tìm thấy dòng tiêu đề trong 15 dòng đầu (cần các cột: {columns}).",
        "No header row in the first 15 rows (columns needed: {columns}).",
    ),
    "MISSING_COLUMN": (
        "Dòng tiêu đề {row} thiếu cột bắt buộc: {columns}.",
        "Header row {row} lacks required columns: {columns}.",
    ),
    "MISSING_MONTH": (
        "Chưa có tháng chi trả: thêm ?month=YYYY-MM hoặc ô «Tháng: mm/yyyy» trên đầu danh sách.",
        "No payroll month: give ?month=YYYY-MM or a “Tháng: mm/yyyy” cell above the list.",
    ),
    "TOO_MANY_ROWS": (
        "Tệp có hơn {limit} dòng; hãy chia nhỏ.",
        "The file has more than {limit} rows; split it.",
    ),
}


def message(key: str, lang: str, **values: Any) -> str:
    """The message of ``key`` (a code, or ``code.variant``) in ``lang``, filled in."""
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


class ImportRefused(MalformedError):
    """A file the import cannot read as the layout at all (not one bad row): nothing previewed."""

    def __init__(self, key: str, lang: str, field: str = "file", **values: Any) -> None:
        super().__init__(message(key, lang, **values), field=field)
        self.code = key.split(".")[0]
