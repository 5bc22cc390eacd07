"""Whether the log's checkpoints satisfy the server's witness policy (``serve --policy``).

``GET /v1/log/policy`` answers, for the newest signed checkpoint, which of
the policy's witnesses cosigned it, which did not, and whether the quorum
is met; and the size of the newest checkpoint that meets it (a new
checkpoint waits for the witnesses' next round). The public pages say the
same in plain words (:func:`witness_status`).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.http import wire
from api.http.deps import ServiceDep
from api.service import LedgerService
from ledger.errors import LedgerError, NoCheckpoint
from ledger.tlog.policy import evaluate

router = APIRouter(prefix="/v1", tags=["transparency log"])
RECENT = 50  # checkpoints looked through for the newest that meets the policy


class NoPolicy(LedgerError):
    code = "NO_POLICY"
    status = 404


def witness_status(service: LedgerService) -> dict[str, Any] | None:
    """The policy's verdict on the newest checkpoint, or None without a policy."""
    policy = service.policy
    if policy is None:
        return None
    checkpoints = service.merkle().checkpoints(newest=RECENT)
    if not checkpoints:
        return {"checkpoint": None, "satisfied_size": None, "witnesses": len(policy.witnesses)}
    latest = checkpoints[-1]
    found = evaluate(policy, latest.note)
    satisfied_size = next(
        (cp.size for cp in reversed(checkpoints) if evaluate(policy, cp.note).satisfied), None
    )
    return {
        "checkpoint": {"tree_size": latest.size, **found.to_dict()},
        "satisfied_size": satisfied_size,
        "witnesses": len(policy.witnesses),
    }


@router.get("/log/policy", responses=wire.error_responses(404))
def policy_status(service: ServiceDep) -> dict[str, Any]:
    """The witness policy's verdict on the newest signed checkpoint.

    ``checkpoint.satisfied``: a key of the policy's logs signed it and the
    witnesses whose cosignatures verify meet its quorum; ``signed``,
    ``bad`` (a cosignature line that does not verify) and ``missing`` name
    the policy's witnesses; ``satisfied_size``: the newest of the recent
    checkpoints that meets it. 404 ``NO_POLICY`` when the server has none.
    """
    service.latest_checkpoint()  # signs one first when the server holds the notary key
    status = witness_status(service)
    if status is None:
        raise NoPolicy("this server was started without a witness policy (serve --policy)")
    if status["checkpoint"] is None:
        raise NoCheckpoint("no checkpoint has been signed yet")
    return status
