"""Valid, unsigned statements of every type, their prerequisites recorded first.

The bodies are :mod:`api.demo.statements`'; this is the tests' vocabulary over them.

``BUILDERS[type](story)`` records whatever the statement needs (a household
for a person, an approved benefit for a payment...) and returns a
:class:`Draft`; tests change a field or the signer, then sign and submit it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api.demo import statements as st
from ledger.domain.acceptance import Submission
from ledger.domain.catalog import CATALOG
from ledger.formats.vault import VaultRecord
from ledger.formats.versions import V1_2, V1_3, at_least
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
    basis = {"income_per_capita_month": 1_200_000, "deprivation_count": 2}
    body = st.status_proposed(
        proposal_id, household_id or s.household(), "poor", "2022-01-01", basis
    )
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
    body = st.key_registered(k, "staff-registrar2", "Cán bộ tư pháp", ["registrar"])
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
    whom = {"person_id": s.person(s.household())}
    body = st.benefit_proposed(new_id(), s.program(), whom, 1_624_000, "2022-01", "Thương binh 61%")
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


def adopted(s: Story) -> Draft:
    return Draft("authority", "ledger.formats.adopted", {"formats": V1_2})


def identity_reviewed(s: Story, outcome: str = "different_people") -> Draft:
    """A decision on two people of one household; the ledger adopts FORMATS 1.2 first."""
    if not at_least(s.app.charter().formats, V1_2):
        s.submit(adopted(s).sub(s.o))
    household = s.household()
    first, second = s.person(household), s.person(household)
    body = {
        "person_id": first,
        "other_person_id": second,
        "outcome": outcome,
        "basis": "Đối chiếu sổ hộ khẩu và căn cước",
        "decision": DECISION,
    }
    return Draft("approver", "identity.reviewed", body)


BUILDERS: dict[str, Callable[[Story], Draft]] = {
    "ledger.formats.adopted": adopted,
    "key.registered": key_registered,
    "key.revoked": lambda s: Draft(
        "authority", "key.revoked", {"key_id": s.o.keys["cashier"].key_id, "reason": "Nghỉ hưu"}
    ),
    "household.registered": lambda s: Draft(
        "registrar",
        "household.registered",
        st.household_registered(new_id(), "CE-BH-002", "Bản Huổi"),
    ),
    "person.registered": lambda s: Draft(
        "registrar",
        "person.registered",
        st.person_registered(new_id(), s.household(), "member", "m", 1948),
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
        st.status_proposed(
            new_id(), s.household(), "near_poor", "2022-01-01", {"note": "Rà soát cuối năm"}
        ),
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
        st.program_defined(new_id(), "BHYT", "Thẻ bảo hiểm y tế", "health_insurance", "in_kind"),
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
    "identity.reviewed": identity_reviewed,
    "inspection.attested": inspection,
}


def adopted_1_3(s: Story) -> None:
    """Have the ledger follow FORMATS 1.3 (section 11), adopting it if it does not yet."""
    if not at_least(s.app.charter().formats, V1_3):
        s.submit(Draft("authority", "ledger.formats.adopted", {"formats": V1_3}).sub(s.o))


def _procedure_builders() -> dict[str, Callable[[Story], Draft]]:
    from tests.support.steps import builders

    return builders()


BUILDERS.update(_procedure_builders())
assert set(BUILDERS) | {"ledger.opened"} == set(CATALOG)
