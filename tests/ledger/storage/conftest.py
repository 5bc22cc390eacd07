"""The writer tests' backends: PostgreSQL (its own schema) and a SQLite file shared by processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
from tests.conftest import Officers, Story
from tests.ledger.storage.backends import Backend
from tests.support.workers import VAULT_KEY


@pytest.fixture(
    params=[pytest.param("postgres", marks=pytest.mark.postgres), pytest.param("sqlite")]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """PostgreSQL (always, whatever ANSINH_TEST_DB says), or a SQLite file."""
    if request.param == "postgres":
        return Backend("postgres", request.getfixturevalue("pg_schema"), writers=8)
    return Backend("sqlite", str(tmp_path / "shared.db"), writers=4)


@pytest.fixture
def ledger(backend: Backend) -> Iterator[Story]:
    """An opened ledger with its officers' keys registered, as the ``story`` fixture."""
    app = LedgerApplication(backend.url, vault_key=VaultKey(VAULT_KEY))
    officers = Officers()
    app.submit(officers.opened())
    for name in ("registrar", "approver", "cashier", "inspector"):
        app.submit(officers.register(name))
    yield Story(app, officers)
    app.close()
