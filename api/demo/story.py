"""The demo's story: a commune's regular half-year, and a handful of irregularities.

:func:`generate` draws everything from ``random.Random(seed)``: the officers'
keys, the population, ids, salts, nonces, scanned receipts. Statements are
collected with their business date and signed in date order, each at 08:00
(01:00Z) of its day plus a second per statement already signed that day, so
the same seed gives byte-identical statements whatever the wall clock says.
The irregularities are planted where a careless or dishonest officer would
put them (DESIGN.md "Reconciliation"); their payments are kept apart, so the
summary can tell regular money from planted money. :func:`submit_all`
records the story through any submitter: the ledger in process, or a server.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from api.demo import data as d
from api.demo import later as later_years
from api.demo.commune import Commune, Grant
from api.demo.scribe import Scribe
from ledger.domain.acceptance import Accepted, Submission
from ledger.formats.keys import KeyPair

BATCH = 1000  # statements a submitter records in one transaction
# Records a batch all or nothing: ``LedgerApplication.submit_batch`` in process,
# ``AnsinhClient.submit_batch`` for a ledger behind ``ansinh serve``.
Submitter = Callable[[Sequence[Submission]], Sequence[Accepted]]


@dataclass
class Planted:
    """One irregularity put in on purpose, and the money its payments moved."""

    code: str
    program: str
    amount_vnd: int = 0

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "detail": d.PLANTED[self.code]}


@dataclass
class Demo:
    """The demo's statements in submission order, its keys, and what was planted."""

    submissions: list[Submission]
    keys: dict[str, KeyPair]
    planted: list[Planted]
    planted_payments: set[str]
    later: later_years.LaterYears | None = None  # the years to December 2024, if written


def generate(seed: int, later: bool = True) -> Demo:
    """Every statement of the demo, signed, in the order they are submitted; with ``later``
    the years to December 2024 too (:mod:`api.demo.later`), else the first half-year only."""
    rng = random.Random(seed)
    keys = {name: KeyPair.from_seed(rng.randbytes(32)) for name in d.KEY_FILES}
    scribe = Scribe(rng, keys)
    commune = Commune(rng, scribe)
    plot = Irregularities(commune)
    commune.open()
    commune.register()
    commune.review()
    merit, social = commune.meritorious(), commune.social()
    commune.poverty()
    plot.monthly(merit, social)
    commune.fund_monthly()
    commune.pay_months()
    commune.tet(merit + social)
    plot.second_gift(merit)
    commune.child_cards()
    plot.fire()
    commune.natural_deaths()
    years = later_years.run(commune) if later else None
    return Demo(scribe.sign_all(), keys, plot.planted, plot.payments, years)


def submit_all(
    demo: Demo,
    submit_batch: Submitter,
    progress: Callable[[int, int], None] | None = None,
    batch: int = BATCH,
) -> int:
    """Record the demo's statements in order, ``batch`` at a time; returns how many."""
    subs = demo.submissions
    for start in range(0, len(subs), batch):
        chunk = subs[start : start + batch]
        answers = submit_batch(chunk)
        assert len(answers) == len(chunk), "a submitter must answer for every statement"
        if progress is not None:
            progress(min(start + batch, len(subs)), len(subs))
    return len(subs)


