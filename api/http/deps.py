"""FastAPI dependencies, named as ``Annotated`` aliases for the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.service import LedgerService


async def service_of(request: Request) -> LedgerService:
    """The ledger service behind this app (async: no thread hop to look it up)."""
    service: LedgerService = request.app.state.service
    return service


ServiceDep = Annotated[LedgerService, Depends(service_of)]
