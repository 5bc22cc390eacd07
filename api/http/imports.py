"""``POST /v1/imports/{layout}``: a commune's spreadsheet previewed as statements to sign.

Signed in (registrar for households, persons, benefits and the civil
registry's death list, whose rows are matched by national id in the vault;
cashier for the payroll), an officer sends the file's bytes (XLSX, or CSV as text/csv) and
gets, row by row, the statements the rows ask for, their vault records and
every problem, in Vietnamese (``?lang=en``: English). Nothing is recorded:
the officer's browser signs the statements in row order and submits them as
one JSON-lines batch to ``POST /v1/statements``. ``GET
/v1/imports/{layout}/template.xlsx`` (public) is the blank list to fill in.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api import reading
from api.http.answers import XLSX
from api.http.deps import ServiceDep, SignedInDep
from api.http.models import ErrorResponse
from api.http.roles import IDENTITY_ROLES
from api.http.wire import error_responses, read_body
from api.imports.preview import layout_of, parse
from api.imports.templates import template_csv, template_xlsx
from ledger.errors import RoleNotAllowed

router = APIRouter(prefix="/v1", tags=["imports"])
LayoutP = Annotated[
    Literal["households", "persons", "benefits", "payroll", "deaths", "settlement"],
    Path(description="Which list: households, persons, benefits, payroll, deaths, settlement"),
]
ImportLangQ = Annotated[Literal["vi", "en"], Query(description="Language of the messages")]
CSV_TYPES = ("text/csv", "text/plain", "application/csv")
UNSUPPORTED: dict[int | str, dict[str, Any]] = {
    415: {"model": ErrorResponse, "description": "UNSUPPORTED_MEDIA_TYPE: send XLSX or text/csv"}
}


class ImportProblem(BaseModel):
    column: str
    field: str
    code: str
    message: str


class ImportStatement(BaseModel):
    type: str
    body: dict[str, Any]


class PaidAfterDeath(BaseModel):
    month: str
    amount: int
    payment_id: str
    index: int


class StoppedBenefit(BaseModel):
    benefit_id: str
    program_code: str
    program_name: str
    amount: int
    last_month: str  # the month of death: the last one payable
    paid_after_death: list[PaidAfterDeath]  # recorded already: the reconciliation flags them


class DeathMatched(BaseModel):
    """A death list's row matched to a person: who, and the benefits the death stops."""

    person_id: str
    household_code: str
    person_code: str
    full_name: str
    date: str
    benefits: list[StoppedBenefit]


class ImportRow(BaseModel):
    row: int
    cells: dict[str, str]
    statements: list[ImportStatement]
    vault: list[dict[str, Any]]
    errors: list[ImportProblem]
    notes: list[ImportProblem] = []  # told, not blocking: a row skipped, a name to check
    death: DeathMatched | None = None


class ImportSummary(BaseModel):
    rows: int
    bad_rows: int
    skipped: int
    statements: int
    notes: int = 0


class ImportPreview(BaseModel):
    layout: str
    month: str | None = None
    vault_checked: bool
    rows: list[ImportRow]
    summary: ImportSummary


@router.post(
    "/imports/{layout}",
    response_model=ImportPreview,
    response_model_exclude_unset=True,
    responses=error_responses(400, 401, 403, 413) | UNSUPPORTED,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                XLSX: {"schema": {"type": "string", "format": "binary"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
async def preview_import(
    request: Request,
    service: ServiceDep,
    officer: SignedInDep,
    layout: LayoutP,
    month: Annotated[str | None, Query(max_length=7, description="Payroll month YYYY-MM")] = None,
    lang: ImportLangQ = "vi",
) -> Any:
    """Preview a spreadsheet as the statements to sign (nothing is recorded).

    Every row is checked against the ledger as it is now: its cells, codes
    and ids, duplicates in the file and in the ledger (id numbers in the
    vault, when the server holds its key: ``vault_checked``), then each
    statement against the ledger's schema. Each problem names its column,
    with a stable code and a message in `lang`. Payroll rows without an
    amount received are not paid: skipped, and counted. A death list's row
    whose id number is not in the register, or whose death is recorded, is
    skipped with a note (`notes`); a matched row shows the person and the
    benefits the death stops (`death`).
    """
    chosen = layout_of(layout, lang)
    if not officer.may(frozenset({chosen.role})) or (
        layout == "deaths" and not officer.may(IDENTITY_ROLES)
    ):
        raise RoleNotAllowed(
            f"roles: {officer.holder_id} holds {sorted(officer.roles)}; "
            f"importing {layout} needs {chosen.role}",
            field="roles",
        )
    fmt = _format_of(request.headers.get("content-type", ""))
    data = await read_body(request)
    read = await run_in_threadpool(reading.read_at, service, None)
    preview = await run_in_threadpool(parse, layout, data, fmt, read, month, lang)
    # Written out here, off the event loop: a 10,000-row preview is megabytes of
    # JSON, which FastAPI would otherwise pass through the models row by row.
    text = await run_in_threadpool(lambda: orjson.dumps(preview.to_json()))
    return Response(text, media_type="application/json")


def _format_of(content_type: str) -> str:
    kind = content_type.split(";")[0].strip().lower()
    if kind == XLSX:
        return "xlsx"
    if kind in CSV_TYPES:
        return "csv"
    raise _unsupported(content_type)


def _unsupported(content_type: str) -> HTTPException:
    message = f"Content-Type: {content_type or '(none)'}; send {XLSX} or text/csv"
    return HTTPException(415, detail={"code": "UNSUPPORTED_MEDIA_TYPE", "message": message})


@router.get(
    "/imports/{layout}/template.xlsx",
    responses={
        200: {
            "content": {XLSX: {}, "text/csv": {}},
            "description": "The blank list: XLSX, or with `format=csv` CSV (UTF-8 with BOM)",
        },
        **error_responses(400),
    },
    response_class=Response,
)
def import_template(
    layout: LayoutP,
    fmt: Annotated[Literal["xlsx", "csv"], Query(alias="format")] = "xlsx",
    lang: ImportLangQ = "vi",
) -> Response:
    """The blank list of `layout`: headers, an invented example row, a "Hướng dẫn" sheet."""
    chosen = layout_of(layout, lang)
    name = f"mau-{chosen.name}"
    if fmt == "csv":
        return Response(
            template_csv(chosen, lang),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        template_xlsx(chosen, lang),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
