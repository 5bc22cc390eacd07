"""Bảng quyết toán chi trả: a paying agent's settlement of the list it was sent, line by line.

docs/formats.md 11.3. Each row is one line of the list of the month
(``--month``, or a ``Tháng: mm/yyyy`` cell above the header), named by its
lookup code (mã tra cứu) as the list printed it; the row says what became of
it: ``Đã chi`` (paid, with the day), ``Chưa chi`` (not paid) or ``Trả lại``
(returned), with the amount and a reason. The list is the latest one sent
for that month. Each good row becomes the cashier's
``payroll.settlement.recorded``, naming the file by its SHA-256 (``source``),
and a paid one also the ``payment.recorded`` by post the reconciliation
counts (unless one is recorded: the agent's word acknowledges it), its
receipt the file. Signed with the agent's own key, ``ansinh import`` records
the same lines as ``payroll.settled``, the agent's word, and no payment (a
cashier records those).

A bad row stops the batch: a code that is no line of the list (its lines
recomputed from the payroll as the log stood before it was sent), a benefit id
that does not match the code, a line the ledger or the file settles already,
a paid line without its day or paid before the list was sent, more lines
than the list holds.
"""

from __future__ import annotations

from typing import Any

from api.imports import cells
from api.imports.layouts import Column, Layout
from api.imports.messages import MESSAGES
from api.imports.rows import Row, new_id
from projections import query
from projections.reports.agents import TYPES, list_lines
from projections.reports.receipts import read_code

SETTLEMENT = Layout(
    "settlement",
    "Bảng quyết toán chi trả",
    "Paying agent's settlement",
    "cashier",
    "payroll.settlement.recorded",
    (
        Column("number", "STT", "No.", False, "1", "Số thứ tự.", "Row number."),
        Column(
            "code",
            "Mã tra cứu",
            "Lookup code",
            True,
            "7QX3M-0D9KA",
            "Mã tra cứu của dòng, như in trên danh sách gửi tổ chức chi trả.",
            "The line's lookup code, as printed on the list sent to the agent.",
            ("benefit_id",),
            text_format=True,
        ),
        Column(
            "benefit_id",
            "Mã trợ cấp",
            "Benefit ID",
            False,
            "",
            "Mã trợ cấp của dòng (nếu có, phải khớp với mã tra cứu).",
            "The line's benefit id (if given, it must match the lookup code).",
        ),
        Column(
            "full_name", "Họ và tên", "Full name", False, "Lò Văn Pắn", "Người hưởng.", "Recipient."
        ),
        Column(
            "amount",
            "Số tiền",
            "Amount",
            True,
            "1624000",
            "Số tiền của dòng (đồng), số nguyên.",
            "The line's amount in đồng, a whole number.",
            ("amount",),
        ),
        Column(
            "outcome",
            "Kết quả",
            "Outcome",
            True,
            "Đã chi",
            "Đã chi, Chưa chi hoặc Trả lại.",
            "Đã chi (paid), Chưa chi (not paid) or Trả lại (returned).",
            ("outcome",),
        ),
        Column(
            "paid_on",
            "Ngày chi trả",
            "Paid on",
            False,
            "08/01/2022",
            "Ngày chi trả (dd/mm/yyyy), chỉ với dòng đã chi.",
            "Day paid (dd/mm/yyyy), paid lines only.",
            ("paid_on",),
        ),
        Column(
            "reason",
            "Lý do",
            "Reason",
            False,
            "",
            "Lý do chưa chi hoặc bị trả lại.",
            "Why a line was not paid, or returned.",
            ("reason",),
        ),
    ),
)
OUTCOMES = {"da chi": "paid", "paid": "paid", "chua chi": "not_paid", "not paid": "not_paid"}
OUTCOMES |= {"not_paid": "not_paid", "tra lai": "returned", "bi tra lai": "returned"}
OUTCOMES |= {"returned": "returned"}  # compared without diacritics (cells.plain)
MESSAGES.update(
    {
        "NO_LIST_SENT": (
            "Cột «{column}»: chưa có danh sách tháng {month} gửi tổ chức chi trả.",
            "Column “{column}”: no list of {month} was sent to a paying agent.",
        ),
        "NOT_A_LINE": (
            "Cột «{column}»: «{value}» không phải mã tra cứu của dòng nào tháng {month}.",
            "Column “{column}”: “{value}” is the lookup code of no line of {month}.",
        ),
        "BENEFIT_MISMATCH": (
            "Cột «{column}»: «{value}» không khớp với mã tra cứu của dòng.",
            "Column “{column}”: “{value}” does not match the line's lookup code.",
        ),
        "LINE_SETTLED": (
            "Cột «{column}»: dòng «{value}» đã được quyết toán ({outcome}).",
            "Column “{column}”: line “{value}” is settled already ({outcome}).",
        ),
        "LINE_SETTLED.file": (
            "Cột «{column}»: dòng «{value}» đã có ở dòng {row} của tệp.",
            "Column “{column}”: line “{value}” is already on row {row} of the file.",
        ),
        "BAD_OUTCOME": (
            "Cột «{column}»: «{value}» phải là Đã chi, Chưa chi hoặc Trả lại.",
            "Column “{column}”: “{value}” must be Đã chi, Chưa chi or Trả lại "
            "(paid, not paid, returned).",
        ),
        "PAID_BEFORE_SENT": (
            "Cột «{column}»: ngày {value} trước ngày gửi danh sách ({sent_on}).",
            "Column “{column}”: {value} is before the list was sent ({sent_on}).",
        ),
        "PAID_ON_NOT_PAID": (
            "Cột «{column}»: chỉ dòng đã chi mới có ngày chi trả.",
            "Column “{column}”: only a paid line has a day paid.",
        ),
        "TOO_MANY_LINES": (
            "Cột «{column}»: danh sách chỉ có {lines} dòng.",
            "Column “{column}”: the list has only {lines} lines.",
        ),
    }
)


