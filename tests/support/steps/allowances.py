"""Drafts of this procedure's FORMATS 1.3 types, each with its prerequisites recorded.

Also the verbs the allowance tests share: a standard level, a social benefit,
a change proposed and decided (docs/formats.md 11.2).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from projections.reports.entitlements import next_month
from tests.conftest import Story, new_id

if TYPE_CHECKING:
    from tests.support.drafts import Draft

# ``tests.support.drafts`` merges these builders as it is imported: its names are
# looked up when a builder runs, so that either module may be imported first.


def adopted_1_3(s: Story) -> None:
    from tests.support.drafts import adopted_1_3 as adopt

    adopt(s)


def _draft(who: str, type_: str, body: dict[str, Any]) -> Draft:
    from tests.support.drafts import Draft

    return Draft(who, type_, body)


LAW_2021 = "Nghị định 20/2021/NĐ-CP"
LAW_2024 = "Nghị định 76/2024/NĐ-CP"


def level(
    s: Story,
    amount: int = 360_000,
    effective: str | None = None,
    category: str = "social_protection",
) -> Draft:
    """A standard level (the ledger follows 1.3 first); by default from the first month
    from 2021-07 on that has none yet."""
    adopted_1_3(s)
    if effective is None:
        effective, taken = "2021-07", s.app.charter().levels.get(category, {})
        while effective in taken:
            effective = next_month(effective)
    body = {
        "category": category,
        "effective": effective,
        "amount": amount,
        "legal_basis": LAW_2021 if effective < "2024-07" else LAW_2024,
    }
    return _draft("authority", "allowance.level.set", body)


def social_benefit(s: Story, person_id: str | None = None, approve: bool = True) -> str:
    """An approved monthly social-protection benefit of 540,000 đ from 2022-01."""
    adopted_1_3(s)
    program = s.program(category="social_protection")
    return s.benefit(program, person_id or s.person(s.household()), approve, amount=540_000)


def change(
    s: Story, benefit_id: str, kind: str, start: str, coefficient: int | None = None
) -> Draft:
    body: dict[str, Any] = {"change_id": new_id(), "benefit_id": benefit_id, "kind": kind}
    body["from"] = start
    if coefficient is not None:
        body["coefficient"] = coefficient
    body["reason"] = {
        "rebase": "Điều chỉnh mức chuẩn trợ giúp xã hội",
        "suspend": "Tạm dừng: không nhận trợ cấp 3 tháng liền",
        "resume": "Tiếp tục chi trả",
    }[kind]
    return _draft("registrar", "benefit.change.proposed", body)


def decided(change_draft: Draft, approve: bool = True, who: str = "approver") -> Draft:
    ids = {k: change_draft.body[k] for k in ("change_id", "benefit_id")}
    if approve:
        from tests.support.drafts import DECISION

        return _draft(who, "benefit.change.approved", {**ids, "decision": DECISION})
    return _draft(who, "benefit.change.rejected", {**ids, "reason": "Chưa đủ hồ sơ"})


def changed(
    s: Story, benefit_id: str, kind: str, start: str, coefficient: int | None = None
) -> str:
    """A change proposed and approved; its id."""
    proposed = change(s, benefit_id, kind, start, coefficient)
    s.submit(proposed.sub(s.o))
    s.submit(decided(proposed).sub(s.o))
    return str(proposed.body["change_id"])


def _rebase(s: Story) -> Draft:
    adopted_1_3(s)
    if not s.app.charter().levels.get("social_protection"):
        s.submit(level(s).sub(s.o))
    return change(s, social_benefit(s), "rebase", "2022-01", 150)


def _proposed(s: Story) -> Draft:
    proposed = _rebase(s)
    s.submit(proposed.sub(s.o))
    return proposed


def left(s: Story) -> Draft:
    adopted_1_3(s)
    body = {"person_id": s.person(s.household()), "date": "2022-03-15", "to": "xã Mường Lầm"}
    return _draft("registrar", "person.left", body)


BUILDERS: dict[str, Callable[[Story], Draft]] = {
    "allowance.level.set": level,
    "benefit.change.proposed": _rebase,
    "benefit.change.approved": lambda s: decided(_proposed(s)),
    "benefit.change.rejected": lambda s: decided(_proposed(s), approve=False),
    "person.left": left,
}
