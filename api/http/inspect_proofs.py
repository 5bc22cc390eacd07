"""The inspector's proofs over HTTP, for a signed-in inspector (or admin).

``GET /v1/inspect/diff`` what the log added between two tree sizes, once
the consistency proof between them checks (``ansinh diff A B`` with sizes);
``GET /v1/inspect/check-list`` whether a printed list's digest is the one
the log gives at the entry count the notice prints (``ansinh check-list``
asks the same of a bundle, offline). The console's "Kiểm tra sổ" screen
(``/inspect``) asks these.
"""

from __future__ import annotations

import shlex
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api import reading
from api.http import wire
from api.http.answers import SIGNED
from api.http.deps import ServiceDep
from api.http.inspect import Inspector
from api.inspect.diff import diff
from api.inspect.notice import check_served
from ledger.errors import InvalidField

router = APIRouter(prefix="/v1/inspect", tags=["inspection"])


@router.get("/diff", responses={**SIGNED, **wire.error_responses(409)})
def inspect_diff(
    service: ServiceDep,
    _: Inspector,
    first: Annotated[int, Query(alias="from", description="The smaller tree size")],
    second: Annotated[int, Query(alias="to", description="The larger tree size")],
) -> dict[str, Any]:
    """What the log added between two tree sizes, after proving the larger extends the smaller.

    Each size is that of a checkpoint the notary signed, or any size up to the
    log's (then the ledger's own root there): each end says whether it is
    `signed`. The RFC 9162 consistency proof is checked here and returned
    (`consistency_proof`, base64 hashes) with both roots, so that it can be
    checked again elsewhere; the entries between are counted by statement type
    (`by_type`) and by village (`by_village`: statements, payments and their
    amounts in đồng, reversals). Refused: a size not above 0 or beyond the log,
    or `from` above `to`.
    """
    mlog = service.merkle()
    size = mlog.size()
    for name, value in (("from", first), ("to", second)):
        if value < 1:
            raise InvalidField(name, f"tree size {value}: give a size from 1 to {size}")
    if first > second:
        raise InvalidField("from", f"tree size {first} is above to ({second})")
    found = diff(service.ledger, str(first), str(second), names=("from", "to"), mlog=mlog)
    return found.to_json() | {"proof_checked": True, "log_size": size}


@router.get("/check-list", responses=SIGNED)
def inspect_check_list(
    service: ServiceDep,
    _: Inspector,
    digest: Annotated[str, Query(description="The digest printed (64 hex, or 8 groups of 4)")],
    as_of: Annotated[int, Query(ge=1, description="The entry count the notice prints")],
    village: Annotated[str | None, Query(description="The village the notice lists")] = None,
    program: Annotated[
        str | None, Query(description="The program code it lists, or `households`")
    ] = None,
    on: Annotated[str | None, Query(description="The date it prints, YYYY-MM-DD")] = None,
) -> dict[str, Any]:
    """Does a printed list match the log? The list document is drawn again from the log's
    first `as_of` entries, for `village`, `program` and `on`, as the printed notice drew it
    (with names, then with names withheld), and its digest compared with the one printed:
    whole or its first 8 hex digits or more, spaces and dashes ignored.

    `matches` says whether it did; `digest` is the recomputed digest (of the form that
    matched, else of the list with names); `signed` whether the notary signed a
    checkpoint of that size. Offline, `ansinh check-list DIGEST --bundle B` checks the
    same against an audit bundle.
    """
    read = reading.read_at(service, str(as_of))
    checked = check_served(
        read, digest, village=village or None, program=program or None, on=on or None
    )
    shown = checked.matched or checked.tried[0][0]
    doc = shown.doc
    return {
        "matches": checked.matched is not None,
        "printed": checked.printed,
        "digest": shown.digest,
        "named": checked.named,
        "on": doc["on"],
        "village": doc["village"],
        "program": doc["program"],
        "rows": len(doc["rows"]),
        "as_of": doc["as_of"],
        "root": doc["root"],
        "signed": bool(read.checkpoint["signed"]),
        "offline": f"ansinh check-list {checked.printed} --bundle bundle.tar"
        + "".join(
            f" --{key} {shlex.quote(value)}"
            for key, value in (("village", village), ("program", program), ("on", doc["on"]))
            if value
        )
        + f" --as-of {doc['as_of']}",
    }
