"""Sample statements: their bodies, their signers, and a seeded commune that signs them.

One home for the statements the demo, the benches and the tests make up:

- a body per statement type (:func:`ledger_opened`, :func:`payment_recorded`...),
  each with the fields FORMATS asks for;
- :class:`Officers`, the commune's officers with keys from fixed seeds,
  signing statements for one ledger;
- :class:`SampleCommune`, an endless commune drawn from ``random.Random(seed)``:
  its opening, officers, programs and funds, then household after household
  with their people, benefits, half a year of payments, and now and then a
  status decision, a move, a death, a reversal.

The Chiềng En demo (:mod:`api.demo.story`) tells a longer story with the same
bodies; the statements it signs are dated by :class:`api.demo.scribe.Scribe`.
"""

from __future__ import annotations

import base64
import random
import uuid
from collections.abc import Generator, Iterable, Iterator
from typing import Any

import orjson

from ledger.domain.acceptance import Submission
from ledger.formats.dsse import PAYLOAD_TYPE, make_statement, open_envelope, pae, sign_statement
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultRecord

Body = dict[str, Any]
COMMUNE = "UBND xã Thử Nghiệm"
TIMEZONE = "Asia/Ho_Chi_Minh"
MONTHS = tuple(f"2022-{m:02d}" for m in range(1, 7))


# -- bodies, one per statement type ---------------------------------------------------------
def public_key(pair: KeyPair) -> Body:
    return {"id": pair.key_id, "public_key": pair.public_key_b64}


def ledger_opened(
    name: str, authority: KeyPair, notary: KeyPair, formats: str | None = None
) -> Body:
    """The opening: the commune, its authority's and notary's keys, and the FORMATS it keeps."""
    body: Body = {
        "name": name,
        "authority_key": public_key(authority),
        "notary_key": {"public_key": notary.public_key_b64},
        "currency": "VND",
        "timezone": TIMEZONE,
    }
    return body | ({"formats": formats} if formats is not None else {})


def key_registered(key: KeyPair, holder_id: str, holder_name: str, roles: list[str]) -> Body:
    return {
        "key": public_key(key),
        "holder": {"id": holder_id, "name": holder_name},
        "roles": roles,
    }


def household_registered(household_id: str, code: str, village: str) -> Body:
    return {"household_id": household_id, "code": code, "village": village}


def person_registered(
    person_id: str,
    household_id: str,
    relation: str,
    sex: str,
    birth_year: int,
    vault: VaultRecord | None = None,
) -> Body:
    """A person; with their vault record, the body commits to it (``pii``)."""
    body: Body = {"person_id": person_id, "household_id": household_id, "relation": relation}
    body |= {"sex": sex, "birth_year": birth_year}
    return body | ({"pii": vault.commitment} if vault is not None else {})


def program_defined(program_id: str, code: str, name: str, category: str, kind: str) -> Body:
    return {"program_id": program_id, "code": code, "name": name, "category": category} | {
        "kind": kind
    }


def fund_received(
    receipt_id: str, program_id: str, amount: int, day: str, source: str, reference: str
) -> Body:
    body: Body = {"receipt_id": receipt_id, "program_id": program_id, "amount": amount}
    return body | {"date": day, "source": source, "reference": reference}


def benefit_proposed(
    benefit_id: str, program_id: str, whom: Body, amount: int, start: str, basis: str
) -> Body:
    """``whom``: ``{"person_id": ...}`` or ``{"household_id": ...}``."""
    body: Body = {"benefit_id": benefit_id, "program_id": program_id, **whom}
    return body | {"amount": amount, "start": start, "basis": basis}


def decision(number: str, day: str) -> dict[str, str]:
    return {"number": number, "date": day}


def benefit_approved(benefit_id: str, number: str, day: str) -> Body:
    return {"benefit_id": benefit_id, "decision": decision(number, day)}


def payment_recorded(
    payment_id: str,
    benefit_id: str,
    amount: int,
    recipient: str,
    receipt: tuple[str, str],
    paid_on: str,
    month: str | None = None,
    method: str = "cash",
) -> Body:
    """A payment; ``receipt`` is (kind, evidence); one-off benefits name no ``month``."""
    body: Body = {"payment_id": payment_id, "benefit_id": benefit_id, "amount": amount}
    body |= {"paid_on": paid_on, "method": method, "recipient": recipient}
    body["receipt"] = {"kind": receipt[0], "evidence": receipt[1]}
    return body | ({"month": month} if month is not None else {})


