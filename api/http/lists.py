"""``GET /v1/beneficiaries``: the approved lists, public, with names as the law allows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.http.answers import PUBLIC, answer
from api.http.deps import AsOfQ, OnQ, ServiceDep
from api.http.models import BeneficiariesOut
from api.reading import approved_lists, day_of, read_at

router = APIRouter(prefix="/v1", tags=["reads"])


@router.get("/beneficiaries", response_model=BeneficiariesOut, responses=PUBLIC)
def beneficiaries(
    service: ServiceDep,
    response: Response,
    on: OnQ = None,
    as_of: AsOfQ = None,
    village: Annotated[str | None, Query(max_length=200)] = None,
    program: Annotated[str | None, Query(max_length=200, description="id or code")] = None,
) -> dict[str, Any]:
    """The approved lists: poor and near-poor households, each program's beneficiaries.

    Public, as the law allows: name, village, category, amount; never the
    national id, ethnicity, health detail or bank account.
    """
    read = read_at(service, as_of)
    doc = approved_lists(read, day_of(read.snap, on), named=True)
    listed = [r for r in doc["households"] if village in (None, r["village"])]
    benefits = [
        r
        for r in doc["beneficiaries"]
        if village in (None, r["village"]) and program in (None, r["program_id"], r["program_code"])
    ]
    found = {"on": doc["on"], "households": listed, "beneficiaries": benefits}
    return answer(read, response, found)
