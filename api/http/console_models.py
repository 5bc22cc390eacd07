"""The answers of the officer console's reads (:mod:`api.http.console`).

Kept apart from :mod:`api.http.models` (which holds the other resources'
answers and is full): the same conventions, ``ReadMeta`` on every read.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.http.models import ReadMeta


class ProgramOut(BaseModel):
    program_id: str
    code: str
    name: str
    category: str
    kind: str = Field(description="monthly | one_off | in_kind")


class ProgramsOut(ReadMeta):
    programs: list[ProgramOut]


class HolderRef(BaseModel):
    holder_id: str
    name: str | None = Field(description="the holder's name as their key was registered")


class HouseholdRef(BaseModel):
    household_id: str
    code: str
    village: str


class PersonRef(BaseModel):
    person_id: str
    full_name: str | None = Field(
        default=None, description="from the vault; only for roles that may see names"
    )


class ProposalOut(BaseModel):
    kind: str = Field(description="household_status | benefit")
    id: str = Field(description="the proposal_id or benefit_id the decision names")
    index: int = Field(description="the entry that proposed it")
    proposed_by: HolderRef
    own: bool = Field(description="proposed by the signed-in holder: they may not decide it")
    household: HouseholdRef | None
    beneficiary: PersonRef | None = Field(
        description="a person's benefit: the person; a household's status: its head"
    )
    program: ProgramOut | None = Field(description="a benefit's program")
    status: str | None = Field(description="a household status proposed: poor | near_poor ...")
    effective: str | None = Field(description="the date a status takes effect")
    amount: int | None = Field(description="a benefit's amount, đồng")
    start: str | None
    end: str | None
    basis: str | dict[str, int | str] = Field(description="the grounds, as signed")
    history: str = Field(description="the history of the proposal (URL path)")


class ProposalsOut(ReadMeta):
    proposals: list[ProposalOut]


class BenefitOut(BaseModel):
    benefit_id: str
    program: ProgramOut
    household: HouseholdRef | None
    beneficiary: PersonRef | None
    amount: int
    start: str
    end: str | None
    last_month: str | None
    state: str = Field(description="proposed | approved | rejected | ended")
    proposed_by: str
    decision_number: str | None


class BenefitsOut(ReadMeta):
    benefits: list[BenefitOut]


class FoundMember(BaseModel):
    person_id: str
    relation: str
    birth_year: int
    died_on: str | None
    full_name: str | None = None


class FoundHousehold(BaseModel):
    household_id: str
    code: str
    village: str
    status: str | None
    members: list[FoundMember]


class SearchOut(ReadMeta):
    q: str
    villages: list[str] = Field(description="every village of the registry, for choosing")
    households: list[FoundHousehold]
    more: bool = Field(description="more households matched than were listed")