def status_proposed(
    proposal_id: str, household_id: str, status: str, effective: str, basis: Body
) -> Body:
    body: Body = {"proposal_id": proposal_id, "household_id": household_id, "status": status}
    return body | {"effective": effective, "basis": basis}


# -- signing ------------------------------------------------------------------------------
def seeded_keys(names: Iterable[str], first: int) -> dict[str, KeyPair]:
    """Keys from fixed seeds: the n-th name's seed is 32 bytes of ``first + n``."""
    return {name: KeyPair.from_seed(bytes([first + n]) * 32) for n, name in enumerate(names)}


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


class Officers:
    """A commune's officers, each with a key, signing statements for one ledger."""

    def __init__(self, ledger_id: str, keys: dict[str, KeyPair], commune: str = COMMUNE) -> None:
        self.ledger_id = ledger_id
        self.keys = keys
        self.commune = commune

    def envelope(self, who: str, type_: str, body: Body, **kw: Any) -> dict[str, Any]:
        """``who``'s envelope of a new statement; ``kw``: its ``at`` and ``nonce``."""
        key = self.keys[who]
        return sign_statement(make_statement(self.ledger_id, type_, body, key.key_id, **kw), key)

    def sub(
        self, who: str, type_: str, body: Body, vault: tuple[VaultRecord, ...] = (), **kw: Any
    ) -> Submission:
        return Submission(open_envelope(self.envelope(who, type_, body, **kw)), vault)

    def opened(self, formats: str | None = None) -> Submission:
        """The opening, signed by the authority, naming the notary (and the FORMATS kept)."""
        body = ledger_opened(self.commune, self.keys["authority"], self.keys["notary"], formats)
        return self.sub("authority", "ledger.opened", body)

    def registration(
        self, name: str, roles: list[str], holder_id: str, holder_name: str
    ) -> Submission:
        """The authority registers officer ``name``'s key with its roles."""
        body = key_registered(self.keys[name], holder_id, holder_name, roles)
        return self.sub("authority", "key.registered", body)


