"""What an inspector reads: the reconciliation with its findings, an entity's history.

JSON shapes of ``/v1/reports/reconciliation`` and ``/v1/entities/{id}/history``
(pydantic models, shown at ``/docs``); the shapes shared by every read are in
:mod:`api.http.models`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.http import examples
from api.http.models import ReadMeta, Vnd


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
    """A finding: DESIGN.md's anomaly, and what makes it one someone can act on."""

    code: str
    detail: str = Field(description="what was found, in English (stable wording)")
    payment_id: str | None = None
    benefit_id: str | None = None
    person_id: str | None = None
    household_id: str | None = None
    month: str | None = None
    program_id: str | None = None
    finding_id: str = Field(description="12 hex digits naming the finding, stable across reports")
    detail_vi: str = Field(description="what was found, in Vietnamese")
    household_code: str | None = None
    village: str | None = None
    person_code: str | None = Field(
        default=None, description="household code / order of registration in it, e.g. CE-10-001/2"
    )
    program_code: str | None = None
    program_name: str | None = None
    months: list[str] | None = None
    expected: Vnd | None = Field(default=None, description="due for the benefit and months")
    paid: Vnd | None = Field(default=None, description="what the counted payments paid for them")
    difference: Vnd | None = Field(default=None, description="paid - expected")
    evidence: list[int] = Field(
        description="indexes of the log entries that prove it (payments, the benefit's "
        "proposal and approval, the death, status decisions ...), in order"
    )
    first_payment_id: str | None = Field(default=None, description="the payment duplicated")
    first_benefit_id: str | None = Field(default=None, description="the benefit overlapped")
    first_person_id: str | None = Field(default=None, description="who has the id first")
    name: str | None = Field(
        default=None, description="the person's name, from the vault (signed in, named roles)"
    )


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

    model_config = examples.read(examples.RECONCILIATION)


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


class Member(BaseModel):
    person_id: str
    person_code: str | None = None
    relation: str
    died: bool


class HistoryOut(ReadMeta):
    entity_id: str
    code: str | None = Field(
        default=None, description="the household or person code asked for, when it was a code"
    )
    kind: str | None = Field(default=None, description="household or person, when a code")
    members: list[Member] | None = Field(
        default=None, description="a household's people (as of the read), to follow each"
    )
    entries: list[HistoryItem]

    model_config = examples.read(examples.HISTORY)
