"""``GET /v1/households``: the registry, with personal data by the reader's roles."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.http.answers import ANONYMOUS_TOO, SIGNED, answer
from api.http.deps import AsOfQ, OfficerDep, OnQ, ServiceDep
from api.http.models import HouseholdsOut
from api.http.roles import DETAIL_ROLES, IDENTITY_ROLES, NAME_ROLES
from api.http.signin import Officer
from api.reading import MEMBER_DETAIL, day_of, read_at, registry

router = APIRouter(prefix="/v1", tags=["reads"])
HouseholdStatus = Literal["poor", "near_poor", "not_poor", "none"]


def disclosed(officer: Officer | None) -> tuple[str, ...]:
    """The personal-data fields of members this reader is shown."""
    fields: tuple[str, ...] = ()
    if officer is not None and officer.may(DETAIL_ROLES):
        fields += MEMBER_DETAIL
    if officer is not None and officer.may(NAME_ROLES):
        fields += ("full_name",)
    if officer is not None and officer.may(IDENTITY_ROLES):
        fields += ("national_id",)
    return fields


@router.get(
    "/households",
    response_model=HouseholdsOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
    openapi_extra=ANONYMOUS_TOO,
)
def households(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    on: OnQ = None,
    as_of: AsOfQ = None,
    village: Annotated[str | None, Query(max_length=200)] = None,
    status: Annotated[HouseholdStatus | None, Query(description="`none`: never rated")] = None,
) -> dict[str, Any]:
    """The registry: each household, its status on `on`, its members.

    Anonymously a member is its `person_id` and `relation` only. Signed in
    (any role), members also carry `sex`, `birth_year` and `died_on`; as
    registrar, approver, cashier, inspector or admin, `full_name`;
    registrar, approver, inspector and admin also see `national_id` (from
    the vault; `null` when erased). `disclosed` names the fields included.
    """
    read = read_at(service, as_of)
    day, fields = day_of(read.snap, on), disclosed(officer)
    rows = registry(read, day, fields, village, status)
    return answer(read, response, {"on": day, "disclosed": list(fields), "households": rows})
