"""``GET /v1/receipts/{code}``: a payroll line by its lookup code (mã tra cứu), as JSON.

The twin of the public page ``/xac-nhan/{code}`` (:mod:`api.pages.lookup`):
the same fields, no more (no name, household, village or id), for anyone.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from api.http.deps import ServiceDep
from api.http.models import Vnd
from api.pages.ask import ask_of
from api.pages.lookup import answer, book_of, find

router = APIRouter(prefix="/v1", tags=["reads"])


class ReceiptPayment(BaseModel):
    paid_on: str = Field(description="YYYY-MM-DD")
    amount: Vnd
    receipt: str = Field(description="signature | thumbprint | bank_ref | proxy")


class ReceiptOut(BaseModel):
    code: str = Field(description="the lookup code, as printed: XXXXX-XXXXX")
    ledger: str = Field(description="the ledger id")
    commune: str
    entries: int = Field(description="the entries of the log this answer was drawn from")
    program_code: str
    program_name: str
    month: str = Field(description="YYYY-MM")
    due: Vnd
    paid: Vnd
    status: str = Field(description="paid | unpaid | underpaid | overpaid | not_due")
    payments: list[ReceiptPayment]


Code = Annotated[
    str,
    Path(
        max_length=64,
        description="As printed (XXXXX-XXXXX); any case, dash optional; O read as 0, I and L as 1",
    ),
]


@router.get(
    "/receipts/{code}",
    response_model=ReceiptOut,
    responses={
        400: {"description": "INVALID_FIELD `code`: it cannot be a lookup code"},
        404: {"description": "UNKNOWN_ENTITY `code`: no payroll line has this code"},
    },
)
def receipt(request: Request, service: ServiceDep, code: Code) -> Any:
    """A payroll line (a benefit and a month) by the lookup code printed on the payroll
    sheet: the commune, program, month, amount due and what was paid, when and how it
    was acknowledged. Nothing else; anyone may ask."""
    book = book_of(ask_of(request, service))
    return answer(book, find(book, code))
