"""Valid statements of every type, and paths into them: what the schema tests start from."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ledger.errors import InvalidField
from ledger.formats.schemas import validate_statement
from tests.support.paths import SHARED_VECTORS

VECTORS = SHARED_VECTORS / "formats-v1.json"

LEDGER = "ansinh.vn/son-la/song-ma/chieng-en"
AUTHORITY_ID = "34750f98bd59fcfc946da45aaabe933be154a4b5094e1c4abf42866505f3c97e"
AUTHORITY_KEY = "iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w="
NOTARY_KEY = "gTl3Dqh9F19Wo1Rmw0x+zMuNipG07jeiXfYPW4/Js5Q="
REGISTRAR_ID = "b62e867fa2f33afe62d5d6b1642e1621d543307846b2a57b897e710919b76709"
REGISTRAR_KEY = "7UkoxijRwsbq6QM4kFmVYSlZJzpcY/k2NsFGFKyHN9E="
HOUSEHOLD = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c01"
PERSON = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c02"
PROGRAM = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c03"
BENEFIT = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c04"
PAYMENT = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c05"
RECEIPT = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c06"
PROPOSAL = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c07"
RETURN = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c08"
PII = "2e84680237745e6b3613acf126ce952dd7baa956fd951031e33926169fff0033"
EVIDENCE = "ab" * 32
DECISION = {"number": "15/QĐ-UBND", "date": "2022-01-06"}

# One valid body per statement type, with every optional field present.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "ledger.opened": {
        "name": "UBND xã Chiềng En",
        "authority_key": {"id": AUTHORITY_ID, "public_key": AUTHORITY_KEY},
        "notary_key": {"public_key": NOTARY_KEY},
        "currency": "VND",
        "timezone": "Asia/Ho_Chi_Minh",
    },
    "key.registered": {
        "key": {"id": REGISTRAR_ID, "public_key": REGISTRAR_KEY},
        "holder": {"id": "staff-registrar", "name": "Cán bộ registrar"},
        "roles": ["registrar", "approver"],
    },
    "key.revoked": {"key_id": REGISTRAR_ID, "reason": "Cán bộ chuyển công tác"},
    "household.registered": {
        "household_id": HOUSEHOLD,
        "code": "CE-BAN-HUOI-001",
        "village": "Bản Huổi",
    },
    "person.registered": {
        "person_id": PERSON,
        "household_id": HOUSEHOLD,
        "relation": "head",
        "sex": "m",
        "birth_year": 1948,
        "pii": PII,
    },
    "person.pii.updated": {"person_id": PERSON, "pii": PII},
    "person.moved": {"person_id": PERSON, "household_id": HOUSEHOLD},
    "person.died": {"person_id": PERSON, "date": "2023-04-02"},
    "household.status.proposed": {
        "proposal_id": PROPOSAL,
        "household_id": HOUSEHOLD,
        "status": "poor",
        "effective": "2022-01-01",
        "basis": {"income_per_capita_month": 1200000, "deprivation_count": 3, "note": "Rà soát"},
    },
    "household.status.approved": {"proposal_id": PROPOSAL, "decision": DECISION},
    "household.status.rejected": {"proposal_id": PROPOSAL, "reason": "Thu nhập vượt chuẩn"},
    "program.defined": {
        "program_id": PROGRAM,
        "code": "NCC-TB",
        "name": "Trợ cấp thương binh",
        "category": "meritorious",
        "kind": "monthly",
    },
    "fund.received": {
        "receipt_id": RECEIPT,
        "program_id": PROGRAM,
        "amount": 500000000,
        "date": "2022-01-05",
        "source": "Phòng LĐ-TB&XH huyện Sông Mã",
        "reference": "UNC-2022-001",
    },
    "fund.returned": {
        "return_id": RETURN,
        "program_id": PROGRAM,
        "amount": 2789000,
        "date": "2022-12-28",
        "reference": "UNC-2022-099",
    },
    "benefit.proposed": {
        "benefit_id": BENEFIT,
        "program_id": PROGRAM,
        "person_id": PERSON,
        "amount": 2789000,
        "start": "2022-01",
        "end": "2022-12",
        "basis": "Thương binh 61%",
    },
    "benefit.approved": {"benefit_id": BENEFIT, "decision": DECISION},
    "benefit.rejected": {"benefit_id": BENEFIT, "reason": "Không đủ điều kiện"},
    "benefit.ended": {"benefit_id": BENEFIT, "last_month": "2023-03", "reason": "Từ trần"},
    "payment.recorded": {
        "payment_id": PAYMENT,
        "benefit_id": BENEFIT,
        "month": "2022-01",
        "amount": 2789000,
        "paid_on": "2022-01-10",
        "method": "cash",
        "recipient": PERSON,
        "receipt": {"kind": "signature", "evidence": EVIDENCE},
    },
    "payment.reversed": {"payment_id": PAYMENT, "reason": "Chi trùng"},
    "ledger.formats.adopted": {"formats": "1.2"},
    "identity.reviewed": {
        "person_id": PERSON,
        "other_person_id": "0f1e2d3c-4b5a-4697-8877-665544332211",
        "outcome": "same_person",
        "basis": "Cùng số căn cước, đăng ký hai lần",
        "decision": DECISION,
    },
    # FORMATS 1.3 grievances and confirmations (docs/formats.md 11.5)
    "grievance.lodged": {
        "grievance_id": "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
        "subject": {"kind": "payment", "code": "7QX3M-0D9KA"},
        "channel": "in_person",
        "lodged_on": "2022-02-01",
        "due": "2022-03-03",
        "summary": "Chưa nhận tiền trợ cấp tháng 01/2022",
    },
    "grievance.assigned": {
        "grievance_id": "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
        "to": "staff-registrar",
        "due": "2022-03-18",
    },
    "grievance.answered": {
        "grievance_id": "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
        "answer": "Đã chi bổ sung ngày 05/02/2022",
        "answered_on": "2022-02-05",
    },
    "grievance.closed": {
        "grievance_id": "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
        "outcome": "resolved",
        "closed_on": "2022-02-06",
    },
    "receipt.confirmed": {
        "confirmation_id": "4b3c2d1e-0f9a-4b8c-9d7e-6f5a4b3c2d1e",
        "code": "7QX3M-0D9KA",
        "outcome": "received",
        "confirmed_on": "2022-01-12",
    },
    "inspection.attested": {
        "tree_size": 12,
        "root": "qhJa61LG8jvNeY+4yXJRBa97zlTzH99Be+MeqjsCsLY=",
        "scope": "Chi trả tháng 01/2022",
        "findings": "Không phát hiện sai sót",
        "report_sha256": EVIDENCE,
    },
}

# Poverty review rounds (FORMATS 1.3, docs/formats.md 11.4).
ROUND, ASSESSMENT = "a1000000-0000-4000-8000-000000000001", "a2000000-0000-4000-8000-000000000001"
VALID_BODIES |= {
    "review.opened": {
        "round_id": ROUND,
        "kind": "periodic",
        "from": "2024-09-01",
        "to": "2024-12-14",
        "plan": {"number": "112/KH-UBND", "date": "2024-08-20"},
    },
    "household.assessed": {
        "assessment_id": ASSESSMENT,
        "round_id": ROUND,
        "household_id": HOUSEHOLD,
        "request": "form_01",
        "area": "rural",
        "income_per_capita_month": 1_200_000,
        "deprivations": ["nutrition", "sanitation", "telecom_use"],
        "result": "poor",
    },
    "village.meeting.held": {
        "meeting_id": PERSON,
        "round_id": ROUND,
        "village": "Bản Huổi",
        "date": "2024-10-10",
        "chair": "Trưởng bản",
        "supervisor": "Mặt trận",
        "present": 40,
        "minutes_sha256": EVIDENCE,
    },
    "assessment.voted": {"assessment_id": ASSESSMENT, "meeting_id": PERSON, "agree": 31},
    "review.posted": {
        "posting_id": PERSON,
        "round_id": ROUND,
        "village": "Bản Huổi",
        "place": "Nhà văn hóa",
        "from": "2024-10-15",
        "to": "2024-10-21",
    },
    "objection.lodged": {
        "objection_id": PERSON,
        "assessment_id": ASSESSMENT,
        "lodged_on": "2024-10-16",
        "objector": PII,
        "summary": "Hộ có xe mới",
    },
    "objection.answered": {
        "objection_id": PERSON,
        "assessment_id": ASSESSMENT,
        "outcome": "dismissed",
        "answer": "Xe đi mượn",
        "answered_on": "2024-10-20",
    },
    "review.recognized": {
        "assessment_id": ASSESSMENT,
        "household_id": HOUSEHOLD,
        "result": "poor",
        "decision": DECISION,
    },
}

OPTIONAL_FIELDS = {
    ("household.status.proposed", "basis.income_per_capita_month"),
    ("household.status.proposed", "basis.deprivation_count"),
    ("household.status.proposed", "basis.note"),
    ("benefit.proposed", "end"),
    ("payment.recorded", "month"),
    ("inspection.attested", "report_sha256"),
    ("identity.reviewed", "decision"),
    ("grievance.assigned", "due"),
    ("grievance.lodged", "subject.code"),
    ("household.assessed", "deprivations"),
    ("objection.lodged", "objector"),
}
# Paying agents (FORMATS 1.3, docs/formats.md 11.3)
SENDING = "2b7e1516-28ae-4d2a-a6d2-15f7cf4f3c0a"
_LINE = {
    "sending_id": SENDING,
    "benefit_id": BENEFIT,
    "amount": 2789000,
    "outcome": "paid",
    "paid_on": "2022-01-08",
    "reason": "Chi tại nhà",
}
VALID_BODIES.update(
    {
        "payroll.sent": {
            "sending_id": SENDING,
            "agent": "buu-dien-song-ma",
            "month": "2022-01",
            "sent_on": "2021-12-20",
            "lines": 412,
            "total": 698_512_000,
            "list_sha256": EVIDENCE,
        },
        "payroll.settled": {**_LINE, "source": EVIDENCE},
        "payroll.settlement.recorded": {**_LINE, "source": EVIDENCE},
        "agent.refunded": {
            "refund_id": RETURN,
            "sending_id": SENDING,
            "amount": 2789000,
            "date": "2022-02-05",
            "reference": "GNT-0125",
        },
    }
)
OPTIONAL_FIELDS |= {
    (kind, field)
    for kind in ("payroll.settled", "payroll.settlement.recorded")
    for field in ("paid_on", "reason")
} | {("payroll.settled", "source")}
ONE_OF_FIELDS = {("benefit.proposed", "person_id"), ("benefit.proposed", "household_id")}

# FORMATS 1.3 allowance changes (docs/formats.md 11.2)
_CHANGE = "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d"
VALID_BODIES |= {
    "allowance.level.set": {
        "category": "social_protection",
        "effective": "2024-07",
        "amount": 500000,
        "legal_basis": "Nghị định 76/2024/NĐ-CP",
    },
    "benefit.change.proposed": {
        "change_id": _CHANGE,
        "benefit_id": BENEFIT,
        "kind": "rebase",
        "from": "2024-07",
        "coefficient": 150,
        "reason": "Điều chỉnh mức chuẩn trợ giúp xã hội",
    },
    "benefit.change.approved": {"change_id": _CHANGE, "benefit_id": BENEFIT, "decision": DECISION},
    "benefit.change.rejected": {"change_id": _CHANGE, "benefit_id": BENEFIT, "reason": "Sai hệ số"},
    "person.left": {"person_id": PERSON, "date": "2024-10-05", "to": "xã Mường Bú"},
}
OPTIONAL_FIELDS |= {("benefit.change.proposed", "coefficient")}


def make_statement(statement_type: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A valid statement of ``statement_type`` (or with the given body)."""
    return {
        "ledger": LEDGER,
        "type": statement_type,
        "by": AUTHORITY_ID,
        "at": "2022-01-03T01:00:00Z",
        "nonce": "00000000000000000000000000000001",
        "body": copy.deepcopy(VALID_BODIES[statement_type] if body is None else body),
    }


