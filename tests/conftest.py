"""Shared fixtures: a fresh ledger on the configured backend, and officers' keys.

``ANSINH_TEST_DB=postgres`` reruns the whole suite on PostgreSQL (each test in
its own schema); the default is a SQLite file per test. Under ``CI=true`` an
unreachable PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import psycopg
import pytest

from api.demo import statements as st
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Accepted, Submission
from ledger.formats import versions as formats
from ledger.formats.vault import VaultKey, VaultRecord
from ledger.formats.versions import V1_1
from ledger.signatures import checks
from ledger.signatures import deferred as signatures

LEDGER_ID = "ansinh.vn/son-la/song-ma/chieng-en"
PG_URL = os.environ.get("ANSINH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
ON_CI = os.environ.get("CI") == "true"


def new_id() -> str:
    return str(uuid.uuid4())


def pg_available() -> bool:
    try:
        with psycopg.connect(PG_URL.split("?")[0], connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards; a ``postgresql://`` URL naming it."""
    with scratch_schema() as url:
        yield url


@contextmanager
def scratch_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for as long as the block runs (fails under CI when unreachable)."""
    if not pg_available():
        if ON_CI:
            pytest.fail(f"PostgreSQL is unreachable at {PG_URL} (CI must not skip it)")
        pytest.skip("PostgreSQL is not running here")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{PG_URL}?schema={schema}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["helper", "inline"])
def verifier_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Batches checked with the helper process, or (deferred still) in the main thread."""
    if request.param == "helper":
        assert signatures.start_helper(wait_s=30), "the signature helper did not start"
    else:
        monkeypatch.setattr(signatures, "MIN_BATCH", 10**9)
        monkeypatch.setattr(signatures, "helper_running", lambda: False)
        monkeypatch.setattr(checks, "helper_running", lambda: False)
    return str(request.param)


@pytest.fixture
def before_amendments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements accepted as before FORMATS 1.1: the software a v1 ledger was written with.

    For building the ledgers that older versions could write (an amount of
    2^53 - 1, a holder id with a zero-width space, two signatures); the
    signature helper, a process of its own, is left out of it.
    """
    monkeypatch.setattr(formats, "ACCEPTING", formats.V1)
    monkeypatch.setattr(signatures, "helper_running", lambda: False)
    monkeypatch.setattr(checks, "helper_running", lambda: False)
    monkeypatch.setattr(signatures, "MIN_BATCH", 10**9)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """A new, empty database on the backend this run tests."""
    if os.environ.get("ANSINH_TEST_DB", "sqlite") == "postgres":
        url: str = request.getfixturevalue("pg_schema")
        return url
    return str(tmp_path / "ledger.db")


class Officers(st.Officers):
    """The commune's officers with deterministic keys, signing for one ledger."""

    ROLES: ClassVar[dict[str, list[str]]] = {
        "registrar": ["registrar"],
        "approver": ["approver"],
        "cashier": ["cashier"],
        "inspector": ["inspector"],
        "registrar2": ["registrar"],
    }
    NAMES = ("authority", "notary", "registrar", "approver", "cashier", "inspector", "registrar2")

    def __init__(self, ledger_id: str = LEDGER_ID) -> None:
        super().__init__(ledger_id, st.seeded_keys(self.NAMES, 1), "UBND xã Chiềng En")

    def opened(self, formats: str | None = V1_1) -> Submission:
        """The ledger's opening, declaring ``formats`` (None: nothing, a v1 ledger)."""
        return super().opened(formats)

    def register(
        self, name: str, roles: list[str] | None = None, holder: str | None = None
    ) -> Submission:
        holder_id = holder or f"staff-{name}"
        return self.registration(name, roles or self.ROLES[name], holder_id, f"Cán bộ {name}")


