"""Danh sách chi trả, filled in: each row whose ``Số tiền đã nhận`` is written is a payment.

The sheet is the printed payroll of one month (another part of the console
prints it with these very headers, so that the paper comes back through
here): a row left without an amount received was not paid and is skipped,
counted, not an error. A paid row becomes ``payment.recorded``: the benefit
named by ``Mã trợ cấp`` (approved, due that month, not yet paid for it), the
amount and day received, the method, the recipient (the beneficiary, or a
household benefit's head, unless another id number is written) and the
receipt, as the SHA-256 of its number: a bank's reference for a bank
transfer, else the number of the signed receipt. Rows that are not a
beneficiary's (no benefit id, no household code: subtotals, the total, the
signatures) are ignored, and a paid row the sheet was printed with (its
receipt the recorded payment's id, as printed) is skipped: it is recorded.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from api.imports import cells
from api.imports.rows import Row, _person_in, new_id

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def payment_row(row: Row) -> None:
    facts = row.facts
    if not row.text("benefit_id") and not row.text("household_code"):
        row.ignored = True  # a subtotal, the total, the sum in words, the signatures
        return
    if not row.text("paid"):
        row.skipped = True
        return
    snap = facts.read.snap
    benefit_id = row.read("benefit_id", lambda c: cells.text(c).lower())
    benefit = snap.benefits.get(benefit_id or "")
    month: str | None = None
    if benefit is not None:
        program = snap.programs[benefit.program_id]
        month = facts.month if program.kind == "monthly" else None
        if _recorded_as_printed(row, benefit.benefit_id, month):
            row.skipped = True
            return
    amount = row.read("paid", cells.amount)
    paid_on = row.read("paid_on", cells.day)
    method = row.read("method", lambda c: cells.choice(c, cells.METHODS, "BAD_METHOD"))
    method = method or ("cash" if not row.text("method") else None)
    receipt = row.read("receipt", cells.text)
    if benefit_id is not None and benefit is None:
        row.fail("benefit_id", "UNKNOWN_BENEFIT")
    recipient = None
    if benefit is not None:
        _check_benefit(row, benefit, month)
        _check_household(row, benefit.benefit_id)
        recipient = _recipient(row, benefit)
    if row.errors or benefit is None or recipient is None:
        return
    assert receipt is not None and method is not None
    evidence = hashlib.sha256(receipt.strip().encode("utf-8")).hexdigest()
    body: dict[str, Any] = {"payment_id": new_id(), "benefit_id": benefit.benefit_id}
    body |= {"month": month} if month is not None else {}
    body |= {"amount": amount, "paid_on": paid_on, "method": method, "recipient": recipient}
    body["receipt"] = {
        "kind": "bank_ref" if method == "bank" else "signature",
        "evidence": evidence,
    }
    row.statement("payment.recorded", body)


def _recorded_as_printed(row: Row, benefit_id: str, month: str | None) -> bool:
    """A paid row the sheet was printed with: the ledger's payment, its id's start as receipt.

    (A sheet printed after some payments were recorded shows them; brought
    back, they are not paid again.)
    """
    payment = row.facts.paid.get((benefit_id, month))
    lines = row.text("receipt").split()
    return payment is not None and any(
        len(line) >= 8 and payment.payment_id.startswith(line.lower()) for line in lines
    )


def _recipient(row: Row, benefit: Any) -> str | None:
    """Who received it: the id written (a person id as printed, or an id number), or else
    the beneficiary, or a household benefit's head."""
    written = row.text("recipient_id").lower()
    if not written:
        return benefit.person_id or _head(row, benefit.benefit_id)
    if UUID.fullmatch(written):
        if written not in row.facts.read.snap.people:
            row.fail("recipient_id", "UNKNOWN_PERSON")
            return None
        return written
    number = row.read("recipient_id", cells.national_id, required=False)
    return _person_in(row, "recipient_id", number, None) if number is not None else None


def _check_benefit(row: Row, benefit: Any, month: str | None) -> None:
    """Approved, due in ``month``, and paid neither in the ledger nor on an earlier row."""
    facts = row.facts
    if benefit.state not in ("approved", "ended"):
        row.fail("benefit_id", "BENEFIT_NOT_APPROVED", state=benefit.state)
        return
    last = benefit.last_month or benefit.end
    if month is not None and (month < benefit.start or (last is not None and month > last)):
        row.fail("benefit_id", "BENEFIT_NOT_IN_MONTH", month=month)
        return
    key = (benefit.benefit_id, month)
    shown = month or "—"
    if key in facts.paid:
        row.fail("benefit_id", "ALREADY_PAID", month=shown, index=facts.paid[key].index)
    elif key in facts.seen_payments:
        row.fail("benefit_id", "ALREADY_PAID.file", month=shown, row=facts.seen_payments[key])
    else:
        facts.seen_payments[key] = row.number


def _check_household(row: Row, benefit_id: str) -> None:
    """A ``Mã hộ`` written on the row is the benefit's household."""
    code = row.text("household_code")
    if not code or "household_code" not in row.headers:
        return
    household = row.facts.households.get(code)
    if household is None:
        row.fail("household_code", "UNKNOWN_HOUSEHOLD")
        return
    expected = row.facts.household_of_benefit(benefit_id)
    if household.household_id != expected:
        snap = row.facts.read.snap
        known = snap.households.get(expected or "")
        row.fail("household_code", "HOUSEHOLD_MISMATCH", expected=known.code if known else "—")


def _head(row: Row, benefit_id: str) -> str | None:
    """A household benefit's recipient: the household's head (else a problem recorded)."""
    household_id = row.facts.household_of_benefit(benefit_id)
    head = row.facts.heads.get(household_id or "")
    if head is None:
        row.fail("recipient_id", "NO_RECIPIENT")
        return None
    return head.person_id
