"""``GET /v1/entities/{id}/history``: every statement naming an entity, as of ``as_of``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from api import reading
from api.http.answers import ANONYMOUS_TOO, SIGNED, answer
from api.http.deps import AsOfQ, OfficerDep, ServiceDep
from api.http.inspection import HistoryOut
from api.http.roles import DETAIL_ROLES, IDENTITY_ROLES, withhold_detail
from api.reading import read_at
from ledger.errors import UnknownEntity
from projections.query import history

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get(
    "/entities/{entity_id:path}/history",
    response_model=HistoryOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
    openapi_extra=ANONYMOUS_TOO,
)
def entity_history(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    entity_id: Annotated[
        str,
        Path(
            min_length=1,
            max_length=200,
            description="an id; a household code (CE-10-001); a person code (CE-10-001/2); "
            "signed in with a role that sees national ids, a national id (CCCD)",
        ),
    ],
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """Every statement naming an entity (household, person, benefit, payment, key ...).

    By a code (`code`, `kind` in the answer; `entity_id` is then the id it
    names), what belongs to it too: a household's status proposals and their
    decisions, its household benefits with their approvals and payments, and
    its `members` with their person codes (household code / order of
    registration); a person's benefits with their approvals and payments. A
    person code has a slash: write it `CE-10-001%2F2`. Nothing named or
    coded so: 404 `UNKNOWN_ENTITY`.

    The signed bodies carry ids and commitments, never names or national
    ids. Anonymously, a person's sex, birth year and date of death, and the
    grounds of a benefit or of a household's rating, are left out of them
    (each entry's `withheld` names those fields); signed in, bodies are whole.
    """
    read = read_at(service, as_of)
    end = read.snap.as_of
    whole = officer is not None and officer.may(DETAIL_ROLES)
    found = [item for item in history(service.ledger, entity_id) if item[0] < end]
    named: dict[str, Any] = {"entity_id": entity_id}
    if not found:
        may = officer is not None and officer.may(IDENTITY_ROLES)
        coded = reading.entity_of(read, entity_id, national_ids=may)
        if coded is not None:
            found = reading.code_history(read, *coded)
            named = {"entity_id": coded[1], "code": entity_id, "kind": coded[0]}
            if coded[0] == "household":
                named["members"] = reading.household_members(read, coded[1])
    items = []
    for index, at, kind, by, body in found:
        item = {"index": index, "recorded_at": at, "type": kind, "by": by, "body": body}
        shown, withheld = (body, []) if whole else withhold_detail(kind, body)
        if withheld:
            item |= {"body": shown, "withheld": withheld}
        items.append(item)
    if not items:
        raise UnknownEntity(
            f"entity_id: no entry names {entity_id}, and no household or person has this code "
            f"(as of {end} entries)",
            field="entity_id",
        )
    return answer(read, response, {**named, "entries": items})
