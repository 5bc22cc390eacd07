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

import base64
import hashlib
import random
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from api.demo import data as d
from api.demo.commune import Commune, Grant
from ledger.domain.acceptance import Accepted, Submission
from ledger.formats.dsse import PAYLOAD_TYPE, make_statement, open_envelope, pae
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultRecord

Pending = tuple[str, int, str, str, dict[str, Any], tuple[VaultRecord, ...]]
BATCH = 1000  # statements a submitter records in one transaction
# Records a batch all or nothing: ``LedgerApplication.submit_batch`` in process,
# ``AnsinhClient.submit_batch`` for a ledger behind ``ansinh serve``.
Submitter = Callable[[Sequence[Submission]], Sequence[Accepted]]


class Scribe:
    """Collects statements with their business dates; signs them in date order."""

    def __init__(self, rng: random.Random, keys: dict[str, KeyPair]) -> None:
        self.rng = rng
        self.keys = keys
        self._pending: list[Pending] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def evidence(self) -> str:
        """The SHA-256 of a (generated) scan of the signed payroll page."""
        return hashlib.sha256(self.rng.randbytes(64)).hexdigest()

    def add(
        self, day: str, who: str, type_: str, vault: tuple[VaultRecord, ...] = (), **body: Any
    ) -> None:
        self._pending.append((day, len(self._pending), who, type_, body, vault))

    def sign_all(self) -> list[Submission]:
        """Every statement collected, signed, by date and then in the order added."""
        subs = []
        seconds: Counter[str] = Counter()
        for day, _, who, type_, body, vault in sorted(self._pending, key=lambda p: (p[0], p[1])):
            key = self.keys[who]
            n = seconds[day]
            seconds[day] += 1
            assert n < 16 * 3600, f"too many statements on {day} for one working day"
            at = f"{day}T{1 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z"
            nonce = f"{self.rng.getrandbits(128):032x}"
            statement = make_statement(d.LEDGER_ID, type_, body, key.key_id, at=at, nonce=nonce)
            subs.append(Submission(open_envelope(sign(statement, key)), vault))
        return subs


def sign(statement: dict[str, Any], key: KeyPair) -> dict[str, Any]:
    """The envelope :func:`ledger.formats.dsse.sign_statement` makes, byte for byte, faster.

    For statements of integers and strings orjson's sorted output is the
    RFC 8785 form, without the cost of the reference canonicaliser (half the
    demo's signing time); :func:`~ledger.formats.dsse.open_envelope` then checks the
    payload is canonical and the statement valid, as the ledger will.
    """
    payload = orjson.dumps(statement, option=orjson.OPT_SORT_KEYS)
    signature = key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": key.key_id, "sig": base64.b64encode(signature).decode()}],
    }


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


def generate(seed: int) -> Demo:
    """Every statement of the demo, signed, in the order they are submitted."""
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
    return Demo(scribe.sign_all(), keys, plot.planted, plot.payments)


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
