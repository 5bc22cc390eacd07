"""``GET /v1/vault/{person_id}``: a person's personal-data record, for those who may see it."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Response

from api.http.answers import ERASED, SIGNED, answer
from api.http.deps import AsOfQ, ServiceDep, require_roles
from api.http.models import VaultOut
from api.http.roles import IDENTITY_ROLES
from api.http.signin import Officer
from api.reading import read_at, vault_record
from ledger.errors import UnknownEntity

router = APIRouter(prefix="/v1", tags=["reads"])
VaultReader = Annotated[Officer, Depends(require_roles(*IDENTITY_ROLES))]


@router.get("/vault/{person_id}", response_model=VaultOut, responses={**SIGNED, **ERASED})
def vault(
    service: ServiceDep,
    _: VaultReader,
    response: Response,
    person_id: Annotated[str, Path(max_length=64)],
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """A person's personal-data record (registrar, approver, inspector, admin only).

    The record the log commits to (as of `as_of`), with its salt, so that
    the commitment can be checked (FORMATS §5).
    """
    read = read_at(service, as_of)
    person = read.snap.people.get(person_id)
    if person is None:
        raise UnknownEntity(f"person_id: no person {person_id}", field="person_id")
    record = vault_record(read, person_id)
    if record is None:
        raise HTTPException(
            410,
            detail={
                "code": "ERASED",
                "message": f"person_id: the personal data of {person_id} was erased; "
                "the log keeps only its commitment",
            },
        )
    found = {
        "person_id": person_id,
        "household_id": person.household_id,
        "commitment": person.pii,
        "salt": base64.b64encode(record.salt).decode(),
        "record": record.record,
    }
    return answer(read, response, found)
