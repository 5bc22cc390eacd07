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
from ledger.formats.versions import exact_json
from projections.reports.export import View, stamp_of, summary, to_csv, to_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


FormatQ = Annotated[Format, Query(alias="format", description="json, or a file: csv, xlsx")]
LangQ = Annotated[Literal["vi", "en"], Query(description="Headings of csv/xlsx files")]

FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "JSON, or with `format=csv|xlsx` a file to download",
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
) -> Any:
    """A report as JSON (sums beyond 2^53 - 1 as decimal strings), or a CSV or XLSX file
    named ``name`` with its headings in ``lang``."""
    doc = {**doc, **read.meta()}
    if fmt is Format.json:
        response.headers.update(read.headers())
        return exact_json(doc)
    if fmt is Format.csv:
        data, media, suffix = to_csv(views(doc, lang)).encode(), CSV, "csv"
    else:
        stamp = stamp_of(doc["as_of"]["recorded_at"])
        data = to_xlsx(views(doc, lang), summary(doc, lang), stamp, lang)
        media, suffix = XLSX, "xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{suffix}"', **read.headers()}
    return Response(data, media_type=media, headers=headers)
