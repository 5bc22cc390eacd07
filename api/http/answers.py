"""How the reads answer: what they were computed from, and reports as files.

Every read states what it was computed from (``as_of``, ``checkpoint``,
``projection``; headers ``X-Ansinh-Log-Size`` and
``X-Ansinh-Projection-Behind``). A report (payroll, reconciliation) is JSON,
or with ``format=csv|xlsx`` a file to download.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, Literal

from fastapi import Query, Response

from api.http import wire
from api.http.models import ErrorResponse
from api.reading import Read
from api.sheets.pdf import to_pdf
from api.sheets.report import report_xlsx
from ledger.formats.versions import exact_json
from projections.reports.export import View, table_of, to_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    pdf = "pdf"


FormatQ = Annotated[
    Format, Query(alias="format", description="json, or a file: csv, xlsx, pdf (xlsx printed)")
]
LangQ = Annotated[Literal["vi", "en"], Query(description="Headings of csv/xlsx files")]
TableQ = Annotated[
    str | None,
    Query(
        max_length=60,
        description="csv: the table to download (one a file; by name, e.g. `programs`, "
        "`villages`, `funds`, `anomalies`); default the report's first",
    ),
]

FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
            PDF: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "JSON, or with `format=csv|xlsx|pdf` a file to download",
    }
}
PUBLIC = wire.error_responses(400, 404)
SIGNED = wire.error_responses(400, 401, 403, 404)  # a token, when given, must be good
ERASED: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorResponse, "description": "ERASED: the log keeps only the commitment"}
}
# A token is optional here: without one the answer is masked. In OpenAPI, an
# empty requirement beside the bearer one says so.
ANONYMOUS_TOO: dict[str, Any] = {"security": [{}]}


def answer(read: Read, response: Response, doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` with what it was computed from, and the headers saying how current it is."""
    response.headers.update(read.headers())
    return {**doc, **read.meta()}


def report(
    read: Read,
    response: Response,
    doc: dict[str, Any],
    views: Callable[[dict[str, Any], str], list[View]],
    fmt: Format,
    lang: str,
    name: str,
    *,
    kind: str,
    table: str | None = None,
) -> Any:
    """A report as JSON (sums beyond 2^53 - 1 as decimal strings), or a file named ``name``
    with its headings in ``lang``: one ``table`` as CSV (UTF-8 with a byte order mark), or
    the report ``kind`` laid out to hand in as XLSX (:mod:`api.sheets.report`), or that
    workbook printed to PDF (:mod:`api.sheets.pdf`)."""
    doc = {**doc, **read.meta()}
    if fmt is Format.json:
        response.headers.update(read.headers())
        return exact_json(doc)
    if fmt is Format.csv:
        tables = views(doc, lang)
        chosen = tables[0] if table is None else table_of(tables, table)
        name = name if table is None else f"{name}-{chosen.name}"
        data, media, suffix = to_csv(chosen), CSV, "csv"
    else:
        data, media, suffix = report_xlsx(kind, doc, views(doc, lang), lang), XLSX, "xlsx"
        if fmt is Format.pdf:
            data, media, suffix = to_pdf(data, name, lang), PDF, "pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{suffix}"', **read.headers()}
    return Response(data, media_type=media, headers=headers)
