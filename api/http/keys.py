"""Officers' keys, public so that anyone can check who signed what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http import wire
from api.http.deps import ServiceDep
from api.http.models import Holder, KeyOut
from projections.query import resolve_as_of

router = APIRouter(prefix="/v1", tags=["keys"])


@router.get("/keys", responses=wire.error_responses(400, 404))
def registered_keys(
    service: ServiceDep,
    as_of: Annotated[
        str | None, Query(description="As the first N entries left them (or as of a time)")
    ] = None,
) -> list[KeyOut]:
    """Officers' keys: who holds each, its roles, when it was registered and revoked."""
    end = resolve_as_of(service.ledger, as_of)
    out = []
    for k in service.ledger.key_records():
        if k.registered_index >= end:
            continue
        revoked = k.revoked_index is not None and k.revoked_index < end
        out.append(
            KeyOut(
                id=k.key_id,
                public_key=k.public_key,
                holder=Holder(id=k.holder_id, name=k.holder_name),
                roles=list(k.roles),
                registered_index=k.registered_index,
                revoked_index=k.revoked_index if revoked else None,
                revoked_reason=k.revoked_reason if revoked else None,
            )
        )
    return out
