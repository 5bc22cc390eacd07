"""``GET /v1/reports/agents``: the lists sent to paying agents and what the agents settled
(docs/formats.md 11.3)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from api import paying_agents, reading
from api.http.answers import answer
from api.http.deps import AsOfQ, OnQ, ServiceDep
from projections.reports.entitlements import check_date

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get("/reports/agents")
def agents(service: ServiceDep, response: Response, on: OnQ = None, as_of: AsOfQ = None) -> Any:
    """Each list sent to a paying agent: `lines` and `total` sent; lines and amounts settled
    `paid`, `not_paid`, `returned`; `refunded`; what the agent still `held`; `late` (sent on
    or after the 25th of the month before). `findings`: LIST_SENT_LATE, AGENT_HOLDS_FUNDS
    (money held after the end of the month following the month paid),
    PAYMENT_NOT_ACKNOWLEDGED (a payment by post whose line the agent did not acknowledge as
    paid), each with `detail` (English), `detail_vi` and the `evidence` entries. Names no
    one: open to all, like the log it is read from."""
    if on is not None:
        check_date(on, "on")
    read = reading.read_at(service, as_of)
    return answer(read, response, paying_agents.agents_report(read, on))
