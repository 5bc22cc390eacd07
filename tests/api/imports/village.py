"""A small commune for the import tests, with codes and id numbers the sheets can name.

Names and id numbers are invented. Bản Huổi Một has HH-001 (head Lò Thị
Xuân, whose allowance TB-61 is approved and paid for January 2022) and
HH-002 (head Quàng Văn Bình; the household holds an approved allowance
QT-01, one-off); HH-003 has no head and a proposal not yet approved.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from api import reading
from api.imports.preview import Preview, parse
from api.reading import Direct, Read
from ledger.domain.acceptance import Accepted
from ledger.formats.vault import VaultRecord
from tests.conftest import Story

HEAD_ID, SON_ID, OTHER_ID = "014150000101", "014180000102", "014160000103"
DECISION = {"number": "15/QĐ-UBND", "date": "2022-01-06"}


def uid() -> str:
    return str(uuid.uuid4())


@dataclass
class Village:
    story: Story
    households: dict[str, str]  # code -> id
    head: str
    son: str
    other: str
    monthly: str  # benefit ids
    household_benefit: str
    proposed: str
    empty_household_benefit: str

    def read(self) -> Read:
        return reading.read_at(Direct(self.story.app), None)

    def parse(self, layout: str, data: bytes, fmt: str = "xlsx", **kw: Any) -> Preview:
        return parse(layout, data, fmt, self.read(), **kw)

    def record(self, preview: Preview) -> list[Accepted]:
        """Sign every statement of the preview with the layout's officer; one batch."""
        who = "cashier" if preview.layout.name == "payroll" else "registrar"
        subs = [self.story.o.sub(who, t, b, vault=tuple(r.vault)) for r, t, b in preview.statements]
        return self.story.app.submit_batch(subs)


def _submit(story: Story, who: str, type_: str, body: dict[str, Any], *vault: VaultRecord) -> None:
    story.submit(story.o.sub(who, type_, body, vault=tuple(vault)))


def person(story: Story, household: str, name: str, number: str, relation: str) -> str:
    pid = uid()
    record = VaultRecord.new(
        pid, {"full_name": name, "national_id": number, "birth_date": "1950-03-02"}
    )
    body = {"person_id": pid, "household_id": household, "relation": relation, "sex": "f"}
    _submit(
        story,
        "registrar",
        "person.registered",
        body | {"birth_year": 1950, "pii": record.commitment},
        record,
    )
    return pid


def benefit(story: Story, program: str, whom: dict[str, str], approve: bool = True) -> str:
    bid = uid()
    body = {"benefit_id": bid, "program_id": program, **whom, "amount": 1_624_000}
    _submit(
        story, "registrar", "benefit.proposed", body | {"start": "2022-01", "basis": "Thương binh"}
    )
    if approve:
        _submit(story, "approver", "benefit.approved", {"benefit_id": bid, "decision": DECISION})
    return bid


def program(story: Story, code: str, kind: str) -> str:
    pid = uid()
    body = {"program_id": pid, "code": code, "name": "Trợ cấp " + code}
    _submit(story, "authority", "program.defined", body | {"category": "meritorious", "kind": kind})
    return pid


def make_village(story: Story) -> Village:
    households = {}
    for code in ("HH-001", "HH-002", "HH-003"):
        households[code] = uid()
        body = {"household_id": households[code], "code": code, "village": "Bản Huổi Một"}
        _submit(story, "registrar", "household.registered", body)
    head = person(story, households["HH-001"], "Lò Thị Xuân", HEAD_ID, "head")
    son = person(story, households["HH-001"], "Lò Văn Thắng", SON_ID, "member")
    other = person(story, households["HH-002"], "Quàng Văn Bình", OTHER_ID, "head")
    tb, qt = program(story, "TB-61", "monthly"), program(story, "QT-01", "one_off")
    monthly = benefit(story, tb, {"person_id": head})
    household_benefit = benefit(story, qt, {"household_id": households["HH-002"]})
    proposed = benefit(story, tb, {"person_id": son}, approve=False)
    empty = benefit(story, tb, {"household_id": households["HH-003"]})
    paid = {"payment_id": uid(), "benefit_id": monthly, "month": "2022-01", "amount": 1_624_000}
    paid |= {"paid_on": "2022-01-10", "method": "cash", "recipient": head}
    _submit(
        story,
        "cashier",
        "payment.recorded",
        paid | {"receipt": {"kind": "signature", "evidence": "ab" * 32}},
    )
    return Village(story, households, head, son, other, monthly, household_benefit, proposed, empty)


def xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook whose first sheet holds ``rows`` from A1."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], delimiter: str = ",", bom: bool = False) -> bytes:
    import csv

    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("utf-8-sig" if bom else "utf-8")


def codes(preview: Preview) -> list[tuple[int, str, str]]:
    """Every problem as (row, column, code)."""
    return [(r.number, e["column"], e["code"]) for r in preview.rows for e in r.errors]


PAYROLL_HEADERS = [
    "STT", "Thôn/bản", "Mã hộ", "Họ và tên", "Chương trình", "Số tiền phải trả",
    "Số tiền đã nhận", "Ngày nhận", "Hình thức", "Số biên nhận", "Số định danh người nhận",
    "Mã trợ cấp", "Ký nhận",
]  # fmt: skip


def payroll_row(benefit_id: str, paid: Any = 1_624_000, **kw: Any) -> list[Any]:
    """One row of the payroll sheet (``kw`` by column: household, paid_on, method, receipt, ...)."""
    return [
        kw.get("number", 1), "Bản Huổi Một", kw.get("household", "HH-001"), "Lò Thị Xuân",
        "TB-61", 1_624_000, paid, kw.get("paid_on", "10/02/2022"), kw.get("method", "Tiền mặt"),
        kw.get("receipt", "BN-0001"), kw.get("recipient", ""), benefit_id, "",
    ]  # fmt: skip
