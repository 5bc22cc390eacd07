"""``GET /v1/payroll``: the monthly payroll sheet, masked unless the reader may see it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api import reading
from api.http.answers import ANONYMOUS_TOO, FILES, SIGNED, Format, FormatQ, LangQ, report
from api.http.deps import AsOfQ, OfficerDep, OnQ, ServiceDep
from api.http.models import PayrollOut
from api.http.roles import PAYROLL_ROLES
from projections.reports.entitlements import check_month
from projections.reports.export import payroll_views

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get(
    "/payroll",
    response_model=PayrollOut,
    response_model_exclude_unset=True,
    responses={**FILES, **SIGNED},
    openapi_extra=ANONYMOUS_TOO,
)
def payroll_sheet(
    service: ServiceDep,
    officer: OfficerDep,
    response: Response,
    month: Annotated[str, Query(description="YYYY-MM")],
    on: OnQ = None,
    as_of: AsOfQ = None,
    fmt: FormatQ = Format.json,
    lang: LangQ = "vi",
) -> Any:
    """The payroll of `month` (danh sách chi trả): who is due what, what was paid.

    Without a token, or with a role that may not see it, the sheet is masked:
    household codes, amounts, paid or not; no names, person ids or
    recipients. Cashier, approver, inspector and admin see those too.
    """
    check_month(month, "month")
    read = reading.read_at(service, as_of)
    unmasked = officer is not None and officer.may(PAYROLL_ROLES)
    doc = reading.payroll_sheet(read, month, on, named=unmasked)
    if not unmasked:
        for row in doc["rows"]:
            del row["person_id"]
    doc["masked"] = not unmasked
    return report(read, response, doc, payroll_views, fmt, lang, f"chi-tra-{month}")
