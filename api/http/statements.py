"""``POST /v1/statements``: officers' signed statements into the ledger.

The body is read raw (a batch can be large, and JSON lines are not one JSON
document; the server refuses one over its limit before reading it whole,
:mod:`api.http.limits`), parsed by :func:`api.http.wire.parse_submissions`, and recorded: one
statement through the service's group-commit writer, a batch as one
all-or-nothing transaction. Refusals propagate to the one error mapping in
:mod:`api.http.app`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.http import wire
from api.http.deps import ServiceDep
from api.http.models import BatchRecorded, Recorded, RecordedEntry
from api.service import LedgerService
from ledger.errors import BatchError
from ledger.formats.dsse import make_statement, sign_statement
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultRecord

INLINE_PARSE_BYTES = 16 * 1024  # larger bodies are parsed in the threadpool

router = APIRouter(prefix="/v1", tags=["statements"])


def _examples() -> dict[str, Any]:
    """Realistic request bodies, signed with example keys (the server will not know them)."""
    ledger_id = "ansinh.vn/son-la/song-ma/chieng-en"
    cashier = KeyPair.from_seed(b"\x2a" * 32)
    registrar = KeyPair.from_seed(b"\x2b" * 32)
    payment = sign_statement(
        make_statement(
            ledger_id,
            "payment.recorded",
            {
                "payment_id": "6f1c2a4e-0d3b-4c8e-9a71-2b5d8e0f4c13",
                "benefit_id": "0b8e7d52-3f1a-4e29-8c64-9d2f1a7b5e30",
                "amount": 1_624_000,
                "month": "2022-01",
                "paid_on": "2022-01-10",
                "method": "cash",
                "recipient": "c3a9e1f0-5b27-4d8c-a6e4-71f2d0b9c855",
                "receipt": {"kind": "signature", "evidence": "ab" * 32},
            },
            cashier.key_id,
            at="2022-01-10T02:15:00Z",
            nonce="5e0c1b7a9d3f4e2a8b6c0d1e2f3a4b5c",
        ),
        cashier,
    )
    record = VaultRecord(
        "c3a9e1f0-5b27-4d8c-a6e4-71f2d0b9c855",
        bytes(range(32)),
        {"full_name": "Lường Văn Pấng", "national_id": "014000000123"},
    )
    person = sign_statement(
        make_statement(
            ledger_id,
            "person.registered",
            {
                "person_id": record.person_id,
                "household_id": "9a2b4c6d-8e0f-4a1b-9c3d-5e7f9a1b3c5d",
                "relation": "head",
                "sex": "m",
                "birth_year": 1948,
                "pii": record.commitment,
            },
            registrar.key_id,
            at="2022-01-03T01:30:00Z",
            nonce="a1b2c3d4e5f60718293a4b5c6d7e8f90",
        ),
        registrar,
    )
    with_vault = {"envelope": person, "vault": [record.to_json()]}
    batch = json.dumps(with_vault, ensure_ascii=False) + "\n" + json.dumps(payment) + "\n"
    return {
        "json": {
            "envelope": {"summary": "One signed statement (DSSE envelope)", "value": payment},
            "with_vault": {
                "summary": "A statement with the personal-data record it commits to",
                "value": with_vault,
            },
        },
        "jsonl": {
            "batch": {
                "summary": "A batch: one statement per line, recorded all or nothing",
                "value": batch,
            }
        },
    }


_ENVELOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "DSSE envelope (FORMATS §3)",
    "required": ["payloadType", "payload", "signatures"],
    "properties": {
        "payloadType": {"type": "string", "example": "application/vnd.ansinh.statement+json"},
        "payload": {"type": "string", "description": "base64 of JCS(statement)"},
        "signatures": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["keyid", "sig"],
                "properties": {"keyid": {"type": "string"}, "sig": {"type": "string"}},
            },
        },
    },
}
_WITH_VAULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Envelope with personal-data records (FORMATS §5)",
    "required": ["envelope"],
    "properties": {
        "envelope": _ENVELOPE_SCHEMA,
        "vault": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["person_id", "salt", "record"],
                "properties": {
                    "person_id": {"type": "string"},
                    "salt": {"type": "string", "description": "base64 of 32 random bytes"},
                    "record": {"type": "object"},
                },
            },
        },
    },
}


def _request_body() -> dict[str, Any]:
    examples = _examples()
    lines = {
        "schema": {"type": "string", "description": "One submission (JSON) per line"},
        "examples": examples["jsonl"],
    }
    return {
        "requestBody": {
            "required": True,
            "description": (
                "A DSSE envelope; or `{envelope, vault}` when the statement commits to "
                "personal data; or JSON lines (`application/jsonl`), a batch recorded "
                "all or nothing. At most 16 MiB unless the server says otherwise "
                "(`ansinh serve --max-body-mb`); larger bodies are refused with 413 "
                "before they are read."
            ),
            "content": {
                "application/json": {
                    "schema": {"anyOf": [_ENVELOPE_SCHEMA, _WITH_VAULT_SCHEMA]},
                    "examples": examples["json"],
                },
                "application/jsonl": lines,
                "application/x-ndjson": lines,
            },
        }
    }


@router.post(
    "/statements",
    status_code=201,
    response_model=None,
    summary="Submit a signed statement, or a JSON-lines batch",
    responses={
        200: {
            "model": Recorded | BatchRecorded,
            "description": "Already recorded: the same envelope's entry (nothing new)",
        },
        201: {
            "model": Recorded | BatchRecorded,
            "description": "Recorded: one statement, or every line of a batch",
        },
        **wire.error_responses(400, 401, 403, 404, 409, 413, 422),
    },
    openapi_extra=_request_body(),
)
async def submit_statements(request: Request, service: ServiceDep) -> JSONResponse:
    """Record one statement (201; 200 if it was already recorded), or a batch.

    A batch (JSON lines) is one transaction: every line is recorded, or none
    is and the error names the line. Its answer is 201 when anything was
    new, 200 when every line was already recorded.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) <= INLINE_PARSE_BYTES:
        return await _submit(request, service)
    # A batch (or a body of unknown size): it waits its turn before it is read,
    # so that the bodies held in memory at once stay few (api.http.limits).
    turn: asyncio.Semaphore = request.app.state.batch_turns
    async with turn:
        return await _submit(request, service)


async def _submit(request: Request, service: LedgerService) -> JSONResponse:
    data = await wire.read_body(request)  # within the server's limit (api.http.limits)
    json_lines = wire.declares_json_lines(request.headers.get("content-type"))
    if len(data) <= INLINE_PARSE_BYTES:  # one statement parses faster than a thread hop
        read = wire.read_submissions(data, json_lines=json_lines)
    else:
        read = await run_in_threadpool(wire.read_submissions, data, json_lines=json_lines)
    del data  # the text is all the reading needs
    if not isinstance(read, wire.Batch):
        one = await asyncio.wrap_future(service.submit_later(read))
        answer = Recorded(index=one.index, leaf_hash=one.leaf_hash)
        return JSONResponse(answer.model_dump(), status_code=201 if one.created else 200)
    try:
        results = await run_in_threadpool(service.submit_batch, read)  # read as it is recorded
    except BatchError as exc:
        exc.message = f"line {read.numbers[exc.position]}: {exc.cause.message} (nothing recorded)"
        raise
    batch = BatchRecorded(
        entries=[
            RecordedEntry(index=r.index, leaf_hash=r.leaf_hash, created=r.created) for r in results
        ]
    )
    created = any(r.created for r in results)
    return JSONResponse(batch.model_dump(), status_code=201 if created else 200)