class Story:
    """A ledger with its officers, and short verbs for the usual statements."""

    def __init__(self, app: LedgerApplication, officers: Officers) -> None:
        self.app = app
        self.o = officers

    def submit(self, sub: Submission) -> Accepted:
        return self.app.submit(sub)

    def household(self, village: str = "Bản Huổi") -> str:
        hid = new_id()
        body = st.household_registered(hid, f"CE-{hid[:6]}", village)
        self.submit(self.o.sub("registrar", "household.registered", body))
        return hid

    def person_sub(
        self, household_id: str, person_id: str | None = None, who: str = "registrar"
    ) -> tuple[Submission, VaultRecord]:
        pid = person_id or new_id()
        record = VaultRecord.new(pid, {"full_name": "Lò Thị Xuân", "national_id": "000000000001"})
        body = st.person_registered(pid, household_id, "head", "f", 1950, record)
        return self.o.sub(who, "person.registered", body, vault=(record,)), record

    def person(self, household_id: str) -> str:
        sub, record = self.person_sub(household_id)
        self.submit(sub)
        return record.person_id

    def program(self, kind: str = "monthly", category: str = "meritorious") -> str:
        pid = new_id()
        body = st.program_defined(pid, f"P-{pid[:4]}", "Trợ cấp thương binh", category, kind)
        self.submit(self.o.sub("authority", "program.defined", body))
        return pid

    def benefit(
        self, program_id: str, person_id: str, approve: bool = True, amount: int = 1_624_000
    ) -> str:
        bid = new_id()
        whom = {"person_id": person_id}
        body = st.benefit_proposed(bid, program_id, whom, amount, "2022-01", "Thương binh 61%")
        self.submit(self.o.sub("registrar", "benefit.proposed", body))
        if approve:
            approval = st.benefit_approved(bid, "15/QĐ-UBND", "2022-01-06")
            self.submit(self.o.sub("approver", "benefit.approved", approval))
        return bid

    def payment_body(
        self,
        benefit_id: str,
        recipient: str,
        month: str | None = "2022-01",
        amount: int = 1_624_000,
        payment_id: str | None = None,
    ) -> dict[str, Any]:
        receipt = ("signature", "ab" * 32)
        pid = payment_id or new_id()
        return st.payment_recorded(pid, benefit_id, amount, recipient, receipt, "2022-01-10", month)

    def pay(self, benefit_id: str, recipient: str, **kw: Any) -> Accepted:
        return self.submit(
            self.o.sub(
                "cashier", "payment.recorded", self.payment_body(benefit_id, recipient, **kw)
            )
        )

    def beneficiary(self) -> tuple[str, str, str]:
        """A household, its head, and an approved monthly benefit for them."""
        hid = self.household()
        pid = self.person(hid)
        bid = self.benefit(self.program(), pid)
        return hid, pid, bid


@pytest.fixture
def vault_key() -> VaultKey:
    return VaultKey(b"\x07" * 32)


@pytest.fixture
def officers() -> Officers:
    return Officers()


@pytest.fixture
def app(db_url: str, vault_key: VaultKey) -> Iterator[LedgerApplication]:
    application = LedgerApplication(db_url, vault_key=vault_key)
    yield application
    application.close()


@pytest.fixture
def story(app: LedgerApplication, officers: Officers) -> Story:
    """An opened ledger with registrar, approver, cashier and inspector registered."""
    app.submit(officers.opened())
    for name in ("registrar", "approver", "cashier", "inspector"):
        app.submit(officers.register(name))
    return Story(app, officers)


@pytest.fixture
def service(story: Story, db_url: str, vault_key: VaultKey, officers: Officers) -> Iterator[Any]:
    """The HTTP server's view of the story's ledger, holding the notary key."""
    from api.service import LedgerService

    svc = LedgerService(
        db_url, vault_key=vault_key, notary=officers.keys["notary"], checkpoint_every_s=0.2
    )
    yield svc
    svc.ledger.close()


@pytest.fixture
def client(service: Any) -> Iterator[Any]:
    """A TestClient over the app; its lifespan runs the writer and checkpoints."""
    from fastapi.testclient import TestClient

    from api.http.app import create_app

    with TestClient(create_app(service)) as test_client:
        yield test_client
