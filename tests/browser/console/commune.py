"""A commune of 500 approved monthly allowances, and its payroll filled in as a spreadsheet.

Five villages of a hundred households; each head holds an approved benefit
of program TB-61 from January 2022. Recorded straight into the ledger (one
batch), so that the browser test spends its time on the console's import.
Names are generated (:mod:`api.demo.names`), never real.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from api.demo import names
from ledger.domain.acceptance import Submission
from ledger.formats.vault import VaultRecord
from tests.conftest import Story, new_id

AMOUNT = 1_624_000
VILLAGES = ("Bản Nà", "Bản Púng", "Bản Hua", "Bản Pá", "Bản Lọng")
PAYROLL_HEADERS = [
    "STT", "Thôn/bản", "Mã hộ", "Họ và tên", "Chương trình", "Số tiền phải trả",
    "Số tiền đã nhận", "Ngày nhận", "Hình thức", "Số biên nhận", "Số định danh người nhận",
    "Mã trợ cấp", "Ký nhận",
]  # fmt: skip


@dataclass
class Due:
    village: str
    code: str
    name: str
    benefit_id: str


def build(story: Story, count: int = 500) -> list[Due]:
    """``count`` approved allowances of program TB-61, funded; the rows of their payroll."""
    rng = random.Random(13)
    o = story.o
    program = new_id()
    body: dict[str, Any] = {"program_id": program, "code": "TB-61", "name": "Trợ cấp thương binh"}
    subs: list[Submission] = [
        o.sub("authority", "program.defined", body | {"category": "meritorious", "kind": "monthly"})
    ]
    fund = {"receipt_id": new_id(), "program_id": program, "amount": AMOUNT * count * 3}
    fund |= {"date": "2022-01-03", "source": "Phòng LĐ-TB&XH huyện", "reference": "UNC 01/2022"}
    subs.append(o.sub("cashier", "fund.received", fund))
    due = []
    for i in range(count):
        village = VILLAGES[i % len(VILLAGES)]
        code, household, person, benefit = f"CE-{i + 1:04d}", new_id(), new_id(), new_id()
        name = names.full_name(rng, "m", 1950)
        record = VaultRecord.new(person, {"full_name": name, "national_id": f"0141500{i:05d}"})
        subs.append(
            o.sub(
                "registrar",
                "household.registered",
                {"household_id": household, "code": code, "village": village},
            )
        )
        person_body = {"person_id": person, "household_id": household, "relation": "head"}
        person_body |= {"sex": "m", "birth_year": 1950, "pii": record.commitment}
        subs.append(o.sub("registrar", "person.registered", person_body, vault=(record,)))
        proposal = {"benefit_id": benefit, "program_id": program, "person_id": person}
        proposal |= {"amount": AMOUNT, "start": "2022-01", "basis": "Thương binh 61%"}
        subs.append(o.sub("registrar", "benefit.proposed", proposal))
        decision = {"number": "45/QĐ-UBND", "date": "2022-01-06"}
        subs.append(
            o.sub("approver", "benefit.approved", {"benefit_id": benefit, "decision": decision})
        )
        due.append(Due(village, code, name, benefit))
    story.app.submit_batch(subs)
    return due


def payroll_xlsx(due: list[Due], bad: dict[int, dict[str, Any]] | None = None) -> bytes:
    """January's payroll filled in: every row paid in cash on the 10th, with its receipt
    number; ``bad`` overrides cells of some rows (by row number: paid_on, paid, method)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["UBND XÃ CHIỀNG EN"])
    sheet.append(["DANH SÁCH CHI TRẢ", "", "Tháng: 01/2022"])
    sheet.append(PAYROLL_HEADERS)
    for number, row in enumerate(due, start=1):
        cells = {"paid": AMOUNT, "paid_on": "10/01/2022", "method": "Tiền mặt"}
        cells |= (bad or {}).get(number, {})
        sheet.append(
            [
                number, row.village, row.code, row.name, "TB-61", AMOUNT, cells["paid"],
                cells["paid_on"], cells["method"], f"BN-2022-{number:04d}", "", row.benefit_id, "",
            ]
        )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
