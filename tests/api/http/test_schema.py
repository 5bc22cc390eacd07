"""The whole HTTP API against its own OpenAPI schema, with generated requests (schemathesis).

Every operation the schema declares is called with generated inputs, valid
and invalid, over a ledger holding a little of everything: no input may
make the server fail (5xx), and every answer must be one the schema
declares, in the declared content type and shape.

The schema is read at import time from an app built over no ledger (the
document does not depend on one); the calls go to an app over the module's
ledger, built once. (schemathesis's lazy ``from_fixture`` schema would do
both at once, but 4.32 does not run under pytest 9: it reads
``request.node._nodeid``, which pytest 9 no longer has.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi

from api.http.app import create_app
from api.service import LedgerService
from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
from tests.conftest import Officers, Story, scratch_schema

EXAMPLES = 25  # per operation and phase: the whole module stays well under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def module_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for the module, on the backend this run tests."""
    if os.environ.get("ANSINH_TEST_DB", "sqlite") != "postgres":
        yield str(Path(tmp_path_factory.mktemp("api-schema")) / "ledger.db")
        return
    with scratch_schema() as url:
        yield url


def record_commune(db: str, officers: Officers, vault_key: VaultKey) -> None:
    """Households in two villages, people, approved and proposed benefits, payments."""
    ledger = LedgerApplication(db, vault_key=vault_key)
    ledger.submit(officers.opened())
    for name in ("registrar", "approver", "cashier", "inspector"):
        ledger.submit(officers.register(name))
    story = Story(ledger, officers)
    program = story.program()
    for village in ("Bản Huổi", "Bản Nà"):
        hid = story.household(village)
        pid = story.person(hid)
        bid = story.benefit(program, pid)
        for month in ("2022-01", "2022-02"):
            story.pay(bid, pid, month=month)
        story.benefit(program, story.person(hid), approve=False)
    ledger.close()


@pytest.fixture(scope="module")
def api_app(module_db: str) -> Iterator[FastAPI]:
    """The app over the module's ledger; its lifespan starts with the first call."""
    officers, vault_key = Officers(), VaultKey(b"\x07" * 32)
    record_commune(module_db, officers, vault_key)
    service = LedgerService(
        module_db, vault_key=vault_key, notary=officers.keys["notary"], checkpoint_every_s=0.2
    )
    yield create_app(service)
    asgi.shutdown_lifespans()  # ends the app's lifespan, which closes the service
    service.ledger.close()


# A JSON-lines batch is text on the wire; its schema says so (a string).
schemathesis.serializer.alias(["application/jsonl", "application/x-ndjson"], "text/plain")
schema = schemathesis.openapi.from_dict(create_app(cast(LedgerService, None)).openapi())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_generated_request_fails_the_server_or_gets_an_undeclared_answer(
    case: schemathesis.Case, api_app: FastAPI
) -> None:
    case.call_and_validate(app=api_app, checks=CHECKS)
