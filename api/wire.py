"""What the routers share on the wire: reading bodies, parsing submissions, error shapes.

:func:`parse_submissions` is how a body (or a file given to ``ansinh
submit``) becomes statements: one JSON document is one submission; JSON
lines are a batch, each statement remembered with its line number so a
refusal can name it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson
from fastapi import HTTPException, Request
from pydantic import BaseModel, Field

from ledger.application import LedgerApplication, submission_from_json
from ledger.collector import collector_paused
from ledger.errors import InvalidField, LedgerError, MalformedError
from ledger.rules import Submission

JSON_LINES_TYPES = ("application/jsonl", "application/x-ndjson", "application/x-jsonlines")
_COUNT = re.compile(r"[0-9]+")


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine code, e.g. MALFORMED, BAD_SIGNATURE")
    message: str = Field(description="What was wrong, naming the field or line")


class ErrorResponse(BaseModel):
    """Every refusal: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


_STATUS_TEXT = {
    400: "Malformed request: the message names the field (or the line of a batch)",
    401: "Bad signature, or a key the ledger does not know",
    403: "Not allowed: the key's roles, maker-checker, or a revoked key",
    404: "Not found",
    409: "Conflict: a duplicate id, a replayed nonce, or a busy ledger",
    413: "The body is larger than the server accepts",
    422: "Well-formed and authorised, but the rules refuse it in the entity's state",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, all in the error shape."""
    return {s: {"model": ErrorResponse, "description": _STATUS_TEXT[s]} for s in statuses}


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(f"body: {declared} bytes; at most {limit} are accepted")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(f"body: more than {limit} bytes; at most {limit} are accepted")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(message: str) -> HTTPException:
    return HTTPException(413, detail={"code": "TOO_LARGE", "message": message})


def declares_json_lines(content_type: str | None) -> bool:
    """Whether a Content-Type header names JSON lines (a batch)."""
    media = (content_type or "").split(";")[0].strip().lower()
    return media in JSON_LINES_TYPES


def parse_submissions(
    data: bytes | str, *, json_lines: bool = False
) -> tuple[list[Submission], list[int] | None]:
    """One submission, or a batch with the line number of each statement.

    Without ``json_lines`` a body that is one JSON document (pretty-printed
    or not) is one submission; otherwise every non-empty line is one
    statement of a batch. Lines are split at ``\\n`` only: a raw U+2028 in a
    JSON string is not a line break.
    """
    with collector_paused():  # a batch's statements all stay alive: nothing to collect
        return _parse(_text(data), json_lines)


def _parse(text: str, json_lines: bool) -> tuple[list[Submission], list[int] | None]:
    if not text.strip():
        raise MalformedError("body: empty; send a DSSE envelope or JSON lines", field="body")
    if not json_lines:
        try:
            obj = _loads(text)
        except (ValueError, RecursionError):
            pass
        else:
            return [_submission(obj, None)], None
    subs: list[Submission] = []
    numbers: list[int] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = _loads(line)
        except (ValueError, RecursionError):
            raise MalformedError(f"line {n}: not valid JSON", field=f"line {n}") from None
        subs.append(_submission(obj, n))
        numbers.append(n)
    return subs, numbers


def _loads(text: str) -> object:
    """``json.loads``, by way of orjson (a few times faster) for the documents it reads.

    Where the two differ (numbers beyond 64 bits or doubles, unpaired
    surrogates, very deep nesting), orjson refuses and ``json.loads``
    decides, as it always has: the results and the errors stay the same.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedError(f"body: not UTF-8 (byte {exc.start})", field="body") from None


def _submission(obj: object, line: int | None) -> Submission:
    try:
        try:
            return submission_from_json(obj)
        except RecursionError:
            raise MalformedError("payload: nested too deeply", field="payload") from None
    except LedgerError as exc:
        if line is not None:
            exc.message = f"line {line}: {exc.message}"
        raise


def as_of_index(ledger: LedgerApplication, value: str | None) -> int | None:
    """An ``as_of`` parameter as an entry count: a count, or an ISO 8601 time."""
    if value is None or value == "":
        return None
    if _COUNT.fullmatch(value):
        return int(value)
    if value.startswith("-") and _COUNT.fullmatch(value[1:]):
        raise InvalidField("as_of", "must not be negative")
    from projections import query

    try:
        return query.index_at(ledger, value)
    except OverflowError:
        raise InvalidField("as_of", f"{value!r} is out of range") from None
