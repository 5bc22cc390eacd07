"""JSON shapes of the reports' newer tables (kept apart: :mod:`api.http.models` is full)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

Vnd = Annotated[int | str, Field(description="đồng (a sum beyond 2^53 - 1: a decimal string)")]


class VillageProgram(BaseModel):
    """The reconciliation's sums for one village (thôn, bản) and program."""

    village: str
    program_id: str
    program_code: str
    program_name: str
    entitled: Vnd
    paid: Vnd
    unpaid: Vnd
    overpaid: Vnd
    entitled_count: int
    paid_count: int
    unpaid_count: int