# -- a seeded commune -----------------------------------------------------------------------
class SampleCommune:
    """Officers with fixed keys, and the statements of a commune's half year, from a seed."""

    NAMES = ("authority", "notary", "registrar", "approver", "cashier")

    def __init__(
        self, ledger_id: str, seed: int = 1, first_key: int = 31, funded: tuple[str, ...] = MONTHS
    ) -> None:
        self.rng = random.Random(seed)
        self.funded = funded  # the months each program receives funds for
        self.officers = Officers(ledger_id, seeded_keys(self.NAMES, first_key))
        self.keys = self.officers.keys

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def evidence(self) -> str:
        """The SHA-256 (as hex) of a receipt: 32 bytes drawn from the seed."""
        return self.rng.randbytes(32).hex()

    def sub(
        self, who: str, type_: str, body: Body, vault: tuple[VaultRecord, ...] = ()
    ) -> Submission:
        return self.officers.sub(who, type_, body, vault)

    def payment(
        self, benefit_id: str, person: str, amount: int, month: str | None, **kw: Any
    ) -> Body:
        """A new payment's body, in cash on the 10th; ``kw``: another ``paid_on``, ``receipt``."""
        paid_on = kw.get("paid_on", f"{month or MONTHS[0]}-10")
        receipt = kw.get("receipt", ("thumbprint", self.evidence()))
        return payment_recorded(self.new_id(), benefit_id, amount, person, receipt, paid_on, month)

    def person(self, household_id: str, relation: str, year: int) -> tuple[str, Submission]:
        pid = self.new_id()
        record = {"full_name": f"Người {pid[:8]}", "national_id": pid[-12:]}
        vault = VaultRecord(pid, self.rng.randbytes(32), record)
        body = person_registered(pid, household_id, relation, "fm"[year % 2], year, vault)
        return pid, self.sub("registrar", "person.registered", body, (vault,))

    def setup(self) -> tuple[list[Submission], dict[str, str]]:
        """The opening, the officers' keys, three programs and their funds month by month."""
        subs = [self.officers.opened()]
        for who in ("registrar", "approver", "cashier"):
            subs.append(self.officers.registration(who, [who], f"staff-{who}", f"Cán bộ {who}"))
        programs = {}
        for category, kind in [
            ("meritorious", "monthly"),
            ("social_protection", "monthly"),
            ("tet_gift", "one_off"),
        ]:
            pid = programs[category] = self.new_id()
            body = program_defined(pid, category[:6].upper(), category, category, kind)
            subs.append(self.sub("authority", "program.defined", body))
            for month in self.funded:
                fund = fund_received(
                    self.new_id(),
                    pid,
                    3_000_000_000,
                    f"{month}-02",
                    "Phòng LĐ-TB&XH huyện",
                    f"UNC-{month}",
                )
                subs.append(self.sub("cashier", "fund.received", fund))
        return subs, programs

    def statements(self) -> Iterator[Submission]:
        """An endless commune: the setup, then one household after another."""
        subs, programs = self.setup()
        yield from subs
        previous = None
        for g in range(10**9):
            previous = yield from self._household(g, programs, previous)

    def _household(
        self, g: int, programs: dict[str, str], previous: str | None
    ) -> Generator[Submission, None, str]:
        """Household number ``g`` and its people, benefits and payments; returns its id."""
        hid = self.new_id()
        body = household_registered(hid, f"TN-{g:07d}", f"Bản {g % 12 + 1}")
        yield self.sub("registrar", "household.registered", body)
        head, sub = self.person(hid, "head", 1930 + g % 60)
        yield sub
        program = programs["meritorious" if g % 3 == 0 else "social_protection"]
        amount = 1_624_000 if g % 3 == 0 else 540_000
        bid, number = self.new_id(), f"{g}/QĐ-UBND"
        whom = {"person_id": head}
        body = benefit_proposed(bid, program, whom, amount, "2022-01", "Hồ sơ bench")
        yield self.sub("registrar", "benefit.proposed", body)
        yield self.sub("approver", "benefit.approved", benefit_approved(bid, number, "2022-01-05"))
        for month in MONTHS:
            payment = self.payment(bid, head, amount, month)
            yield self.sub("cashier", "payment.recorded", payment)
            if g % 17 == 0 and month == "2022-03":
                reversal = {"payment_id": payment["payment_id"], "reason": "Chi nhầm"}
                yield self.sub("cashier", "payment.reversed", reversal)
        if g % 10 == 0:
            proposal_id = self.new_id()
            basis = {"income_per_capita_month": 1_200_000, "deprivation_count": 3}
            body = status_proposed(proposal_id, hid, "poor", "2022-01-01", basis)
            yield self.sub("registrar", "household.status.proposed", body)
            approval = {"proposal_id": proposal_id, "decision": decision(number, "2022-01-05")}
            yield self.sub("approver", "household.status.approved", approval)
        if g % 7 == 0:
            yield from self._gift(g, hid, programs["tet_gift"], previous if g % 21 == 0 else None)
        if g % 13 == 0:
            record = {"full_name": f"Người {head[:8]}", "phone": "0912000000"}
            vault = VaultRecord(head, self.rng.randbytes(32), record)
            body = {"person_id": head, "pii": vault.commitment}
            yield self.sub("registrar", "person.pii.updated", body, (vault,))
        if g % 50 == 0:
            yield self.sub("registrar", "person.died", {"person_id": head, "date": "2022-04-20"})
        return hid

    def _gift(self, g: int, hid: str, program: str, move_to: str | None) -> Iterator[Submission]:
        """A young member of household ``g``, a Tết gift paid to them; moved if ``move_to``."""
        number = f"{g}/QĐ-UBND"
        member, sub = self.person(hid, "member", 2000 + g % 20)
        yield sub
        gift = self.new_id()
        body = benefit_proposed(gift, program, {"person_id": member}, 500_000, "2022-01", "Quà Tết")
        yield self.sub("registrar", "benefit.proposed", body)
        yield self.sub("approver", "benefit.approved", benefit_approved(gift, number, "2022-01-05"))
        yield self.sub("cashier", "payment.recorded", self.payment(gift, member, 500_000, None))
        if move_to is not None:
            yield self.sub(
                "registrar", "person.moved", {"person_id": member, "household_id": move_to}
            )