def leaf_paths(value: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every field of an object, nested objects included."""
    paths = []
    for key, inner in value.items():
        path = f"{prefix}{key}"
        paths.append(path)
        if isinstance(inner, dict):
            paths.extend(leaf_paths(inner, f"{path}."))
    return paths


def get_path(value: Any, path: str) -> Any:
    for name in path.split("."):
        value = value[name]
    return value


def set_path(statement: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    *parents, last = path.split(".")
    target = statement
    for name in parents:
        target = target[name]
    target[last] = value
    return statement


def delete_path(statement: dict[str, Any], path: str) -> dict[str, Any]:
    *parents, last = path.split(".")
    target = statement
    for name in parents:
        target = target[name]
    del target[last]
    return statement


def refusal(statement: object) -> InvalidField:
    with pytest.raises(InvalidField) as caught:
        validate_statement(statement)
    assert caught.value.code == "INVALID_FIELD"
    return caught.value


REQUIRED = [
    (t, p)
    for t, body in VALID_BODIES.items()
    for p in leaf_paths(body)
    if (t, p) not in OPTIONAL_FIELDS | ONE_OF_FIELDS
]
NESTED_OBJECTS = [
    (t, p)
    for t, body in VALID_BODIES.items()
    for p in leaf_paths(body)
    if isinstance(get_path(body, p), dict)
]
