"""Fixtures of the province log: its database on the backend this run tests, and communes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.application import LedgerApplication
from ledger.formats.keys import KeyPair
from ledger.province.log import ProvinceLog
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.witness import DatabaseSource
from tests.conftest import Officers, Story, scratch_schema

PROVINCE = "ansinh.vn/son-la"
PROVINCE_KEY = KeyPair.from_seed(b"\x51" * 32)


@pytest.fixture
def province_db(tmp_path: Path) -> Iterator[str]:
    """A new database for the province log, on the backend this run tests."""
    if os.environ.get("ANSINH_TEST_DB", "sqlite") == "postgres":
        with scratch_schema() as url:
            yield url
    else:
        yield str(tmp_path / "province.db")


@pytest.fixture
def province(province_db: str) -> Iterator[ProvinceLog]:
    log = ProvinceLog.init(province_db, PROVINCE_KEY, PROVINCE)
    yield log
    log.store.close()


class Commune:
    """A commune ledger with its officers; ``grow`` adds households and signs a checkpoint."""

    def __init__(self, db: str, officers: Officers) -> None:
        self.app = LedgerApplication(db)
        self.officers = officers
        self.app.submit(officers.opened())
        self.app.submit(officers.register("registrar"))
        self.story = Story(self.app, officers)
        self.mlog = MerkleLog(self.app)

    @property
    def origin(self) -> str:
        return self.officers.ledger_id

    @property
    def notary_key(self) -> bytes:
        return self.officers.keys["notary"].public_key

    def grow(self, households: int) -> str:
        for _ in range(households):
            self.story.household()
        return self.mlog.issue(self.officers.keys["notary"]).note

    def source(self) -> DatabaseSource:
        return DatabaseSource(self.mlog)


@pytest.fixture
def communes(tmp_path: Path) -> Iterator[dict[str, Commune]]:
    """Two communes of the province (SQLite ledgers: the commune side is not under test)."""
    made = {
        "chieng-en": Commune(
            str(tmp_path / "chieng-en.db"), Officers("ansinh.vn/son-la/song-ma/chieng-en")
        ),
        "muong-lam": Commune(
            str(tmp_path / "muong-lam.db"), Officers("ansinh.vn/son-la/song-ma/muong-lam")
        ),
    }
    yield made
    for commune in made.values():
        commune.app.close()