def _sending(row: Row) -> dict[str, Any] | None:
    """The latest list sent for the import's month, with what the ledger settled of it."""
    facts = row.facts
    if facts.sending is None:
        read, found, index = facts.read, {}, 0
        for at, _, kind, _, body in query.of_types(read.ledger, TYPES, read.snap.as_of):
            if kind == "payroll.sent" and body["month"] == facts.month:
                found, index = {**body, "settled": {}}, at
            elif kind in TYPES[1:3] and body["sending_id"] == found.get("sending_id"):
                found["settled"][body["benefit_id"]] = body["outcome"]
        codes = {}
        if found:  # the list's lines, recomputed from the log before it was sent
            before = query.snapshot(read.ledger, index)
            codes = {code: b for code, b, _ in list_lines(before, str(facts.month))}
        facts.sending = {"list": found or None, "codes": codes}
    sent: dict[str, Any] | None = facts.sending["list"]
    return sent


def settlement_row(row: Row) -> None:
    """One line of the agent's settlement: the cashier's ``payroll.settlement.recorded``."""
    facts = row.facts
    sending = _sending(row)
    typed = row.read("code", cells.text)
    amount = row.read("amount", cells.amount)
    outcome = row.read("outcome", lambda c: cells.choice(c, OUTCOMES, "BAD_OUTCOME"))
    paid_on = row.read("paid_on", cells.day, required=outcome == "paid")
    reason = row.read("reason", cells.text, required=False)
    written_benefit = row.read("benefit_id", cells.text, required=False)
    if sending is None:
        row.fail("code", "NO_LIST_SENT", month=facts.month)
        return
    if outcome is not None and outcome != "paid" and paid_on is not None:
        row.fail("paid_on", "PAID_ON_NOT_PAID")
    if paid_on is not None and paid_on < sending["sent_on"]:
        row.fail("paid_on", "PAID_BEFORE_SENT", sent_on=sending["sent_on"])
    code = read_code(typed) if typed is not None else None
    codes: dict[str, str] = facts.sending["codes"] if facts.sending is not None else {}
    benefit_id = codes.get(code) if code is not None else None
    if typed is not None and benefit_id is None:
        row.fail("code", "NOT_A_LINE", month=facts.month)
    elif benefit_id is not None:
        if written_benefit is not None and written_benefit.lower() != benefit_id:
            row.fail("benefit_id", "BENEFIT_MISMATCH")
        if benefit_id in sending["settled"]:
            row.fail("code", "LINE_SETTLED", outcome=sending["settled"][benefit_id])
        elif benefit_id in facts.seen_lines:
            row.fail("code", "LINE_SETTLED.file", row=facts.seen_lines[benefit_id])
        else:
            facts.seen_lines[benefit_id] = row.number
            if len(sending["settled"]) + len(facts.seen_lines) > sending["lines"]:
                row.fail("code", "TOO_MANY_LINES", lines=sending["lines"])
    if row.errors or benefit_id is None:
        return
    body: dict[str, Any] = {
        "sending_id": sending["sending_id"],
        "benefit_id": benefit_id,
        "amount": amount,
        "outcome": outcome,
    }
    body |= ({"paid_on": paid_on} if paid_on else {}) | ({"reason": reason} if reason else {})
    row.statement("payroll.settlement.recorded", body | {"source": facts.file_sha256})
    if row.statements and outcome == "paid":
        _payment(row, benefit_id, amount, paid_on)


def _payment(row: Row, benefit_id: str, amount: int, paid_on: str) -> None:
    """A paid line's ``payment.recorded`` by post, unless the ledger or the file has one: the
    recipient the beneficiary (a household's head), the receipt the agent's file."""
    facts = row.facts
    benefit = facts.read.snap.benefits[benefit_id]
    monthly = facts.read.snap.programs[benefit.program_id].kind == "monthly"
    month = facts.month if monthly else None
    if (benefit_id, month) in facts.paid or (benefit_id, month) in facts.seen_payments:
        return  # recorded before: the agent's word acknowledges it
    facts.seen_payments[(benefit_id, month)] = row.number
    recipient = benefit.person_id
    if recipient is None:
        head = facts.heads.get(benefit.household_id or "")
        if head is None:
            row.note("code", "NO_RECIPIENT")
            return
        recipient = head.person_id
    body: dict[str, Any] = {"payment_id": new_id(), "benefit_id": benefit_id}
    body |= ({"month": month} if month else {}) | {"amount": amount, "paid_on": paid_on}
    body |= {"method": "post", "recipient": recipient}
    body["receipt"] = {"kind": "signature", "evidence": facts.file_sha256}
    row.statement("payment.recorded", body)


def as_agent(kind: str) -> str | None:
    """The type of the same line as the agent's own word, for a key holding the role agent
    (None: a statement only a cashier signs, left out)."""
    if kind == "payment.recorded":
        return None
    return "payroll.settled" if kind == "payroll.settlement.recorded" else kind
