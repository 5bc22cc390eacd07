"""A commune's half-year of regular work, as the statements its officers sign.

:class:`Commune` registers Chiềng En's households and people, runs the 2022
poverty review, proposes and approves benefits, receives the district's
funds and pays month by month, all as an honest commune would; the planted
irregularities are :mod:`api.demo.story`'s. Statements are collected with
their business date by a :class:`~api.demo.scribe.Scribe`, which signs them.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from api.demo import data as d
from api.demo import statements as st
from api.demo.data import Home, Level, Member, People, populate
from api.demo.scribe import Scribe
from ledger.formats.vault import VaultRecord
from ledger.formats.versions import V1_1


@dataclass
class Grant:
    """A benefit, who collects it, and the months paid as they should be."""

    benefit_id: str
    program: str
    amount: int
    home: Home
    person: Member | None
    recipient: Member
    receipt: str = "signature"
    method: str = "cash"
    level: Level | None = None
    paid: list[str] = field(default_factory=lambda: list(d.MONTHS))
    funded: tuple[str, ...] = d.MONTHS  # the months the district sends money for


def day_after(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def millions_up(amount: int) -> int:
    return -(-amount // 1_000_000) * 1_000_000


class Commune:
    """Chiềng En from December 2021 to June 2022, as its officers record it."""

    def __init__(self, rng: random.Random, scribe: Scribe) -> None:
        self.rng = rng
        self.s = scribe
        self.people = People(rng, scribe.new_id)
        self.homes = populate(self.people)
        self.pool = [m for h in self.homes for m in h.members]
        rng.shuffle(self.pool)  # candidates for benefits, in a random order
        self.home_of = {m.person_id: h for h in self.homes for m in h.members}
        self.program_ids = {row.code: scribe.new_id() for row in d.PROGRAMS}
        self.status: dict[str, str] = {}  # approved status per household
        self.taken: set[str] = set()  # people holding a monthly allowance
        self.grants: list[Grant] = []  # monthly benefits

    # -- the ledger, its officers, households and people --------------------------------
    def open(self) -> None:
        a, n, day = self.s.keys["authority"], self.s.keys["notary"], "2021-11-30"
        # a new ledger is held to FORMATS 1.1 in every entry
        self.s.add(day, "authority", "ledger.opened", **st.ledger_opened(d.COMMUNE, a, n, V1_1))
        for name, (holder, holder_name, roles) in d.OFFICERS.items():
            self.register_key(day, name, holder, holder_name, roles)
        for row in d.PROGRAMS:
            program_id = self.program_ids[row.code]
            body = st.program_defined(program_id, row.code, row.name, row.category, row.kind)
            self.s.add(day, "authority", "program.defined", **body)

    def register_key(
        self, day: str, name: str, holder: str, holder_name: str, roles: list[str]
    ) -> None:
        body = st.key_registered(self.s.keys[name], holder, holder_name, roles)
        self.s.add(day, "authority", "key.registered", **body)

    def register(self) -> None:
        for home in self.homes:
            day = f"2021-12-{1 + home.village_no:02d}"
            body = st.household_registered(home.household_id, home.code, home.village)
            self.s.add(day, "registrar", "household.registered", **body)
            for member in home.members:
                self.register_person(day, member)

    def register_person(self, day: str, m: Member) -> None:
        vault = VaultRecord(m.person_id, m.salt, m.record)
        body = st.person_registered(
            m.person_id, m.household_id, m.relation, m.sex, m.birth_year, vault
        )
        self.s.add(day, "registrar", "person.registered", (vault,), **body)

    def review(self) -> None:
        """The 2022 review: survey, village meetings, the chairman's decision of 28/12/2021."""
        proposed = [h for h in self.homes if h.survey_status != "not_poor" or h.escaped]
        listed = [h for h in proposed if not h.escaped]
        rejected = {h.household_id for h in self.rng.sample(listed, 6)}
        for home in proposed:
            proposal_id, status = self.s.new_id(), home.survey_status
            what = "Thoát nghèo" if home.escaped else "Rà soát"
            basis = {
                "income_per_capita_month": home.income_vnd,
                "deprivation_count": home.deprivations,
                "note": f"{what} năm 2022, họp dân {home.village}",
            }
            body = st.status_proposed(proposal_id, home.household_id, status, "2022-01-01", basis)
            day = f"2021-12-{13 + home.village_no // 3:02d}"
            self.s.add(day, "registrar", "household.status.proposed", **body)
            if home.household_id in rejected:
                reason = self.rng.choice(d.REJECTION_REASONS)
                self.s.add(
                    "2021-12-28",
                    "approver",
                    "household.status.rejected",
                    proposal_id=proposal_id,
                    reason=reason,
                )
                continue
            self.status[home.household_id] = status
            approval = st.decision("312/QĐ-UBND", "2021-12-28")
            self.s.add(
                "2021-12-28",
                "approver",
                "household.status.approved",
                proposal_id=proposal_id,
                decision=approval,
            )

    # -- benefits ----------------------------------------------------------------------
    def benefit(
        self,
        program: str,
        amount: int,
        basis: str,
        holder: Member | Home,
        day: str,
        number: str | None = None,
        approved: str | None = None,
    ) -> Grant:
        """Proposed by the registrar on ``day``; with a decision number, approved (next day)."""
        benefit_id = self.s.new_id()
        if isinstance(holder, Home):
            home, person, recipient = holder, None, holder.head
            whom: st.Body = {"household_id": holder.household_id}
        else:
            home, person = self.home_of[holder.person_id], holder
            recipient = holder if holder.birth_year <= 2004 else home.head
            whom = {"person_id": holder.person_id}
        program_id = self.program_ids[program]
        body = st.benefit_proposed(benefit_id, program_id, whom, amount, day[:7], basis)
        self.s.add(day, "registrar", "benefit.proposed", **body)
        if number is not None:
            on = approved or day_after(day, 1)
            self.s.add(
                on, "approver", "benefit.approved", **st.benefit_approved(benefit_id, number, on)
            )
        return Grant(benefit_id, program, amount, home, person, recipient)

    def pick(self, level: Level, role: str | None = None) -> Member | None:
        """Someone of the right age (and sex, when there is a choice) with no allowance yet."""
        sex = "f" if self.rng.random() < level.female_share else "m"
        first, last = level.born
        for wanted in (sex, None):
            for m in self.pool:
                if (
                    first <= m.birth_year <= last
                    and m.person_id not in self.taken
                    and (wanted is None or m.sex == wanted)
                    and (role is None or m.role == role)
                ):
                    self.taken.add(m.person_id)
                    return m
        return None

    def grant(self, level: Level, person: Member, number: str) -> Grant:
        """A monthly allowance from January, proposed 04/01 and approved 05/01/2022."""
        g = self.benefit(level.program, level.amount, level.basis, person, "2022-01-04", number)
        g.level = level
        if person.birth_year < 1950 and self.rng.random() < 0.5:
            g.receipt = "thumbprint"
        if level.program.startswith("NCC") and self.rng.random() < 0.12:
            g.method = "post"
        self.grants.append(g)
        return g

    def meritorious(self) -> list[Grant]:
        """Enough meritorious people that the regular payments pass 3 billion đồng.

        The first is a war invalid living in his child's household who dies in
        March: his regular months are January to March.
        """
        levels = d.MERITORIOUS_LEVELS
        elder = next(
            m
            for m in self.pool
            if m.role == "parent" and m.sex == "m" and 1935 <= m.birth_year <= 1958
        )
        self.taken.add(elder.person_id)
        grants = [self.grant(levels[2], elder, "05/QĐ-UBND")]
        grants[0].paid = list(d.MONTHS[:3])
        total = 3 * grants[0].amount
        for _ in range(5000):
            if total >= d.MERITORIOUS_TARGET_VND:
                return grants
            level = self.rng.choices(levels, weights=[lv.weight for lv in levels])[0]
            person = self.pick(level)
            if person is not None:
                grants.append(self.grant(level, person, "05/QĐ-UBND"))
                total += 6 * level.amount
        raise AssertionError("not enough people for the meritorious list")

    def social(self) -> list[Grant]:
        grants = []
        for level in d.SOCIAL_LEVELS:
            role = "grandchild" if "mồ côi" in level.basis else None
            for _ in range(level.weight):
                person = self.pick(level, role)
                if person is not None:
                    grants.append(self.grant(level, person, "06/QĐ-UBND"))
        return grants

    def poverty(self) -> None:
        """Electricity support for every household on the approved poor list."""
        basis = "Hộ nghèo theo Quyết định 312/QĐ-UBND"
        for home in self.homes:
            if self.status.get(home.household_id) == "poor":
                g = self.benefit(
                    "HN-DIEN", d.ELECTRICITY_VND, basis, home, "2022-01-06", "08/QĐ-UBND"
                )
                self.grants.append(g)

    # -- money ---------------------------------------------------------------------------
    def pay(self, g: Grant, month: str | None, day: str, who: str | None = None, **kw: Any) -> str:
        """A payment of ``g``; ``amount``, ``recipient``, ``receipt`` may differ from its own."""
        payment_id = self.s.new_id()
        recipient: Member = kw.get("recipient", g.recipient)
        receipt = (kw.get("receipt", g.receipt), self.s.evidence())
        amount = kw.get("amount", g.amount)
        body = st.payment_recorded(
            payment_id, g.benefit_id, amount, recipient.person_id, receipt, day, month, g.method
        )
        self.s.add(day, who or self.cashier(g.home), "payment.recorded", **body)
        return payment_id

    @staticmethod
    def cashier(home: Home) -> str:
        return "cashier-1" if home.village_no < 6 else "cashier-2"

    def receive(self, day: str, program: str, amount: int, reference: str) -> None:
        program_id = self.program_ids[program]
        body = st.fund_received(self.s.new_id(), program_id, amount, day, d.DISTRICT, reference)
        self.s.add(day, "cashier-1", "fund.received", **body)

    def fund_monthly(self) -> None:
        """Each quarter the district sends what the lists need, plus 2 %, in millions."""
        for quarter, day in ((d.MONTHS[:3], "2022-01-07"), (d.MONTHS[3:], "2022-04-05")):
            need: Counter[str] = Counter()
            for g in self.grants:
                need[g.program] += g.amount * sum(m in g.funded for m in quarter)
            for n, (program, amount) in enumerate(sorted(need.items()), start=1):
                reference = f"UNC {n:02d}/{day[5:7]}-2022"
                self.receive(day, program, millions_up(amount * 51 // 50), reference)

    def pay_months(self) -> None:
        """January to June, each village on its day between the 10th and the 13th."""
        for month in d.MONTHS:
            for g in self.grants:
                if month in g.paid:
                    self.pay(g, month, f"{month}-{10 + g.home.village_no % 4:02d}")

    def neighbour(self, home: Home) -> Member:
        """The head of another household of the same village."""
        others = [h for h in self.homes if h.village_no == home.village_no and h is not home]
        return self.rng.choice(others).head

    # -- one-off and in-kind benefits ----------------------------------------------------
    def tet(self, people: list[Grant]) -> None:
        """One Tết gift per person on the lists, paid before Tết (01/02/2022)."""
        gifts = []
        for g in people:
            assert g.person is not None and g.level is not None
            amount = d.TET_GIFT_HIGH_VND if g.level.high_gift else d.TET_GIFT_VND
            gift = self.benefit(
                "TET-2022",
                amount,
                "Quà Tết Nhâm Dần 2022",
                g.person,
                "2022-01-10",
                "12/QĐ-UBND",
                "2022-01-12",
            )
            gift.recipient, gift.receipt = g.recipient, g.receipt
            gifts.append(gift)
        self.receive("2022-01-14", "TET-2022", sum(g.amount for g in gifts), "UNC 09/01-2022")
        for gift in gifts:
            self.pay(gift, None, f"2022-01-{20 + gift.home.village_no % 5}")

    def child_cards(self) -> None:
        """52 health-insurance cards: children born in 2021, then newborns as they come."""
        value = d.CHILD_CARDS * d.CHILD_CARD_VND
        self.receive("2022-01-07", "BHYT-TE", millions_up(value), "UNC 08/01-2022")
        earlier = [m for m in self.pool if m.birth_year == 2021][:30]
        for m in earlier:
            self.card(m, "2022-01-17", "15/QĐ-UBND", "2022-01-25")
        young = [h for h in self.homes if 1985 <= h.head.birth_year <= 1998 and len(h.members) > 1]
        for n, home in enumerate(self.rng.sample(young, d.CHILD_CARDS - len(earlier))):
            born = date(2022, 1, 1) + timedelta(days=self.rng.randrange(150))
            father = next((m for m in home.members[:2] if m.sex == "m"), home.head)
            family = father.record["full_name"].split()[0]
            sex = self.rng.choice("fm")
            child = self.people.member(home.household_id, "child", sex, 2022, family, born)
            home.members.append(child)
            self.home_of[child.person_id] = home
            registered = day_after(born.isoformat(), self.rng.randint(7, 14))
            self.register_person(registered, child)
            self.card(child, registered, f"{40 + n}/QĐ-UBND", day_after(registered, 8))

    def card(self, child: Member, day: str, number: str, handed: str) -> None:
        card = self.benefit("BHYT-TE", d.CHILD_CARD_VND, "Trẻ em dưới 6 tuổi", child, day, number)
        self.pay(card, None, handed)

    def natural_deaths(self) -> None:
        """Three elderly people die; none of them holds or collects a benefit."""
        busy = {g.recipient.person_id for g in self.grants} | self.taken
        old = [
            m
            for m in self.pool
            if m.role in ("parent", "spouse") and m.birth_year <= 1945 and m.person_id not in busy
        ]
        for m in old[:3]:
            m.died_on = (date(2022, 2, 1) + timedelta(days=self.rng.randrange(110))).isoformat()
            reported = day_after(m.died_on, self.rng.randint(3, 10))
            self.s.add(reported, "registrar", "person.died", person_id=m.person_id, date=m.died_on)
