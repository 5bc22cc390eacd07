"""Before signing: the statement types described for forms, and a draft checked.

``GET /v1/types`` describes each type's body (fields, kinds, bounds,
which fields are ids, the roles that may sign it), read from the ledger's
own schemas (:func:`ledger.drafts.statement_types`). ``POST
/v1/statements/check`` tells a form everything wrong with a draft at once:
every problem of its shape, then, once it is well formed, what the ledger's
rules say against its current state, in the codes and messages acceptance
gives (:func:`ledger.drafts.check_draft`). Both are public: they tell
nothing the log and ``/v1/keys`` do not, and nothing is recorded.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.http import wire
from api.http.deps import ServiceDep
from ledger.drafts import check_draft, statement_types

router = APIRouter(prefix="/v1", tags=["drafts"])


class StatementTypeOut(BaseModel):
    type: str = Field(examples=["payment.recorded"])
    roles: list[str] = Field(
        description="One of which the signer's key must hold (empty: self-signed)"
    )
    ids: list[str] = Field(description="The paths of the body fields that name ids")
    fields: list[dict[str, Any]] = Field(
        description=(
            "The body's fields in order, an object's own after it: `{path, kind, optional, id, "
            "example}`, with `values` (enum, set), `max_chars` (text), `min`/`max` (money, "
            "integer), `pattern`, `chars` where they bound the field. Kinds: uuid, text, "
            "short_text, long_text, money, month, date, integer, enum, set, sha256_hex, "
            "base64_32, key_id, holder_id, timezone, receipt_code, object"
        ),
        examples=[
            [
                {"path": "amount", "kind": "money", "optional": False, "id": False, "min": 0,
                 "max": 10**12, "example": 100000},
                {"path": "method", "kind": "enum", "optional": False, "id": False,
                 "values": ["bank", "cash", "post"], "example": "bank"},
            ]
        ],
    )  # fmt: skip
    rules: list[dict[str, Any]] = Field(
        description=(
            "Rules across fields, `{rule, fields}`: exactly_one_of (name one, not both), "
            "not_before (the first, when given, not before the second), sha256_of"
        )
    )


class TypesOut(BaseModel):
    types: list[StatementTypeOut]


_DRAFT_EXAMPLE: dict[str, Any] = {
    "type": "payment.recorded",
    "by": "34750f98bd59fcfc946da45aaabe933be154a4b5094e1c4abf42866505f3c97e",
    "body": {
        "payment_id": "6f1c2a4e-0d3b-4c8e-9a71-2b5d8e0f4c13",
        "benefit_id": "0b8e7d52-3f1a-4e29-8c64-9d2f1a7b5e30",
        "month": "2022-01",
        "amount": 1_624_000,
        "paid_on": "2022-01-10",
        "method": "cash",
        "recipient": "c3a9e1f0-5b27-4d8c-a6e4-71f2d0b9c855",
        "receipt": {"kind": "signature", "evidence": "ab" * 32},
    },
}


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_DRAFT_EXAMPLE]})

    type: str = Field(examples=["payment.recorded"])
    body: dict[str, Any] = Field(description="The body as it would be signed")
    by: str | None = Field(
        None,
        description="The signer's key id: its roles, and maker-checker, are then checked too",
    )
    vault: list[dict[str, Any]] | None = Field(
        None, description="Personal-data records, as `POST /v1/statements` takes them"
    )


class Problem(BaseModel):
    field: str = Field(examples=["body.amount"])
    code: str = Field(examples=["INVALID_FIELD"])
    message: str = Field(examples=["body.amount: must be between 0 and 1000000000000"])


class CheckOut(BaseModel):
    ok: bool = Field(description="No problem: signed now, the ledger would accept it")
    problems: list[Problem] = Field(description="What the ledger would refuse it for")
    warnings: list[Problem] = Field(
        description="What the ledger would record but reconciliation report (its anomaly code)"
    )


@cache
def _types() -> dict[str, Any]:
    return {"types": statement_types()}


@router.get("/types", response_model=TypesOut, summary="The statement types, for forms")
def types() -> dict[str, Any]:
    """Each statement type: the roles that may sign it, its body's fields and rules."""
    return _types()


@router.post(
    "/statements/check",
    response_model=CheckOut,
    summary="Check a draft statement before signing it",
    responses=wire.error_responses(400, 404),
)
def check(draft: DraftIn, service: ServiceDep) -> CheckOut:
    """Every problem of a draft at once; nothing is recorded.

    First every problem of the body's shape (the server gives the draft
    this ledger's id, the time now and a fresh nonce); then, only if it is
    well formed, what acceptance would say now: the signer (`by`, when
    given: registered, not revoked, holding a role of the type), the
    entities it names, maker-checker, the vault records against `pii`.
    The signature is not checked. An unknown `type` is `400
    INVALID_FIELD`, naming the nearest types.
    Warnings: what the ledger would record but reconciliation report (a
    payment of a benefit not approved, `NO_APPROVED_BENEFIT`).
    """
    said = check_draft(service.ledger, draft.type, draft.body, by=draft.by, vault=draft.vault)
    return CheckOut(
        ok=not said.problems,
        problems=[
            Problem(field=p.field or "statement", code=p.code, message=p.message)
            for p in said.problems
        ],
        warnings=[Problem(field=w.field, code=w.code, message=w.message) for w in said.warnings],
    )
