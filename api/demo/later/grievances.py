"""The demo's grievances and beneficiaries' confirmations, in 2024 (FORMATS 1.3).

:func:`run` is this procedure's step of :func:`api.demo.later.run`: it
registers the lookup page's key (role ``intake``) the day after the ledger
adopts 1.3, then calls :func:`add_grievances`, which adds to a
:class:`~api.demo.scribe.Scribe` what a commune's half-year of grievances
looks like (docs/formats.md 11.5): complaints
about the lists after the village meetings, answered and closed; one about
a payment, answered late; one nobody answered (``GRIEVANCE_OVERDUE`` in the
reconciliation); confirmations from the lookup page, mostly "received in
full", one "not received" on a paid line left open (``PAYMENT_DISPUTED``)
and one "not the right amount" answered and closed. No statement names
who complained.

What it needs: the ledger follows 1.3 before the first of these days (from
June 2024); the scribe's ``keys`` hold ``registrar``, ``approver`` and
``intake`` (:func:`run` adds ``intake`` when missing, drawn from the authority
key's seed so that the demo's generator, and every id after it, stays as
it was; to take confirmations on the demo with ``ansinh serve --intake-key
keys/intake.key``, the demo's build writes it with the other keys);
``registrar_holder`` is the registrar's holder id; ``paid`` lists the
lookup codes of at least three payroll lines paid in 2024
(:func:`projections.reports.receipts.receipt_code` of the benefit and
month), in any order. What it plants for the reconciliation of December
2024 is added to ``later.planted``.
"""

from __future__ import annotations

import hashlib

from api.demo import data as d
from api.demo.later.years import ADOPTED_ON, LaterYears
from api.demo.scribe import Scribe
from ledger.formats.keys import KeyPair
from ledger.formats.procedures.grievances import due_after
from projections.reports.receipts import receipt_code

LIST_COMPLAINTS = (
    ("2024-11-18", "Hộ đề nghị bình xét lại: thu nhập đã giảm sau vụ mất mùa", "resolved"),
    ("2024-11-20", "Đề nghị xem lại việc đưa một hộ ra khỏi danh sách hộ cận nghèo", "unfounded"),
    ("2024-12-03", "Người dân phản ánh danh sách niêm yết thiếu một hộ", "withdrawn"),
)
INTAKE = ("trang-tra-cuu", "Trang tra cứu công khai xã Chiềng En")
PAID_IN = "2024-06"  # the month whose paid lines are confirmed and complained about


def run(later: LaterYears) -> None:
    """This procedure's step of the later years (see the module's docstring)."""
    day = due_after(ADOPTED_ON, 1)
    keys = later.s.keys
    if "intake" not in keys:  # drawn from the authority's seed, not from the demo's generator
        seed = hashlib.sha256(b"ansinh-demo/intake\n" + keys["authority"].seed).digest()
        keys["intake"] = KeyPair.from_seed(seed)
    later.c.register_key(day, "intake", *INTAKE, ["intake"])
    lines = [
        receipt_code(d.LEDGER_ID, g.benefit_id, PAID_IN)
        for g in later.continuing()
        if later.due(g, PAID_IN) and not later.paid_by_agent(g, PAID_IN)
    ]
    add_grievances(later.s, d.OFFICERS["registrar"][0], lines[:12], 2024)
    later.planted += [
        ("GRIEVANCE_OVERDUE", "a letter of September 2024 nobody answered"),
        ("GRIEVANCE_OVERDUE", "a line of June 2024 said not received, not answered"),
        ("PAYMENT_DISPUTED", "a line of June 2024 said not received on the lookup page"),
    ]


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
    day = f"{year}-06-20"
    gid = _lodge(
        scribe, day, {"kind": "payment", "code": first}, "in_person", "Chưa nhận tiền tháng 6"
    )
    _assign(scribe, due_after(day, 1), gid, registrar_holder, due=due_after(day, 45))
    _answer(scribe, due_after(day, 40), gid, "Đã chi ngày 12/06; hộ đã ký nhận")
    _close(scribe, due_after(day, 41), gid, "unfounded")
    late = f"{year}-09-02"
    _lodge(scribe, late, {"kind": "other"}, "letter", "Đề nghị hỗ trợ sửa nhà sau mưa lũ")
    for n, code in enumerate(sorted(paid)[3:12]):
        _confirm(scribe, f"{year}-{(n % 6) + 7:02d}-15", code, "received")
    _confirm(scribe, f"{year}-06-24", second, "not_received")  # left open: disputed
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
