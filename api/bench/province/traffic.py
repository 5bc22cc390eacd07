"""A commune's traffic, month by month: the statements its officers sign, as JSON lines.

A commune brings its register in once (``opening``: the ledger opened, the
officers' keys, the programs, and each beneficiary's household, person,
benefit proposed and approved), then every month a trickle of work during
the month (funds received, new households with their benefit, poverty
status decisions) and at month-end the payroll: one payment per active
benefit. About 2,200 entries a commune-month at ``scale`` 1, 30,000 a year.

Statements are signed here, before anything is timed: a batch is the JSON
lines text an officer's import sends, read by the ledger as the server
reads a request's body.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from api.demo import statements as st
from ledger.formats.dsse import make_statement
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultRecord
from ledger.formats.versions import ACCEPTING

COMMUNE = "UBND xã Mô Phỏng"
YEAR = 2022
TRICKLE_BATCH = 25  # a day's work at the commune office
AMOUNTS = {"meritorious": 1_624_000, "social_protection": 540_000}


def month_name(month: int) -> str:
    """``2022-01`` for month 1; months past 12 run on into the next years."""
    return f"{YEAR + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"


@dataclass
class Beneficiary:
    benefit_id: str
    person_id: str
    amount: int


@dataclass
class Month:
    """One commune-month's batches: during the month, and the month-end payroll."""

    trickle: list[str] = field(default_factory=list)
    payroll: list[str] = field(default_factory=list)
    entries: int = 0


class CommuneTraffic(st.SampleCommune):
    """Commune number ``index`` of the bench province, its keys and register from seeds."""

    def __init__(self, origin: str, index: int, scale: float, batch_size: int) -> None:
        super().__init__(origin, seed=index + 1, funded=())
        self.officers.keys = self.keys = {
            name: KeyPair.from_seed(hashlib.sha256(f"{origin}/{name}".encode()).digest())
            for name in self.NAMES
        }
        self.scale, self.batch_size = scale, batch_size
        self.active: list[Beneficiary] = []
        self.households: list[str] = []
        self.programs: dict[str, str] = {}
        self.decisions = 0
        # A few hundred to a couple of thousand beneficiaries, as communes differ.
        self.register = max(2, round(self.rng.randint(1_200, 2_400) * scale))

    def line(self, who: str, type_: str, body: st.Body, vault: tuple[VaultRecord, ...] = ()) -> str:
        """One signed statement as a line of JSON (with its vault records, if any)."""
        key = self.keys[who]
        envelope = st.sign(make_statement(self.officers.ledger_id, type_, body, key.key_id), key)
        if vault:
            return json.dumps({"envelope": envelope, "vault": [v.to_json() for v in vault]})
        return json.dumps(envelope)

    def opening(self) -> list[str]:
        """The ledger opened, its officers and programs, and the register brought in."""
        opened = st.ledger_opened(COMMUNE, self.keys["authority"], self.keys["notary"], ACCEPTING)
        lines = [self.line("authority", "ledger.opened", opened)]
        for who in ("registrar", "approver", "cashier"):
            body = st.key_registered(self.keys[who], f"staff-{who}", f"Cán bộ {who}", [who])
            lines.append(self.line("authority", "key.registered", body))
        for category in AMOUNTS:
            pid = self.programs[category] = self.new_id()
            body = st.program_defined(pid, category[:6].upper(), category, category, "monthly")
            lines.append(self.line("authority", "program.defined", body))
        for _ in range(self.register):
            lines.extend(self._newcomer(month_name(1)))
        return lines

    def month(self, month: int) -> Month:
        """Month ``month`` (1 = January 2022): the trickle, then the payroll, in batches."""
        name = month_name(month)
        trickle = []
        for program in ("meritorious", "social_protection"):
            fund = st.fund_received(
                self.new_id(),
                self.programs[program],
                3_000_000_000,
                f"{name}-02",
                "Phòng LĐ-TB&XH",
                f"UNC-{name}",
            )
            trickle.append(self.line("cashier", "fund.received", fund))
        for _ in range(max(1, round(len(self.active) / 40))):
            trickle.extend(self._newcomer(name))
        for _ in range(max(1, round(len(self.households) / 20))):
            trickle.extend(self._status(name))
        payroll = [self._payment(b, name) for b in self.active]
        return Month(
            trickle=_batches(trickle, TRICKLE_BATCH),
            payroll=_batches(payroll, self.batch_size),
            entries=len(trickle) + len(payroll),
        )

    def _newcomer(self, month: str) -> list[str]:
        """A household, its head, and a monthly benefit for the head, approved."""
        hid = self.new_id()
        g = len(self.households)
        body = st.household_registered(hid, f"BP-{g:07d}", f"Bản {g % 12 + 1}")
        lines = [self.line("registrar", "household.registered", body)]
        self.households.append(hid)
        pid = self.new_id()
        record = {"full_name": f"Người {pid[:8]}", "national_id": pid[-12:]}
        vault = VaultRecord(pid, self.rng.randbytes(32), record)
        year = 1930 + g % 60
        body = st.person_registered(pid, hid, "head", "fm"[year % 2], year, vault)
        lines.append(self.line("registrar", "person.registered", body, (vault,)))
        category = "meritorious" if g % 3 == 0 else "social_protection"
        bid, amount = self.new_id(), AMOUNTS[category]
        body = st.benefit_proposed(
            bid, self.programs[category], {"person_id": pid}, amount, month, "Hồ sơ"
        )
        lines.append(self.line("registrar", "benefit.proposed", body))
        approved = st.benefit_approved(bid, self._number(), f"{month}-05")
        lines.append(self.line("approver", "benefit.approved", approved))
        self.active.append(Beneficiary(bid, pid, amount))
        return lines

    def _status(self, month: str) -> list[str]:
        """A household's poverty status proposed and approved."""
        hid = self.households[self.rng.randrange(len(self.households))]
        proposal = self.new_id()
        basis = {"income_per_capita_month": 1_200_000, "deprivation_count": 3}
        status = "poor" if self.rng.random() < 0.5 else "near_poor"
        body = st.status_proposed(proposal, hid, status, f"{month}-01", basis)
        approval = {"proposal_id": proposal, "decision": st.decision(self._number(), f"{month}-06")}
        return [
            self.line("registrar", "household.status.proposed", body),
            self.line("approver", "household.status.approved", approval),
        ]

    def _payment(self, b: Beneficiary, month: str) -> str:
        body = self.payment(b.benefit_id, b.person_id, b.amount, month, paid_on=f"{month}-25")
        return self.line("cashier", "payment.recorded", body)

    def _number(self) -> str:
        self.decisions += 1
        return f"{self.decisions}/QĐ-UBND"


def _batches(lines: list[str], size: int) -> list[str]:
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]
