"""What the routers share on the wire: reading bodies, parsing submissions, error shapes.

:func:`parse_submissions` is how a body (or a file given to ``ansinh
submit``) becomes statements: one JSON document is one submission; JSON
lines are a batch, each statement remembered with its line number so a
refusal can name it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ledger.collector import collector_paused
from ledger.domain.acceptance import Submission, submission_from_json
from ledger.errors import LedgerError, MalformedError
from ledger.formats.dsse import check_deferred
from ledger.formats.jsontext import DuplicateKey, loads

if TYPE_CHECKING:  # `ansinh submit` reads submissions here without the web stack
    from fastapi import Request

JSON_LINES_TYPES = ("application/jsonl", "application/x-ndjson", "application/x-jsonlines")


_STATUS_TEXT = {
    400: "Malformed request: the message names the field (or the line of a batch)",
    401: "Bad signature, or a key the ledger does not know",
    403: "Not allowed: the key's roles, maker-checker, or a revoked key",
    404: "Not found",
    409: "Conflict: a duplicate id, a replayed nonce, or a busy ledger",
    413: "The body is larger than the server accepts (the message names the limit)",
    429: "Too many requests from this client: retry after `Retry-After` seconds",
    422: "Well-formed and authorised, but the rules refuse it in the entity's state",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for these error statuses, all in the error shape."""
    from api.http.models import ErrorResponse  # pydantic: the routes' modules have it

    return {s: {"model": ErrorResponse, "description": _STATUS_TEXT[s]} for s in statuses}


async def read_body(request: Request) -> bytes:
    """The request body, whole.

    The server's :class:`api.http.limits.BodyLimit` has refused it already if it
    declared more than the limit, and refuses it (413) from inside this read
    as soon as it passes the limit.
    """
    chunks = [chunk async for chunk in request.stream()]
    return b"".join(chunks)


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
        read = read_submissions(data, json_lines=json_lines)
        if isinstance(read, Batch):
            return list(read), read.numbers
        return [read], None


def read_submissions(data: bytes | str, *, json_lines: bool = False) -> Submission | Batch:
    """One submission, read now; or a batch, to be read as it is recorded.

    A batch is given to ``LedgerApplication.submit_batch`` as it is: the
    ledger reads it statement by statement, sending each one's checks to the
    signature helper at once, and anything the reading refuses is raised
    from there (nothing recorded).
    """
    text = _text(data)
    if not text.strip():
        raise MalformedError("body: empty; send a DSSE envelope or JSON lines", field="body")
    if not json_lines:
        try:
            obj = _loads(text)
        except (ValueError, RecursionError):
            pass
        else:
            # Validated by the ledger, beside the rules (with the helper running).
            return _submission(obj, None, defer_validation=True)
    return Batch(text)


class Batch:
    """The JSON lines of a body, read once, as they are taken.

    Each statement is opened with its validation deferred: the ledger
    validates it beside the rules (on the signature helper's core). A line
    the reading refuses is refused after any earlier line's own refusal, as
    if every line had been validated as it was read. ``numbers``: the line
    number of each statement read so far (a refusal of the batch names the
    position of the statement in it).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.numbers: list[int] = []
        self._read: list[Submission] = []

    def __iter__(self) -> Iterator[Submission]:
        if self.numbers:
            raise RuntimeError("a batch is read once")
        try:
            for n, line in enumerate(self.text.split("\n"), start=1):
                if not line.strip():
                    continue
                try:
                    obj = _loads(line)
                except (ValueError, RecursionError):
                    raise MalformedError(f"line {n}: not valid JSON", field=f"line {n}") from None
                except DuplicateKey as exc:
                    exc.message = f"line {n}: {exc.message}"
                    raise
                sub = _submission(obj, n, defer_validation=True)
                self._read.append(sub)
                self.numbers.append(n)
                yield sub
        except LedgerError:
            self._check_read()  # an earlier line's own refusal comes first
            raise
        finally:
            self._read = []  # kept only while reading (the ledger holds what it read)

    def _check_read(self) -> None:
        for sub, n in zip(self._read, self.numbers, strict=True):
            try:
                check_deferred(sub.signed)
            except LedgerError as exc:
                exc.message = f"line {n}: {exc.message}"
                raise


def _loads(text: str) -> object:
    """``json.loads``, by way of orjson (a few times faster) for the documents it reads.

    Where the two differ (numbers beyond 64 bits or doubles, unpaired
    surrogates, very deep nesting), orjson refuses and ``json.loads``
    decides, as it always has: the results and the errors stay the same. An
    object that repeats a key is refused (:class:`ledger.formats.jsontext.DuplicateKey`,
    MALFORMED, FORMATS 1.1).
    """
    return loads(text, "submission")


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedError(f"body: not UTF-8 (byte {exc.start})", field="body") from None


def _submission(obj: object, line: int | None, *, defer_validation: bool = False) -> Submission:
    try:
        try:
            return submission_from_json(obj, defer_validation=defer_validation)
        except RecursionError:
            raise MalformedError("payload: nested too deeply", field="payload") from None
    except LedgerError as exc:
        if line is not None:
            exc.message = f"line {line}: {exc.message}"
        raise
