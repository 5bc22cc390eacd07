"""Examples of the answers of the HTTP API, shown in the OpenAPI at ``/docs``."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

ROOT = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
META: dict[str, Any] = {
    "ledger": {"id": "ansinh.vn/son-la/song-ma/chieng-en", "name": "UBND xã Chiềng En"},
    "as_of": {"entries": 7, "recorded_at": "2022-01-10T02:00:00.000000Z"},
    "checkpoint": {"tree_size": 7, "root": ROOT, "signed": True},
    "projection": {"position": 7, "log_size": 7, "behind": 0},
}
HID = "5b0c6a53-2f1e-4c5e-9a51-3f4f0d7e1a01"
PID = "9e3f4c1a-7b2d-4e8f-a1c3-5d6e7f8a9b02"
BID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03"
PROG = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e104"


def read(fields: dict[str, Any]) -> ConfigDict:
    """A read's example answer: ``fields`` and what every read was computed from."""
    return ConfigDict(json_schema_extra={"example": {**META, **fields}})


HOUSEHOLDS: dict[str, Any] = {
    "on": "2022-01-31",
    "disclosed": [],
    "households": [
        {
            "household_id": HID,
            "code": "CE-0001",
            "village": "Bản Huổi",
            "status": "poor",
            "registered_index": 5,
            "members": [{"person_id": PID, "relation": "head"}],
        }
    ],
}

BENEFICIARIES: dict[str, Any] = {
    "on": "2022-01-31",
    "households": [
        {
            "village": "Bản Huổi",
            "household_code": "CE-0001",
            "household_id": HID,
            "status": "poor",
            "effective": "2022-01-01",
            "head_name": "Lò Thị Xuân",
        }
    ],
    "beneficiaries": [
        {
            "program_id": PROG,
            "program_code": "NCC-TB",
            "program_name": "Trợ cấp thương binh",
            "category": "meritorious",
            "village": "Bản Huổi",
            "household_code": "CE-0001",
            "benefit_id": BID,
            "amount": 1_624_000,
            "start": "2022-01",
            "end": None,
            "full_name": "Lò Thị Xuân",
        }
    ],
}

PAYROLL: dict[str, Any] = {
    "month": "2022-01",
    "on": "2022-01-31",
    "masked": True,
    "rows": [
        {
            "program_id": PROG,
            "program_code": "NCC-TB",
            "program_name": "Trợ cấp thương binh",
            "village": "Bản Huổi",
            "household_code": "CE-0001",
            "benefit_id": BID,
            "due": 1_624_000,
            "paid": 1_624_000,
            "status": "paid",
            "payment_ids": ["7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c05"],
            "paid_on": ["2022-01-10"],
            "paid_by": ["staff-cashier"],
        }
    ],
    "holders": {"staff-cashier": "Cán bộ tài chính"},
    "totals": {"due": 1_624_000, "paid": 1_624_000, "unpaid": 0, "rows": 1},
}

RECONCILIATION: dict[str, Any] = {
    "period": {"from": "2022-01", "to": "2022-06", "on": "2022-06-30"},
    "identities_checked": False,
    "masked": False,
    "programs": [],
    "totals": {"entitled": 0, "paid": 0, "unpaid": 0, "overpaid": 0},
    "funds": [],
    "anomalies": [
        {
            "code": "PAID_AFTER_DEATH",
            "detail": "beneficiary died in 2022-02; paid for 2022-03",
            "benefit_id": BID,
            "person_id": PID,
            "month": "2022-03",
            "finding_id": "f570d51e5665",
            "detail_vi": "Chi cho tháng 03/2022 sau khi đối tượng mất (02/2022)",
            "household_code": "CE-0001",
            "village": "Bản Huổi",
            "person_code": "CE-0001/1",
            "program_code": "NCC-TB",
            "program_name": "Trợ cấp hằng tháng thương binh",
            "months": ["2022-03"],
            "expected": 0,
            "paid": 1624000,
            "difference": 1624000,
            "evidence": [7, 8, 12, 15],
        }
    ],
}

VAULT: dict[str, Any] = {
    "person_id": PID,
    "household_id": HID,
    "commitment": "3f" * 32,
    "salt": ROOT,
    "record": {"full_name": "Lò Thị Xuân", "national_id": "000000000001"},
}

HISTORY: dict[str, Any] = {
    "entity_id": HID,
    "entries": [
        {
            "index": 5,
            "recorded_at": "2022-01-03T01:00:00.000000Z",
            "type": "household.registered",
            "by": "staff-registrar",
            "body": {"household_id": HID, "code": "CE-0001", "village": "Bản Huổi"},
        }
    ],
}

CHALLENGE: dict[str, Any] = {
    "challenge": "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=",
    "expires_at": "2022-01-10T02:02:00Z",
    "message": "ansinh signin v1\nansinh.vn/son-la/song-ma/chieng-en\n"
    "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=\n",
}
