"""The transparency log over HTTP: checkpoints, entries, proofs.

Everything here is public: anyone can fetch the signed checkpoint, the
entries' leaf bytes and the proofs, and check for themselves that the log
they were shown is the log everyone else sees (FORMATS §4). Witnesses post
their cosignatures back (:mod:`api.http.witnesses`); officers' keys are
public too (:mod:`api.http.keys`).
"""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse

from api.http import wire
from api.http.deps import ServiceDep
from api.http.models import MAX_SIZE, CheckpointOut, ConsistencyProof, InclusionProof
from api.service import LedgerService
from ledger.errors import InvalidField
from ledger.tlog.policy import evaluate
from projections.query import resolve_as_of

MAX_ENTRIES = 1000  # entries per GET /v1/log/entries

router = APIRouter(prefix="/v1", tags=["transparency log"])


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _tree_size(service: LedgerService, given: int | None) -> int:
    """The tree size asked for, by default the latest checkpoint's."""
    return given if given is not None else service.latest_checkpoint().size


@router.get(
    "/log/checkpoint",
    response_class=PlainTextResponse,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "The newest checkpoint: a C2SP signed note (FORMATS §4)",
        },
        **wire.error_responses(404),
    },
)
def latest_checkpoint(service: ServiceDep) -> PlainTextResponse:
    """The newest signed checkpoint (one is signed first if entries are newer)."""
    issued = service.latest_checkpoint()
    headers = {"X-Ansinh-Tree-Size": str(issued.size)}
    if service.policy is not None:  # serve --policy: does this checkpoint meet it (/v1/log/policy)
        met = evaluate(service.policy, issued.note).satisfied
        headers["X-Ansinh-Policy"] = "satisfied" if met else "not-satisfied"
    return PlainTextResponse(issued.note, media_type="text/plain; charset=utf-8", headers=headers)


@router.get("/log/checkpoints", responses=wire.error_responses(400))
def recent_checkpoints(
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many, newest first")] = 20,
    as_of: Annotated[
        str | None, Query(description="Only checkpoints of at most this many entries (or time)")
    ] = None,
) -> list[CheckpointOut]:
    """Recent checkpoints, newest first."""
    service.sign_checkpoint()
    end = resolve_as_of(service.ledger, as_of)
    found = [cp for cp in service.merkle().checkpoints() if cp.size <= end]
    return [
        CheckpointOut(size=cp.size, root=b64(cp.root), issued_at=cp.issued_at, note=cp.note)
        for cp in reversed(found[-limit:])
    ]


# -- entries -------------------------------------------------------------------------
@router.get(
    "/log/entries",
    response_class=Response,
    responses={
        200: {
            "content": {"application/jsonl": {"schema": {"type": "string"}}},
            "description": (
                "One line per entry: its leaf bytes, JCS of {index, recorded_at, envelope}. "
                f"At most {MAX_ENTRIES} a request; `X-Ansinh-Next-Start` says where to go on."
            ),
            "headers": {
                "X-Ansinh-Next-Start": {
                    "description": "Present when the answer stops before `end`: the next start",
                    "schema": {"type": "integer"},
                },
                "X-Ansinh-Log-Size": {
                    "description": "Entries in the log",
                    "schema": {"type": "integer"},
                },
            },
        },
        **wire.error_responses(400),
    },
)
def log_entries(
    service: ServiceDep,
    start: Annotated[int, Query(ge=0, le=MAX_SIZE, description="First index")] = 0,
    end: Annotated[
        int | None, Query(ge=1, le=MAX_SIZE, description="Stop before this index (default: all)")
    ] = None,
) -> Response:
    """The entries ``start <= index < end`` as JSON lines of leaf bytes (FORMATS §4)."""
    size = service.size()
    if end is not None and end <= start:
        raise InvalidField("end", f"must be greater than start ({start})")
    if start >= size:
        raise InvalidField("start", f"must be below the log size ({size})")
    wanted = size if end is None else min(end, size)
    stop = min(wanted, start + MAX_ENTRIES)
    body = b"".join(entry.leaf + b"\n" for entry in service.ledger.entries(start, stop))
    headers = {"X-Ansinh-Log-Size": str(size)}
    if stop < wanted:
        headers["X-Ansinh-Next-Start"] = str(stop)
    return Response(body, media_type="application/jsonl", headers=headers)


# -- proofs --------------------------------------------------------------------------
@router.get("/log/proof/inclusion", responses=wire.error_responses(400, 404))
def inclusion_proof(
    service: ServiceDep,
    index: Annotated[int, Query(ge=0, le=MAX_SIZE, description="The entry's index")],
    tree_size: Annotated[
        int | None,
        Query(ge=1, le=MAX_SIZE, description="Tree size (default: the latest checkpoint's)"),
    ] = None,
) -> InclusionProof:
    """Prove an entry is in the tree of a given size (RFC 9162 §2.1.3)."""
    size = _tree_size(service, tree_size)
    mlog = service.merkle()
    proof = mlog.inclusion_proof(index, size)
    return InclusionProof(
        index=index,
        tree_size=size,
        leaf_hash=b64(mlog.leaf_hash(index)),
        proof=[b64(p) for p in proof],
    )


@router.get("/log/proof/consistency", responses=wire.error_responses(400, 404))
def consistency_proof(
    service: ServiceDep,
    first: Annotated[int, Query(ge=1, le=MAX_SIZE, description="The smaller tree size")],
    second: Annotated[
        int | None,
        Query(ge=1, le=MAX_SIZE, description="The larger (default: the latest checkpoint's)"),
    ] = None,
) -> ConsistencyProof:
    """Prove the tree of size ``first`` is a prefix of the tree of size ``second``."""
    size = _tree_size(service, second)
    proof = service.merkle().consistency_proof(first, size)
    return ConsistencyProof(first=first, second=size, proof=[b64(p) for p in proof])
