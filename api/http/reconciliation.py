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
from api.http.inspection import ReconciliationOut
from api.http.roles import (
    DETAIL_ROLES,
    IDENTITY_ROLES,
    NAME_ROLES,
    withhold_complainants,
    withhold_deaths,
    withhold_departures,
)
from projections.reports.entitlements import check_month, covered_months
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
    from_: Annotated[
        str | None,
        Query(alias="from", description="First month YYYY-MM (default: the first paid)"),
    ] = None,
    to: Annotated[
        str | None, Query(description="Last month YYYY-MM (default: the last covered)")
    ] = None,
    on: OnQ = None,
    as_of: AsOfQ = None,
    fmt: FormatQ = Format.json,
    lang: LangQ = "vi",
    table: TableQ = None,
) -> Any:
    """Đối soát: entitled, paid, unpaid, overpaid per program and month; funds; anomalies.

    Anonymously, a PAID_AFTER_DEATH anomaly does not give the date of the
    death (`masked`): not in its texts, nor the death's entry among its
    `evidence`; signed in, it does. Signed in with a role that sees names,
    each finding carries the `name` of the person it names (of a household:
    its head). Signed in with a role that sees national ids, duplicate
    national ids (DUPLICATE_IDENTITY) are looked for in the vault too.

    Anonymously, a finding about a grievance (GRIEVANCE_OVERDUE,
    PAYMENT_DISPUTED) keeps only its code, texts, program and `finding_id`:
    nothing that says who complained.

    Each finding names its `household_code`, `village`, `person_code`,
    program, `months`, amounts (`expected`, `paid`, `difference`, đồng), the
    log entries that prove it (`evidence`) and a stable `finding_id`;
    `detail` is English, `detail_vi` Vietnamese. CSV and XLSX files show the
    text in `lang` and the commands that check each finding offline.

    Without `from` and `to` (both, or neither is given), the period is the one
    the ledger covers: from the first month a payment is for to the month of its
    report date (`period` says which).
    """
    if from_ is not None or to is not None:  # one end given: both are
        check_month(from_ or "", "from")
        check_month(to or "", "to")
    read = reading.read_at(service, as_of)
    if from_ is None or to is None:
        from_, to = covered_months(read.snap) or ("", "")
        check_month(from_, "from")  # a ledger with no entries covers no month
    identities = officer is not None and officer.may(IDENTITY_ROLES)
    named = officer is not None and officer.may(NAME_ROLES)
    doc = reading.reconciliation(read, from_, to, on, identities=identities, named=named)
    doc["masked"] = officer is None or not officer.may(DETAIL_ROLES)
    if doc["masked"]:
        deaths = {p.died_index for p in read.snap.people.values() if p.died_index is not None}
        withhold_deaths(doc["anomalies"], deaths)
        withhold_complainants(doc["anomalies"])  # who complained (FORMATS 1.3)
        left = {d.index for d in read.snap.departures.values()}
        withhold_departures(doc["anomalies"], left)
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