class Irregularities:
    """What goes wrong in Chiềng En: each planted once, each for the reconciliation to find."""

    def __init__(self, commune: Commune) -> None:
        self.c = commune
        self.s = commune.s
        self.planted: list[Planted] = []
        self.payments: set[str] = set()

    def pay(self, code: str, g: Grant, month: str | None, day: str, **kw: Any) -> None:
        """A planted payment: counted apart from the regular ones in the summary."""
        self.payments.add(self.c.pay(g, month, day, **kw))
        amount = kw.get("amount", g.amount)
        for p in self.planted:
            if p.code == code:
                p.amount_vnd += amount
                return
        self.planted.append(Planted(code, g.program, amount))

    def monthly(self, merit: list[Grant], social: list[Grant]) -> None:
        """Allowances paid wrongly; the regular month a planted payment replaces is taken out."""
        c = self.c
        dead = merit[0]  # paid January-March as he should be, see Commune.meritorious
        assert dead.person is not None
        dead.person.died_on = "2022-03-14"
        self.s.add(
            "2022-06-08",
            "registrar",
            "person.died",
            person_id=dead.person.person_id,
            date=dead.person.died_on,
        )
        for month in ("2022-04", "2022-05"):
            self.pay("PAID_AFTER_DEATH", dead, month, f"{month}-11", recipient=dead.home.head)
        twice = c.rng.choice([g for g in merit[1:] if g.program == "NCC-LS"])
        other = "cashier-2" if c.cashier(twice.home) == "cashier-1" else "cashier-1"
        self.pay("DUPLICATE_PAYMENT", twice, "2022-02", "2022-02-18", who=other)

        elders = [g for g in social if g.level is not None and g.level.halves == 2]
        proxied, signed, unpaid = elders[:2], elders[2], elders[3]
        for g in proxied:  # bedridden: a neighbour collects, with a written authorisation
            g.recipient, g.receipt = c.neighbour(g.home), "proxy"
        signed.paid.remove("2022-04")
        self.pay(
            "RECIPIENT_NOT_ELIGIBLE",
            signed,
            "2022-04",
            "2022-04-12",
            recipient=c.neighbour(signed.home),
        )
        unpaid.paid.remove("2022-06")
        self.planted.append(Planted("UNPAID_ENTITLEMENT", "BTXH"))
        over = next(
            g
            for g in social
            if g.level is not None and g.level.halves == 3 and g.recipient is g.person
        )
        over.paid.remove("2022-03")
        self.pay("OVERPAYMENT", over, "2022-03", "2022-03-11", amount=d.SOCIAL_BASE_VND * 5 // 2)
        newcomer = next(m for m in c.pool if m.birth_year == 1942 and m.person_id not in c.taken)
        c.taken.add(newcomer.person_id)
        basis = "Người từ đủ 80 tuổi không có lương hưu (hệ số 1,0)"
        pending = c.benefit("BTXH", d.SOCIAL_BASE_VND, basis, newcomer, "2022-05-20")
        self.pay("NO_APPROVED_BENEFIT", pending, "2022-06", "2022-06-13")

        escaped = next(h for h in c.homes if c.status.get(h.household_id) == "not_poor")
        basis = "Hộ nghèo năm 2021 (danh sách cũ)"
        ended = c.benefit("HN-DIEN", d.ELECTRICITY_VND, basis, escaped, "2022-01-06", "08/QĐ-UBND")
        ended.paid, ended.funded = [], d.MONTHS[:3]
        c.grants.append(ended)
        self.pay("HOUSEHOLD_NOT_ELIGIBLE", ended, "2022-01", "2022-01-12")
        reason = "Hộ đã thoát nghèo từ 01/01/2022 (Quyết định 312/QĐ-UBND)"
        self.s.add(
            "2022-02-08",
            "approver",
            "benefit.ended",
            benefit_id=ended.benefit_id,
            last_month="2022-01",
            reason=reason,
        )

    def second_gift(self, merit: list[Grant]) -> None:
        """The oldest on the meritorious list gets a second Tết gift from another list;
        the district sent money for one gift each, so the Tết fund is overdrawn."""
        oldest = min(merit[1:], key=lambda g: g.person.birth_year if g.person else 9999)
        assert oldest.person is not None
        basis = "Quà Tết Nhâm Dần 2022 (danh sách bảo trợ xã hội)"
        again = self.c.benefit(
            "TET-2022",
            d.TET_GIFT_VND,
            basis,
            oldest.person,
            "2022-01-10",
            "12/QĐ-UBND",
            "2022-01-12",
        )
        self.pay("OVERLAPPING_BENEFITS", again, None, "2022-01-25")
        self.planted.append(Planted("FUND_OVERDRAWN", "TET-2022"))

    def fire(self) -> None:
        """A house burns down in Bản Nà Lốc; the vice-chairman approves and pays the relief."""
        c = self.c
        home = next(
            h for h in c.homes if h.village_no == 2 and c.status.get(h.household_id) == "poor"
        )
        holder, holder_name, _ = d.OFFICERS["approver"]
        c.register_key("2022-03-22", d.APPROVER_AS_CASHIER, holder, holder_name, ["cashier"])
        basis = "Nhà ở bị cháy hoàn toàn ngày 21/03/2022 (Điều 15 Nghị định 20/2021/NĐ-CP)"
        relief = c.benefit(
            "CUU-TRO", d.RELIEF_VND, basis, home, "2022-03-22", "58/QĐ-UBND", "2022-03-22"
        )
        c.receive("2022-03-23", "CUU-TRO", d.RELIEF_VND, "UNC 21/03-2022")
        self.pay("SELF_APPROVED_PAYMENT", relief, None, "2022-03-23", who=d.APPROVER_AS_CASHIER)
