"""``GET /v1/duplicates``: the queue of suspected duplicate identities (FORMATS 1.2, 10.3).

What ``ansinh report duplicates`` lists, for the officers whose roles see
names (:data:`api.http.roles.NAME_ROLES`): each suspected pair, why it is
suspected (the same national id, or the same name, birth year and village;
the national id itself is never shown), the two people's codes and names,
and the decision recorded, or none (still to review). An approver decides a
pair by signing ``identity.reviewed``; the console links each pair to that
form, filled in.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from api.duplicates import duplicate_queue
from api.http.answers import SIGNED, answer
from api.http.deps import AsOfQ, ServiceDep, require_roles
from api.http.models import ReadMeta
from api.http.roles import NAME_ROLES
from api.http.signin import Officer
from api.reading import read_at, vault_field

router = APIRouter(prefix="/v1", tags=["reads"])
NameReader = Annotated[Officer, Depends(require_roles(*NAME_ROLES))]


class SuspectedPair(BaseModel):
    person_id: str = Field(description="The later-registered person")
    person_code: str | None
    name: str | None = Field(description="From the vault (None: erased)")
    first_person_id: str = Field(description="The first-registered person of the group")
    first_person_code: str | None
    first_name: str | None
    why: str = Field(description="national_id | name (the same name, birth year and village)")
    decision: str | None = Field(description="same_person | different_people | None: to review")


class DuplicatesOut(ReadMeta):
    pairs: list[SuspectedPair]
    to_review: int


@router.get("/duplicates", response_model=DuplicatesOut, responses={**SIGNED})
def duplicates(
    service: ServiceDep, _: NameReader, response: Response, as_of: AsOfQ = None
) -> dict[str, Any]:
    """The suspected duplicates, oldest first, each with its decision or none (registrar,
    approver, cashier, inspector, admin). Needs the server's vault key."""
    read = read_at(service, as_of)
    rows = duplicate_queue(read)
    people = {r["person_id"] for r in rows} | {r["first_person_id"] for r in rows}
    names = vault_field(read, people, "full_name")
    pairs = [
        {**r, "name": names.get(r["person_id"]), "first_name": names.get(r["first_person_id"])}
        for r in rows
    ]
    found = {"pairs": pairs, "to_review": sum(r["decision"] is None for r in rows)}
    return answer(read, response, found)
