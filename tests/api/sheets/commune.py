"""A commune whose January payroll fills a printed sheet: two villages, two programs.

Bản Huổi's households each hold a war invalid's allowance (thương binh) for
their head; the first half were paid in January, one of them to a son. Bản
Mé's hold monthly social allowances, the last one a household benefit (its
head signs). Names are generated, and live in the vault only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from api.demo.names import full_name
from ledger.domain.acceptance import Submission
from ledger.formats.vault import VaultRecord
from tests.conftest import Story, new_id
from tests.projections.verbs import fund

HUOI, ME = "Bản Huổi", "Bản Mé"
MONTH = "2022-01"
INVALID_VND = 1_624_000
SOCIAL_VND = 540_000


@dataclass
class Sheetland:
    invalids: str  # program ids
    social: str
    invalids_code: str
    names: dict[str, str] = field(default_factory=dict)  # person id -> full name
    national_ids: dict[str, str] = field(default_factory=dict)  # person id -> CCCD
    benefits: dict[str, str] = field(default_factory=dict)  # benefit id -> village
    heads: dict[str, str] = field(default_factory=dict)  # benefit id -> the head's person id
    paid: dict[str, str] = field(default_factory=dict)  # benefit id -> recipient's person id


def _program(story: Story, code: str, name: str, category: str) -> str:
    pid = new_id()
    body = {"program_id": pid, "code": code, "name": name, "category": category}
    story.submit(story.o.sub("authority", "program.defined", body | {"kind": "monthly"}))
    fund(story, pid, amount=500_000_000)
    return pid


def _person(story: Story, land: Sheetland, rng: random.Random, hid: str, relation: str) -> Any:
    pid = new_id()
    name = full_name(rng, "m" if relation == "member" else "f", 1950)
    land.names[pid] = name
    land.national_ids[pid] = f"0141{rng.randrange(10**8):08d}"
    record = VaultRecord.new(pid, {"full_name": name, "national_id": land.national_ids[pid]})
    body = {"person_id": pid, "household_id": hid, "relation": relation}
    body |= {"sex": "f", "birth_year": 1950, "pii": record.commitment}
    return pid, story.o.sub("registrar", "person.registered", body, vault=(record,))


def make_sheetland(story: Story, huoi: int = 4, me: int = 3, seed: int = 13) -> Sheetland:
    """``huoi`` beneficiaries in Bản Huổi, ``me`` in Bản Mé (the last a household benefit)."""
    rng = random.Random(seed)
    land = Sheetland(
        _program(story, "TB", "Trợ cấp thương binh", "meritorious"),
        _program(story, "BTXH", "Trợ cấp xã hội hằng tháng", "social_protection"),
        "TB",
    )
    for village, count, program, amount in (
        (HUOI, huoi, land.invalids, INVALID_VND),
        (ME, me, land.social, SOCIAL_VND),
    ):
        subs: list[Submission] = []
        for n in range(count):
            hid = new_id()
            body = {
                "household_id": hid,
                "code": f"{village[4:6].upper()}-{n + 1:03d}",
                "village": village,
            }
            subs.append(story.o.sub("registrar", "household.registered", body))
            head, sub = _person(story, land, rng, hid, "head")
            son, son_sub = _person(story, land, rng, hid, "member")
            subs += [sub, son_sub]
            bid = new_id()
            whom = (
                {"household_id": hid} if village == ME and n == count - 1 else {"person_id": head}
            )
            proposal = {"benefit_id": bid, "program_id": program, "amount": amount + 1000 * n}
            proposal |= whom | {"start": MONTH, "basis": "Quyết định của UBND huyện"}
            decision = {"number": "15/QĐ-UBND", "date": "2022-01-06"}
            subs.append(story.o.sub("registrar", "benefit.proposed", proposal))
            subs.append(
                story.o.sub(
                    "approver", "benefit.approved", {"benefit_id": bid, "decision": decision}
                )
            )
            land.benefits[bid], land.heads[bid] = village, head
            if village == HUOI and n < (count + 1) // 2:
                recipient = son if n == 0 else head
                payment = story.payment_body(bid, recipient, month=MONTH, amount=amount + 1000 * n)
                subs.append(story.o.sub("cashier", "payment.recorded", payment))
                land.paid[bid] = recipient
        story.app.submit_batch(subs)
    return land
