"""The demo's grievances and beneficiaries' confirmations, for a later year (FORMATS 1.3).

:func:`add_grievances` adds to a :class:`~api.demo.scribe.Scribe` what a
commune's year of grievances looks like (docs/formats.md 11.5): complaints
about the lists after the village meetings, answered and closed; one about
a payment, answered late; one nobody answered (``GRIEVANCE_OVERDUE`` in the
reconciliation); confirmations from the lookup page, mostly "received in
full", one "not received" on a paid line left open (``PAYMENT_DISPUTED``)
and one "not the right amount" answered and closed. No statement names
who complained.

What it needs: the ledger follows 1.3 before the first of these days; the
scribe's ``keys`` hold ``registrar``, ``approver`` and ``intake`` (a key
registered with the role ``intake``); ``registrar_holder`` is the
registrar's holder id; ``paid`` lists the lookup codes of at least three
paid payroll lines of the year (:func:`projections.reports.receipts.receipt_code`
of the benefit and month), in any order.
"""

from __future__ import annotations

from api.demo.scribe import Scribe
from ledger.formats.procedures.grievances import due_after

LIST_COMPLAINTS = (
    ("2024-11-18", "Hộ đề nghị bình xét lại: thu nhập đã giảm sau vụ mất mùa", "resolved"),
    ("2024-11-20", "Đề nghị xem lại việc đưa một hộ ra khỏi danh sách hộ cận nghèo", "unfounded"),
    ("2025-03-04", "Người dân phản ánh danh sách niêm yết thiếu một hộ", "withdrawn"),
)


def add_grievances(scribe: Scribe, registrar_holder: str, paid: list[str], year: int) -> None:
    """Add a year's grievances and confirmations to ``scribe`` (see the module's docstring)."""
    assert len(paid) >= 3, "three paid lines at least"
    first, second, third = sorted(paid)[:3]
    for day, summary, outcome in LIST_COMPLAINTS:
        gid = _lodge(scribe, day, {"kind": "list"}, "village_meeting", summary)
        _assign(scribe, due_after(day, 2), gid, registrar_holder)
        if outcome != "withdrawn":
            answered_on = due_after(day, 12)
            _answer(scribe, answered_on, gid, "Đã rà soát lại tại họp dân; kết quả niêm yết")
            _close(scribe, due_after(answered_on, 3), gid, outcome)
        else:
            _close(scribe, due_after(day, 5), gid, "withdrawn")
    day = f"{year}-02-10"
    gid = _lodge(
        scribe, day, {"kind": "payment", "code": first}, "in_person", "Chưa nhận tiền tháng 1"
    )
    _assign(scribe, due_after(day, 1), gid, registrar_holder, due=due_after(day, 45))
    _answer(scribe, due_after(day, 40), gid, "Bưu điện đã chi ngày 20/01; hộ đã điểm chỉ")
    _close(scribe, due_after(day, 41), gid, "unfounded")
    late = f"{year}-09-02"
    _lodge(scribe, late, {"kind": "other"}, "letter", "Đề nghị hỗ trợ sửa nhà sau mưa lũ")
    for n, code in enumerate(sorted(paid)[3:12]):
        _confirm(scribe, f"{year}-{(n % 9) + 2:02d}-15", code, "received")
    _confirm(scribe, f"{year}-06-12", second, "not_received")  # left open: disputed
    disputed = _confirm(scribe, f"{year}-07-08", third, "wrong_amount")
    _assign(scribe, f"{year}-07-09", disputed, registrar_holder)
    _answer(scribe, f"{year}-07-20", disputed, "Chi bổ sung 120.000 đ còn thiếu ngày 19/07")
    _close(scribe, f"{year}-07-22", disputed, "resolved")


def _lodge(scribe: Scribe, day: str, subject: dict[str, str], channel: str, summary: str) -> str:
    gid = scribe.new_id()
    scribe.add(
        day,
        "registrar",
        "grievance.lodged",
        grievance_id=gid,
        subject=subject,
        channel=channel,
        lodged_on=day,
        due=due_after(day),
        summary=summary,
    )
    return gid


def _assign(scribe: Scribe, day: str, gid: str, to: str, due: str | None = None) -> None:
    if due is None:
        scribe.add(day, "approver", "grievance.assigned", grievance_id=gid, to=to)
    else:
        scribe.add(day, "approver", "grievance.assigned", grievance_id=gid, to=to, due=due)


def _answer(scribe: Scribe, day: str, gid: str, answer: str) -> None:
    scribe.add(
        day, "registrar", "grievance.answered", grievance_id=gid, answer=answer, answered_on=day
    )


def _close(scribe: Scribe, day: str, gid: str, outcome: str) -> None:
    scribe.add(
        day, "approver", "grievance.closed", grievance_id=gid, outcome=outcome, closed_on=day
    )


def _confirm(scribe: Scribe, day: str, code: str, outcome: str) -> str:
    cid = scribe.new_id()
    scribe.add(
        day,
        "intake",
        "receipt.confirmed",
        confirmation_id=cid,
        code=code,
        outcome=outcome,
        confirmed_on=day,
    )
    return cid
