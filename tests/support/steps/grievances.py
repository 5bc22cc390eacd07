"""Drafts of this procedure's FORMATS 1.3 types, each with its prerequisites recorded.

Grievances and beneficiaries' confirmations (docs/formats.md 11.5). The
public page's key is ``registrar2``'s, registered with the role ``intake``
(the test officers have no key of their own for it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from api.demo import statements as st
from ledger.formats.keys import KeyPair
from projections.reports.receipts import receipt_code
from tests.conftest import Story, new_id

if TYPE_CHECKING:
    from tests.support.drafts import Draft

INTAKE = "intake"
"""The name of the key the public page signs with (not one of the test officers': added)."""
ANSWERER = "staff-registrar"
"""The holder id of the test officers' registrar, who answers grievances."""


def _draft(who: str, kind: str, body: dict[str, Any]) -> Draft:
    # (imported late: tests.support.drafts merges this module's builders as it loads)
    from tests.support.drafts import Draft

    return Draft(who, kind, body)


def adopted_1_3(s: Story) -> None:
    """Have the ledger follow FORMATS 1.3 (:func:`tests.support.drafts.adopted_1_3`)."""
    from tests.support.drafts import adopted_1_3 as adopt

    adopt(s)


def intake_key(s: Story) -> str:
    """Have the ledger follow 1.3 and hold the page's key (role intake); its officer's name."""
    adopted_1_3(s)
    key = s.o.keys.setdefault(INTAKE, KeyPair.from_seed(b"I" * 32))
    if key.key_id not in s.app.charter().keys:
        body = st.key_registered(key, "trang-tra-cuu", "Trang tra cứu công khai", ["intake"])
        s.submit(_draft("authority", "key.registered", body).sub(s.o))
    return INTAKE


def paid_line(s: Story, month: str = "2022-01") -> str:
    """The lookup code of a paid payroll line."""
    _, pid, bid = s.beneficiary()
    s.pay(bid, pid, month=month)
    return receipt_code(s.app.charter().ledger_id, bid, month)


def lodged_body(s: Story, code: str | None = None) -> dict[str, Any]:
    """A grievance about a paid line, lodged in person on 1 February 2022."""
    return {
        "grievance_id": new_id(),
        "subject": {"kind": "payment", "code": code or paid_line(s)},
        "channel": "in_person",
        "lodged_on": "2022-02-01",
        "due": "2022-03-03",
        "summary": "Hộ trình bày chưa nhận đủ tiền trợ cấp tháng 1/2022",
    }


def lodged(s: Story) -> str:
    """A grievance lodged (the ledger following 1.3): its id."""
    adopted_1_3(s)
    body = lodged_body(s)
    s.submit(s.o.sub("registrar", "grievance.lodged", body))
    return str(body["grievance_id"])


def assigned(s: Story) -> str:
    """A grievance lodged and assigned to the registrar: its id."""
    gid = lodged(s)
    s.submit(s.o.sub("approver", "grievance.assigned", {"grievance_id": gid, "to": ANSWERER}))
    return gid


def answer_body(gid: str) -> dict[str, Any]:
    return {
        "grievance_id": gid,
        "answer": "Đã đối chiếu danh sách chi trả: hộ đã ký nhận đủ 1.624.000 đ ngày 10/01/2022",
        "answered_on": "2022-02-10",
    }


def answered(s: Story) -> str:
    """A grievance lodged, assigned and answered: its id."""
    gid = assigned(s)
    s.submit(s.o.sub("registrar", "grievance.answered", answer_body(gid)))
    return gid


def _lodged(s: Story) -> Draft:
    adopted_1_3(s)
    return _draft("registrar", "grievance.lodged", lodged_body(s))


def confirmation(s: Story, outcome: str = "not_received", code: str | None = None) -> Draft:
    """What the public page signs when a villager presses a button."""
    who = intake_key(s)
    body: dict[str, Any] = {
        "confirmation_id": new_id(),
        "code": code or paid_line(s),
        "outcome": outcome,
        "confirmed_on": "2022-02-01",
    }
    return _draft(who, "receipt.confirmed", body)


BUILDERS: dict[str, Callable[[Story], Draft]] = {
    "grievance.lodged": _lodged,
    "grievance.assigned": lambda s: _draft(
        "approver", "grievance.assigned", {"grievance_id": lodged(s), "to": ANSWERER}
    ),
    "grievance.answered": lambda s: _draft(
        "registrar", "grievance.answered", answer_body(assigned(s))
    ),
    "grievance.closed": lambda s: _draft(
        "approver",
        "grievance.closed",
        {"grievance_id": answered(s), "outcome": "unfounded", "closed_on": "2022-02-15"},
    ),
    "receipt.confirmed": confirmation,
}
