"""``GET /v1/payroll``: the monthly payroll, masked unless the reader may see it; and
``GET /v1/payroll/sheet`` (JSON) and ``/v1/payroll/sheet.xlsx``: the sheet to print,
have signed and bring back (:mod:`api.sheets`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from api import reading
from api.http.answers import ANONYMOUS_TOO, FILES, SIGNED, XLSX, Format, FormatQ, LangQ, report
from api.http.deps import AsOfQ, OfficerDep, OnQ, ServiceDep, require_roles
from api.http.models import PayrollOut
from api.http.roles import PAYROLL_ROLES
from api.http.signin import Officer
from api.sheets import payroll as sheets
from api.sheets.xlsx import sheet_xlsx
from ledger.formats.versions import exact_json
from projections.reports.entitlements import check_month
from projections.reports.export import payroll_views

router = APIRouter(prefix="/v1", tags=["reads"])
# who prints the sheet: the payroll's readers, and the registrar who drew up the list
SHEET_ROLES = ("cashier", "approver", "registrar", "inspector", "admin")


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
    household codes, amounts, paid or not; no names, person ids, lookup
    codes or recipients. Cashier, approver, inspector and admin see those too.
    """
    check_month(month, "month")
    read = reading.read_at(service, as_of)
    unmasked = officer is not None and officer.may(PAYROLL_ROLES)
    doc = reading.payroll_sheet(read, month, on, named=unmasked)
    if not unmasked:
        for row in doc["rows"]:  # the lookup code too: it is the beneficiary's, on paper
            del row["person_id"], row["receipt_code"]
    doc["masked"] = not unmasked
    name = f"chi-tra-{month}"
    return report(read, response, doc, payroll_views, fmt, lang, name, kind="payroll")


# -- the printable sheet --------------------------------------------------------------------
SheetOfficer = Annotated[Officer, Depends(require_roles(*SHEET_ROLES))]
VillageQ = Annotated[str | None, Query(max_length=200, description="Only this village")]
ProgramQ = Annotated[
    str | None, Query(max_length=200, description="Only this program (code or id)")
]
SheetLangQ = Annotated[Literal["vi", "en"], Query(description="Headings and words")]


def _sheet(
    service: ServiceDep,
    month: str,
    on: str | None,
    as_of: str | None,
    village: str | None,
    program: str | None,
    lang: str,
) -> tuple[reading.Read, dict[str, Any]]:
    check_month(month, "month")
    read = reading.read_at(service, as_of)
    found = sheets.payroll_sheet(read, month, on=on, village=village, program=program, lang=lang)
    return read, found


@router.get("/payroll/sheet", responses=SIGNED)
def payroll_sheet_json(
    service: ServiceDep,
    officer: SheetOfficer,
    response: Response,
    month: Annotated[str, Query(description="YYYY-MM")],
    village: VillageQ = None,
    program: ProgramQ = None,
    on: OnQ = None,
    as_of: AsOfQ = None,
    lang: SheetLangQ = "vi",
) -> Any:
    """The payroll sheet of `month` to print (danh sách chi trả), grouped by village.

    Rows numbered across the sheet, a subtotal per village, the total and the
    total due in words; names from the vault. Cashier, approver, registrar,
    inspector and admin.
    """
    read, found = _sheet(service, month, on, as_of, village, program, lang)
    response.headers.update(read.headers())
    return exact_json(found)


@router.get(
    "/payroll/sheet.xlsx",
    responses={
        **SIGNED,
        200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}},
    },
    response_class=Response,
)
def payroll_sheet_xlsx(
    service: ServiceDep,
    officer: SheetOfficer,
    month: Annotated[str, Query(description="YYYY-MM")],
    village: VillageQ = None,
    program: ProgramQ = None,
    on: OnQ = None,
    as_of: AsOfQ = None,
    lang: SheetLangQ = "vi",
) -> Response:
    """The same sheet as a workbook to print: A4 landscape, headings on every page."""
    read, found = _sheet(service, month, on, as_of, village, program, lang)
    name = f"danh-sach-chi-tra-{month}" if lang == "vi" else f"payroll-sheet-{month}"
    headers = {"Content-Disposition": f'attachment; filename="{name}.xlsx"', **read.headers()}
    return Response(sheet_xlsx(found), media_type=XLSX, headers=headers)
