"""The demo's 2024 allowance changes: the July 2024 standard levels, and the social
allowances rebased on them (docs/formats.md 11.2).

Decree 76/2024/NĐ-CP raised the social-assistance standard level from
360.000 đ to 500.000 đ from July 2024; Decree 77/2024/NĐ-CP the standard
level of allowances for meritorious people to 2.789.000 đ. A social benefit
rebased on the level (its coefficient in hundredths) follows it from then
on without being proposed again. The ledger must follow FORMATS 1.3 first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from api.demo.data import Level

if TYPE_CHECKING:
    from api.demo.commune import Grant
    from api.demo.later.years import LaterYears

LEVELS_2024 = (
    ("social_protection", 500_000, "Nghị định 76/2024/NĐ-CP"),
    ("meritorious", 2_789_000, "Nghị định 77/2024/NĐ-CP"),
)
DECISION = {"number": "52/QĐ-UBND", "date": "2024-07-05"}
SOCIAL_LEVEL_2024 = 500_000
FROM = "2024-07"


class Add(Protocol):
    """How statements are collected (:meth:`api.demo.scribe.Scribe.add`)."""

    def __call__(self, day: str, who: str, type_: str, *args: Any, **body: Any) -> None: ...


def coefficient(level: Level) -> int:
    """A demo level's coefficient in hundredths (its ``halves``: 3 is 1,5, so 150)."""
    return level.halves * 50


def rebase_2024(
    add: Add,
    new_id: Callable[[], str],
    benefits: Sequence[tuple[str, int]],
    *,
    admin: str = "authority",
    registrar: str = "registrar",
    approver: str = "approver",
) -> list[str]:
    """Set the July 2024 levels and rebase each social benefit on its coefficient.

    ``benefits``: (benefit id, coefficient in hundredths) of approved monthly
    social-protection benefits started by 2024-07. Adds, by business date: on
    2024-07-01 the two levels from 2024-07 (``admin``); on 2024-07-02 a rebase
    from 2024-07 per benefit (``registrar``); on 2024-07-05 their approvals
    (``approver``, decision 52/QĐ-UBND). Returns the change ids, in order.
    """
    for category, amount, law in LEVELS_2024:
        add(
            "2024-07-01",
            admin,
            "allowance.level.set",
            category=category,
            effective="2024-07",
            amount=amount,
            legal_basis=law,
        )
    changes = []
    for benefit_id, hundredths in benefits:
        change_id = new_id()
        reason = f"Điều chỉnh theo mức chuẩn mới (hệ số {hundredths / 100:.2f})".replace(".", ",")
        body = {"change_id": change_id, "benefit_id": benefit_id, "kind": "rebase"}
        add("2024-07-02", registrar, "benefit.change.proposed", **body, **{"from": "2024-07"},
            coefficient=hundredths, reason=reason)  # fmt: skip
        add("2024-07-05", approver, "benefit.change.approved", change_id=change_id,
            benefit_id=benefit_id, decision=dict(DECISION))  # fmt: skip
        changes.append(change_id)
    return changes


def apply(later: LaterYears) -> list[str]:
    """The procedure in the demo's later years (:func:`api.demo.later.run`, after the
    adoption of 1.3 in May 2024, before funding and paying): the July 2024 levels, each
    continuing social allowance rebased on its coefficient from 2024-07, and
    ``later.amount_for`` paying it 500.000 đ × coefficient from then. Returns the
    change ids."""
    rebased = {
        g.benefit_id: coefficient(g.level)
        for g in later.continuing()
        if g.program == "BTXH" and g.level is not None
    }
    changes = rebase_2024(later.s.add, later.s.new_id, sorted(rebased.items()))
    before = later.amount_for

    def amount_for(g: Grant, month: str) -> int:
        hundredths = rebased.get(g.benefit_id)
        if hundredths is None or month < FROM:
            return before(g, month)
        return SOCIAL_LEVEL_2024 * hundredths // 100

    later.amount_for = amount_for
    return changes


LEFT_ON, MOVED_TO = "2024-10-20", "xã Mường Lầm, huyện Sông Mã"
SUSPENSION = {"number": "61/QĐ-UBND", "date": "2024-11-25"}


def plant(later: LaterYears) -> tuple[str, str]:
    """Two irregularities of the later years, for the reconciliation to find (optional;
    call after :func:`apply`): a social-allowance holder moves away on 20/10/2024 and is
    still paid November (``PAID_AFTER_LEAVING``); another allowance is suspended from
    12/2024 by decision 61/QĐ-UBND and still paid December (``PAID_WHILE_SUSPENDED``).
    Adds to ``later.planted`` and ``later.stopped``; returns the two benefit ids."""
    social = [
        g
        for g in later.continuing()
        if g.program == "BTXH" and g.person is not None and g.benefit_id not in later.stopped
    ]
    leaving, suspended = social[0], social[1]
    assert leaving.person is not None
    later.s.add("2024-10-22", "registrar", "person.left", person_id=leaving.person.person_id,
                date=LEFT_ON, to=MOVED_TO)  # fmt: skip
    later.stopped[leaving.benefit_id] = "2024-12"  # November paid all the same
    later.planted.append(
        ("PAID_AFTER_LEAVING", "moved to xã Mường Lầm on 20/10/2024; November still paid")
    )
    change_id, add = later.s.new_id(), cast(Add, later.s.add)
    body = {"change_id": change_id, "benefit_id": suspended.benefit_id, "kind": "suspend"}
    reason = "Tạm dừng để xác minh lại điều kiện hưởng"
    add("2024-11-20", "registrar", "benefit.change.proposed", **body,
                **{"from": "2024-12"}, reason=reason)  # fmt: skip
    later.s.add("2024-11-25", "approver", "benefit.change.approved", change_id=change_id,
                benefit_id=suspended.benefit_id, decision=dict(SUSPENSION))  # fmt: skip
    later.planted.append(
        ("PAID_WHILE_SUSPENDED", "suspended from 12/2024 (61/QĐ-UBND); December still paid")
    )
    return leaving.benefit_id, suspended.benefit_id
