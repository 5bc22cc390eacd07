"""``GET /v1/reports/reconciliation``: đối soát, with a death's date for signed-in readers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api import reading
from api.http.answers import (
    ANONYMOUS_TOO,
    FILES,
    SIGNED,
    Format,
    FormatQ,
    LangQ,
    TableQ,
    report,
)
from api.http.deps import AsOfQ, OfficerDep, OnQ, ServiceDep
from api.http.models import ReconciliationOut
from api.http.roles import DETAIL_ROLES, IDENTITY_ROLES, withhold_deaths
from projections.reports.entitlements import check_month
from projections.reports.export import reconciliation_views

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get(
    "/reports/reconciliation",
    response_model=ReconciliationOut,
    response_model_exclude_unset=True,
    responses={**FILES, **SIGNED},
    openapi_extra=ANONYMOUS_TOO,
)
def reconciliation(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    from_: Annotated[str, Query(alias="from", description="First month YYYY-MM")],
    to: Annotated[str, Query(description="Last month YYYY-MM")],
    on: OnQ = None,
    as_of: AsOfQ = None,
    fmt: FormatQ = Format.json,
    lang: LangQ = "vi",
    table: TableQ = None,
) -> Any:
    """Đối soát: entitled, paid, unpaid, overpaid per program and month; funds; anomalies.

    Anonymously, a PAID_AFTER_DEATH anomaly does not give the date of the
    death (`masked`); signed in, it does. Signed in with a role that sees
    national ids, duplicate national ids (DUPLICATE_IDENTITY) are looked for
    in the vault too.
    """
    check_month(from_, "from")
    check_month(to, "to")
    read = reading.read_at(service, as_of)
    identities = officer is not None and officer.may(IDENTITY_ROLES)
    doc = reading.reconciliation(read, from_, to, on, identities=identities)
    doc["masked"] = officer is None or not officer.may(DETAIL_ROLES)
    if doc["masked"]:
        withhold_deaths(doc["anomalies"])
    name = f"doi-soat-{from_}-{to}"
    return report(
        read,
        response,
        doc,
        reconciliation_views,
        fmt,
        lang,
        name,
        kind="reconciliation",
        table=table,
    )
