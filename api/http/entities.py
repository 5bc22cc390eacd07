"""``GET /v1/entities/{id}/history``: every statement naming an entity, as of ``as_of``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from api.http.answers import ANONYMOUS_TOO, SIGNED, answer
from api.http.deps import AsOfQ, OfficerDep, ServiceDep
from api.http.inspection import HistoryOut
from api.http.roles import DETAIL_ROLES, withhold_detail
from api.reading import read_at
from ledger.errors import UnknownEntity
from projections.query import history

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get(
    "/entities/{entity_id}/history",
    response_model=HistoryOut,
    response_model_exclude_unset=True,
    responses=SIGNED,
    openapi_extra=ANONYMOUS_TOO,
)
def entity_history(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    entity_id: Annotated[str, Path(min_length=1, max_length=200)],
    as_of: AsOfQ = None,
) -> dict[str, Any]:
    """Every statement naming an entity (household, person, benefit, payment, key ...).

    The signed bodies carry ids and commitments, never names or national
    ids. Anonymously, a person's sex, birth year and date of death, and the
    grounds of a benefit or of a household's rating, are left out of them
    (each entry's `withheld` names those fields); signed in, bodies are whole.
    """
    read = read_at(service, as_of)
    end = read.snap.as_of
    whole = officer is not None and officer.may(DETAIL_ROLES)
    items = []
    for index, at, kind, by, body in history(service.ledger, entity_id):
        if index >= end:
            continue
        item = {"index": index, "recorded_at": at, "type": kind, "by": by, "body": body}
        shown, withheld = (body, []) if whole else withhold_detail(kind, body)
        if withheld:
            item |= {"body": shown, "withheld": withheld}
        items.append(item)
    if not items:
        raise UnknownEntity(
            f"entity_id: no entry names {entity_id} (as of {end} entries)", field="entity_id"
        )
    return answer(read, response, {"entity_id": entity_id, "entries": items})
