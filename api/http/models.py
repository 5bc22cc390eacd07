"""The JSON shapes of the read endpoints (``/v1/households`` ... ``/v1/entities``).

These document the answers in the OpenAPI at ``/docs`` and let schemathesis
check them. Every read names what it was computed from: ``as_of`` (entries of
the log, and when the last of them was recorded), ``checkpoint`` (the Merkle
root of the log at that size, and whether the notary signed a checkpoint of
exactly that size) and ``projection`` (how far the read models are behind the
log). Fields holding personal data are left out, not nulled, for callers
whose roles do not allow them (``disclosed`` lists those that are in); a
personal-data field that is there but ``null`` means the vault holds no
record (erased).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Vnd = Annotated[
    int | str,
    Field(
        description="đồng; a sum beyond 2^53 - 1 is a decimal string, so no reader rounds it"
        " (FORMATS 1.1)"
    ),
]
ROOT_EXAMPLE = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="


class LedgerRef(BaseModel):
    id: str = Field(description="the ledger id (log origin)")
    name: str


class AsOf(BaseModel):
    entries: int = Field(description="the first N entries of the log were read")
    recorded_at: str = Field(description="when the last of them was recorded (UTC)")


class CheckpointRef(BaseModel):
    tree_size: int
    root: str = Field(description="base64 Merkle root of the log at tree_size (RFC 9162)")
    signed: bool = Field(description="whether the notary signed a checkpoint of this size")


class ProjectionState(BaseModel):
    position: int = Field(description="entries the read models hold")
    log_size: int = Field(description="entries in the log")
    behind: int = Field(description="log_size - position")


class ReadMeta(BaseModel):
    """What every read was computed from."""

    ledger: LedgerRef
    as_of: AsOf
    checkpoint: CheckpointRef
    projection: ProjectionState


META_EXAMPLE: dict[str, Any] = {
    "ledger": {"id": "ansinh.vn/son-la/song-ma/chieng-en", "name": "UBND xã Chiềng En"},
    "as_of": {"entries": 7, "recorded_at": "2022-01-10T02:00:00.000000Z"},
    "checkpoint": {"tree_size": 7, "root": ROOT_EXAMPLE, "signed": True},
    "projection": {"position": 7, "log_size": 7, "behind": 0},
}
HID = "5b0c6a53-2f1e-4c5e-9a51-3f4f0d7e1a01"
PID = "9e3f4c1a-7b2d-4e8f-a1c3-5d6e7f8a9b02"
BID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e03"
PROG = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e104"


def _example(**fields: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"example": {**META_EXAMPLE, **fields}})


# -- the registry ---------------------------------------------------------------------
class Member(BaseModel):
    person_id: str
    relation: str = Field(description="head | member")
    sex: str | None = Field(default=None, description="f | m | x; only signed in")
    birth_year: int | None = Field(default=None, description="only signed in")
    died_on: str | None = Field(
        default=None, description="date of death, null if none recorded; only signed in"
    )
    full_name: str | None = Field(
        default=None, description="only for registrar, approver, cashier, inspector, admin"
    )
    national_id: str | None = Field(
        default=None, description="only for registrar, approver, inspector, admin"
    )


class RegisteredHousehold(BaseModel):
    household_id: str
    code: str
    village: str
    status: str | None = Field(
        description="approved status in force on `on`: poor | near_poor | "
        "not_poor, or null when none was ever approved"
    )
    registered_index: int = Field(description="the entry that registered the household")
    members: list[Member]


class HouseholdsOut(ReadMeta):
    on: str
    disclosed: list[str] = Field(description="the personal-data fields included, by role")
    households: list[RegisteredHousehold]

    model_config = _example(
        on="2022-01-31",
        disclosed=[],
        households=[
            {
                "household_id": HID,
                "code": "CE-0001",
                "village": "Bản Huổi",
                "status": "poor",
                "registered_index": 5,
                "members": [{"person_id": PID, "relation": "head"}],
            }
        ],
    )


# -- the approved lists ------------------------------------------------------------------
class ListedHousehold(BaseModel):
    village: str
    household_code: str
    household_id: str
    status: str = Field(description="poor | near_poor")
    effective: str = Field(description="the date the status took effect")
    head_name: str | None = Field(description="the head of household's name (vault)")


class Beneficiary(BaseModel):
    program_id: str
    program_code: str
    program_name: str
    category: str
    village: str
    household_code: str
    benefit_id: str
    amount: int = Field(description="đồng (per month for a monthly program)")
    start: str
    end: str | None
    full_name: str | None = Field(
        description="the beneficiary's name (a household benefit: its head's), from the vault"
    )


class BeneficiariesOut(ReadMeta):
    on: str
    households: list[ListedHousehold]
    beneficiaries: list[Beneficiary]

    model_config = _example(
        on="2022-01-31",
        households=[
            {
                "village": "Bản Huổi",
                "household_code": "CE-0001",
                "household_id": HID,
                "status": "poor",
                "effective": "2022-01-01",
                "head_name": "Lò Thị Xuân",
            }
        ],
        beneficiaries=[
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
    )


# -- the payroll --------------------------------------------------------------------------
class Recipient(BaseModel):
    person_id: str
    full_name: str | None


class PayrollRow(BaseModel):
    program_id: str
    program_code: str
    program_name: str
    village: str
    household_code: str
    benefit_id: str
    due: Vnd
    paid: Vnd
    status: str = Field(description="paid | unpaid | underpaid | overpaid | not_due")
    payment_ids: list[str]
    paid_on: list[str]
    paid_by: list[str] = Field(description="holder ids of the officers who recorded payments")
    person_id: str | None = Field(default=None, description="unmasked sheets only")
    name: str | None = Field(default=None, description="unmasked sheets only (vault)")
    recipients: list[Recipient] | None = Field(default=None, description="unmasked sheets only")


class PayrollTotals(BaseModel):
    due: Vnd
    paid: Vnd
    unpaid: Vnd
    rows: int


class PayrollOut(ReadMeta):
    month: str
    on: str
    masked: bool = Field(description="true: no names, person ids or recipients")
    rows: list[PayrollRow]
    holders: dict[str, str] = Field(description="officer holder id -> name")
    totals: PayrollTotals

    model_config = _example(
        month="2022-01",
        on="2022-01-31",
        masked=True,
        rows=[
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
        holders={"staff-cashier": "Cán bộ tài chính"},
        totals={"due": 1_624_000, "paid": 1_624_000, "unpaid": 0, "rows": 1},
    )


# -- reconciliation ---------------------------------------------------------------------
class Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)
    from_: str = Field(alias="from")
    to: str
    on: str | None


class ProgramMonth(BaseModel):
    program_id: str
    program_code: str
    program_name: str
    category: str
    kind: str
    month: str
    entitled: Vnd
    paid: Vnd
    unpaid: Vnd
    overpaid: Vnd
    entitled_count: int
    paid_count: int
    unpaid_count: int


class FundRow(BaseModel):
    program_id: str
    program_code: str
    program_name: str
    received: Vnd
    paid: Vnd
    returned: Vnd
    balance: Vnd


class Anomaly(BaseModel):
    code: str
    detail: str
    payment_id: str | None = None
    benefit_id: str | None = None
    person_id: str | None = None
    household_id: str | None = None
    month: str | None = None
    program_id: str | None = None


class ReconciliationTotals(BaseModel):
    entitled: Vnd
    paid: Vnd
    unpaid: Vnd
    overpaid: Vnd


class ReconciliationOut(ReadMeta):
    period: Period
    identities_checked: bool = Field(
        description="duplicate national ids looked for (signed in with a role that sees them)"
    )
    masked: bool = Field(
        description="true (anonymous): anomalies found by a death do not give its date"
    )
    programs: list[ProgramMonth]
    totals: ReconciliationTotals
    funds: list[FundRow]
    anomalies: list[Anomaly]

    model_config = _example(
        period={"from": "2022-01", "to": "2022-06", "on": "2022-06-30"},
        identities_checked=False,
        masked=False,
        programs=[],
        totals={"entitled": 0, "paid": 0, "unpaid": 0, "overpaid": 0},
        funds=[],
        anomalies=[
            {
                "code": "PAID_AFTER_DEATH",
                "detail": "beneficiary died in 2022-02; paid for 2022-03",
                "benefit_id": BID,
                "person_id": PID,
                "month": "2022-03",
            }
        ],
    )


# -- the vault and histories --------------------------------------------------------------
class VaultOut(ReadMeta):
    person_id: str
    household_id: str
    commitment: str = Field(description="the `pii` the log holds for this person")
    salt: str = Field(description="base64: with the record, opens the commitment (FORMATS §5)")
    record: dict[str, Any] = Field(description="the personal data: full_name, national_id ...")

    model_config = _example(
        person_id=PID,
        household_id=HID,
        commitment="3f" * 32,
        salt=ROOT_EXAMPLE,
        record={"full_name": "Lò Thị Xuân", "national_id": "000000000001"},
    )


class HistoryItem(BaseModel):
    index: int
    recorded_at: str
    type: str
    by: str = Field(description="holder id of the key that signed it")
    body: dict[str, Any] = Field(
        description="the signed statement's body (no names or national ids), less `withheld`"
    )
    withheld: list[str] | None = Field(
        default=None,
        description="fields of the body left out for an anonymous reader: a person's sex, "
        "birth year, date of death, the grounds of a benefit or rating",
    )


class HistoryOut(ReadMeta):
    entity_id: str
    entries: list[HistoryItem]

    model_config = _example(
        entity_id=HID,
        entries=[
            {
                "index": 5,
                "recorded_at": "2022-01-03T01:00:00.000000Z",
                "type": "household.registered",
                "by": "staff-registrar",
                "body": {"household_id": HID, "code": "CE-0001", "village": "Bản Huổi"},
            }
        ],
    )
