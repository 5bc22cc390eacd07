"""Valid, unsigned statements of every type, their prerequisites recorded first.

``BUILDERS[type](story)`` records whatever the statement needs (a household
for a person, an approved benefit for a payment...) and returns a
:class:`Draft`; tests change a field or the signer, then sign and submit it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.domain.acceptance import Submission
from ledger.domain.catalog import CATALOG
from ledger.formats.vault import VaultRecord
from tests.conftest import Officers, Story, new_id

RECORD = {"full_name": "Lò Văn Minh", "national_id": "014090001234"}
DECISION = {"number": "15/QĐ-UBND", "date": "2022-01-06"}


@dataclass
class Draft:
    """A statement not yet signed; ``pii`` adds a vault record for body.person_id."""

    who: str
    type: str
    body: dict[str, Any]
    pii: bool = False

    def sub(self, o: Officers, who: str | None = None) -> Submission:
        body = copy.deepcopy(self.body)
        vault: tuple[VaultRecord, ...] = ()
        if self.pii:
            record = VaultRecord.new(body["person_id"], RECORD)
            body["pii"] = record.commitment
            vault = (record,)
        return o.sub(who or self.who, self.type, body, vault)


def proposal(s: Story, household_id: str | None = None, who: str = "registrar") -> str:
    proposal_id = new_id()
    body = {
        "proposal_id": proposal_id,
        "household_id": household_id or s.household(),
        "status": "poor",
        "effective": "2022-01-01",
        "basis": {"income_per_capita_month": 1_200_000, "deprivation_count": 2},
    }
    s.submit(s.o.sub(who, "household.status.proposed", body))
    return proposal_id


def payment(s: Story) -> str:
    _, pid, bid = s.beneficiary()
    body = s.payment_body(bid, pid)
    s.submit(s.o.sub("cashier", "payment.recorded", body))
    return str(body["payment_id"])


# One valid draft per type, its prerequisites already recorded ---------------------
def key_registered(s: Story) -> Draft:
    k = s.o.keys["registrar2"]
    body = {
        "key": {"id": k.key_id, "public_key": k.public_key_b64},
        "holder": {"id": "staff-registrar2", "name": "Cán bộ tư pháp"},
        "roles": ["registrar"],
    }
    return Draft("authority", "key.registered", body)


def _fund(kind: str) -> Callable[[Story], Draft]:
    def build(s: Story) -> Draft:
        id_field = "receipt_id" if kind == "fund.received" else "return_id"
        body = {
            id_field: new_id(),
            "program_id": s.program(),
            "amount": 500_000_000,
            "date": "2022-01-05",
            "reference": "UNC-001",
        }
        if kind == "fund.received":
            body["source"] = "Phòng LĐ-TB&XH huyện Sông Mã"
        return Draft("cashier", kind, body)

    return build


def benefit_proposed(s: Story) -> Draft:
    body = {
        "benefit_id": new_id(),
        "program_id": s.program(),
        "person_id": s.person(s.household()),
        "amount": 1_624_000,
        "start": "2022-01",
        "basis": "Thương binh 61%",
    }
    return Draft("registrar", "benefit.proposed", body)


def _benefit_decided(kind: str) -> Callable[[Story], Draft]:
    def build(s: Story) -> Draft:
        _, pid, _ = s.beneficiary()
        approved = kind == "benefit.ended"
        bid = s.benefit(s.program(), pid, approve=approved)
        extra: dict[str, Any] = {
            "benefit.approved": {"decision": DECISION},
            "benefit.rejected": {"reason": "Không đủ điều kiện"},
            "benefit.ended": {"last_month": "2022-06", "reason": "Chuyển đi nơi khác"},
        }[kind]
        return Draft("approver", kind, {"benefit_id": bid, **extra})

    return build


def _payment_recorded(s: Story) -> Draft:
    _, pid, bid = s.beneficiary()
    return Draft("cashier", "payment.recorded", s.payment_body(bid, pid))


def inspection(s: Story) -> Draft:
    size = s.app.size()
    body = {
        "tree_size": size,
        "root": "qhJa61LG8jvNeY+4yXJRBa97zlTzH99Be+MeqjsCsLY=",
        "scope": "Chi trả trợ cấp tháng 1/2022",
        "findings": "Không phát hiện sai sót",
        "report_sha256": "cd" * 32,
    }
    return Draft("inspector", "inspection.attested", body)


BUILDERS: dict[str, Callable[[Story], Draft]] = {
    "key.registered": key_registered,
    "key.revoked": lambda s: Draft(
        "authority", "key.revoked", {"key_id": s.o.keys["cashier"].key_id, "reason": "Nghỉ hưu"}
    ),
    "household.registered": lambda s: Draft(
        "registrar",
        "household.registered",
        {"household_id": new_id(), "code": "CE-BH-002", "village": "Bản Huổi"},
    ),
    "person.registered": lambda s: Draft(
        "registrar",
        "person.registered",
        {
            "person_id": new_id(),
            "household_id": s.household(),
            "relation": "member",
            "sex": "m",
            "birth_year": 1948,
        },
        pii=True,
    ),
    "person.pii.updated": lambda s: Draft(
        "registrar", "person.pii.updated", {"person_id": s.person(s.household())}, pii=True
    ),
    "person.moved": lambda s: Draft(
        "registrar",
        "person.moved",
        {"person_id": s.person(s.household()), "household_id": s.household("Bản Mé")},
    ),
    "person.died": lambda s: Draft(
        "registrar", "person.died", {"person_id": s.person(s.household()), "date": "2022-02-01"}
    ),
    "household.status.proposed": lambda s: Draft(
        "registrar",
        "household.status.proposed",
        {
            "proposal_id": new_id(),
            "household_id": s.household(),
            "status": "near_poor",
            "effective": "2022-01-01",
            "basis": {"note": "Rà soát cuối năm"},
        },
    ),
    "household.status.approved": lambda s: Draft(
        "approver", "household.status.approved", {"proposal_id": proposal(s), "decision": DECISION}
    ),
    "household.status.rejected": lambda s: Draft(
        "approver", "household.status.rejected", {"proposal_id": proposal(s), "reason": "Sai sót"}
    ),
    "program.defined": lambda s: Draft(
        "authority",
        "program.defined",
        {
            "program_id": new_id(),
            "code": "BHYT",
            "name": "Thẻ bảo hiểm y tế",
            "category": "health_insurance",
            "kind": "in_kind",
        },
    ),
    "fund.received": _fund("fund.received"),
    "fund.returned": _fund("fund.returned"),
    "benefit.proposed": benefit_proposed,
    "benefit.approved": _benefit_decided("benefit.approved"),
    "benefit.rejected": _benefit_decided("benefit.rejected"),
    "benefit.ended": _benefit_decided("benefit.ended"),
    "payment.recorded": _payment_recorded,
    "payment.reversed": lambda s: Draft(
        "cashier", "payment.reversed", {"payment_id": payment(s), "reason": "Chi nhầm người"}
    ),
    "inspection.attested": inspection,
}
assert set(BUILDERS) | {"ledger.opened"} == set(CATALOG)
