"""The queue of suspected duplicate identities over HTTP (docs/formats.md 10.3).

``GET /v1/duplicates``: each pair the reconciliation suspects (same national
id, or same full name, birth year and village), with the two people's codes,
names and birth years, why they are suspected, and the decision recorded.
For officers who may see national ids (registrar, approver, inspector,
admin): the pairs come from the vault. The console's "Trùng nhân thân"
screen reads it, and an approver decides a pair there by signing
``identity.reviewed``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from api import reading
from api.duplicates import duplicate_queue
from api.http.deps import ServiceDep, require_roles
from api.http.roles import IDENTITY_ROLES
from api.http.signin import Officer
from ledger.formats.versions import V1_2, at_least

router = APIRouter(prefix="/v1", tags=["inspection"])
Reviewer = Annotated[Officer, Depends(require_roles(*sorted(IDENTITY_ROLES)))]


@router.get("/duplicates")
async def duplicates(service: ServiceDep, _: Reviewer) -> dict[str, Any]:
    """Suspected duplicates, oldest first: `person` (registered later) and `first`, each
    with `person_id`, `code`, `full_name`, `birth_year`, `village`; `why` (`national_id`
    or `name`); `decision` (`same_person`, `different_people`, or null: to review).
    `decidable` says whether the ledger follows FORMATS 1.2, without which no
    decision can be recorded (an admin adopts it first); `to_review` counts the
    pairs without a decision. Without the vault key the server suspects nobody."""
    read = await run_in_threadpool(reading.read_at, service, None)
    rows = await run_in_threadpool(duplicate_queue, read)
    people = [p for r in rows for p in (r["person_id"], r["first_person_id"])]
    names = reading.vault_field(read, people, "full_name")

    def who(person_id: str, code: str | None) -> dict[str, Any]:
        person = read.snap.people[person_id]
        household = read.snap.households.get(person.household_id)
        return {
            "person_id": person_id,
            "code": code,
            "full_name": names.get(person_id),
            "birth_year": person.birth_year,
            "village": household.village if household is not None else None,
        }

    pairs = [
        {
            "person": who(r["person_id"], r["person_code"]),
            "first": who(r["first_person_id"], r["first_person_code"]),
            "why": r["why"],
            "decision": r["decision"],
        }
        for r in rows
    ]
    formats = service.ledger.charter(fresh=True).formats  # another process may have adopted
    return {
        "decidable": at_least(formats, V1_2),
        "formats": formats,
        "to_review": sum(p["decision"] is None for p in pairs),
        "pairs": pairs,
    }
