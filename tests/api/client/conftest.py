"""Fixtures of the client's tests: the story's ledger behind a real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.service import LedgerService
from tests.api.client.server import running


@pytest.fixture
def url(service: LedgerService) -> Iterator[str]:
    """The story's ledger behind a real server (notary key held: checkpoints signed)."""
    with running(service) as base:
        yield base
