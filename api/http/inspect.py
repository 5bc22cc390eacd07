"""The inspector's questions over HTTP, for a signed-in inspector (or admin).

``GET /v1/inspect/log`` the log filtered as ``ansinh log`` filters it (who
signed, type, entity or household code, days signed); ``GET
/v1/inspect/evidence`` the evidence file of an entity or of log indexes, as
``ansinh export evidence`` writes it, to check offline with ``ansinh verify``.
The console's "Kiểm tra sổ" screen (``/inspect``) asks these.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from api.http.answers import SIGNED
from api.http.deps import ServiceDep, require_roles
from api.http.signin import Officer
from api.inspect.entities import entity_ids
from api.inspect.log_filter import log_filter, rows
from ledger.audit.evidence import dumps, gather
from ledger.errors import InvalidField
from projections import query

INSPECT_ROLES = ("inspector", "admin")
MAX_ROWS = 5000
router = APIRouter(prefix="/v1/inspect", tags=["inspection"])
Inspector = Annotated[Officer, Depends(require_roles(*INSPECT_ROLES))]


@router.get("/log", responses=SIGNED)
def inspect_log(
    service: ServiceDep,
    _: Inspector,
    by: Annotated[str | None, Query(description="A holder id, or a key id (4+ hex)")] = None,
    type_: Annotated[str | None, Query(alias="type", description="A statement type")] = None,
    entity: Annotated[str | None, Query(description="An entity id or a household code")] = None,
    first_day: Annotated[str | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    last_day: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD")] = None,
    start: Annotated[int, Query(ge=0, description="From this index")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_ROWS, description="At most this many")] = 500,
) -> dict[str, Any]:
    """The log's entries that pass every filter given, in log order, ``limit`` at a time:
    ``more`` says whether others follow (ask again with ``start`` = ``next``)."""
    ledger = service.ledger
    flt = log_filter(
        ledger,
        by=by or None,
        type_=type_ or None,
        entity=entity or None,
        first_day=first_day or None,
        last_day=last_day or None,
    )
    found: list[dict[str, Any]] = []
    more = False
    following = None
    for row in rows(ledger, flt, start):
        if len(found) == limit:
            more, following = True, row.index
            break
        found.append(
            {
                "index": row.index,
                "recorded_at": row.recorded_at,
                "type": row.type,
                "by": row.by,
                "at": row.at,
            }
        )
    return {"rows": found, "more": more, "next": following, "log_size": ledger.size()}


@router.get(
    "/evidence",
    response_class=Response,
    responses={
        **SIGNED,
        200: {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "The evidence file, to download (docs/formats.md section 8)",
        },
    },
)
def inspect_evidence(
    service: ServiceDep,
    _: Inspector,
    entity: Annotated[str | None, Query(description="An entity id or a household code")] = None,
    index: Annotated[list[int] | None, Query(description="A log index (repeat)")] = None,
) -> Response:
    """The evidence file (docs/formats.md section 8) of an entity or of log indexes,
    proved against the latest signed checkpoint."""
    ledger = service.ledger
    if (entity is None or entity == "") == (not index):
        raise InvalidField("entity", "give entity (an id or household code) or index, not both")
    asked = list(index or [])
    name = "-".join(str(i) for i in asked[:5])
    if entity:
        for eid in entity_ids(ledger, entity):
            asked += [row[0] for row in query.history(ledger, eid)]
        kept = (c if (c.isascii() and c.isalnum()) or c in "-_" else "_" for c in entity.strip())
        name = "".join(kept)[:40]
    service.latest_checkpoint()  # signs one first when the server holds the notary key
    doc = gather(ledger, asked, mlog=service.merkle())
    return Response(
        dumps(doc).encode("utf-8"),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="bang-chung-{name}.json"'},
    )
