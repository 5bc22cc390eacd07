"""Two communes in one PostgreSQL database, one schema each, served by one server.

Each has its own officers' keys (other seeds), vault key and notary key,
written under a keys root as ``ansinh init --keys`` would write them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.demo import statements as st
from api.http.communes import Communes
from ledger.application import LedgerApplication
from ledger.formats.keys import write_key_file
from ledger.formats.vault import VaultKey
from ledger.storage.schemas import schema_of
from tests.conftest import PG_URL, Officers, Story, new_id, scratch_schema

LABELS = ("a", "b")


class CommuneOfficers(Officers):
    """A commune's officers, with keys of their own (seeded from ``seed``)."""

    def __init__(self, ledger_id: str, seed: int) -> None:
        keys = st.seeded_keys(self.NAMES, seed)
        st.Officers.__init__(self, ledger_id, keys, f"UBND xã {ledger_id.rsplit('/', 1)[-1]}")


@dataclass
class Province:
    schemas: dict[str, str]  # label -> schema
    stories: dict[str, Story]
    vault_keys: dict[str, VaultKey]
    keys_root: Path

    def url(self, label: str) -> str:
        return f"{PG_URL}?schema={self.schemas[label]}"

    def communes(self, **kwargs: object) -> Communes:
        """The server's view of both (not started)."""
        return Communes(
            PG_URL,
            list(self.schemas.values()),
            keys_root=self.keys_root,
            **kwargs,  # type: ignore[arg-type]
        )


@contextmanager
def two_communes(keys_root: Path) -> Iterator[Province]:
    """Two opened ledgers with their officers registered, each in a schema of its own."""
    with ExitStack() as stack:
        schemas, stories, vaults = {}, {}, {}
        for n, label in enumerate(LABELS):
            url = stack.enter_context(scratch_schema())
            schema = schema_of(url)
            officers = CommuneOfficers(f"ansinh.vn/thu/xa-{label}", 1 + 40 * n)
            raw = bytes([7 + n]) * 32
            vault = VaultKey(raw)
            app = LedgerApplication(url, vault_key=vault)
            stack.callback(app.close)
            app.submit(officers.opened())
            for name in ("registrar", "approver", "cashier", "inspector"):
                app.submit(officers.register(name))
            folder = keys_root / schema
            folder.mkdir(parents=True)
            VaultKey.write(folder / "vault.key", raw)
            write_key_file(folder / "notary.key", officers.keys["notary"])
            schemas[label], stories[label], vaults[label] = schema, Story(app, officers), vault
        yield Province(schemas, stories, vaults, keys_root)


def household(province: Province, label: str, village: str = "Bản Mé") -> dict[str, object]:
    """An envelope registering a new household in commune ``label``, signed by its registrar."""
    hid = new_id()
    body = {"household_id": hid, "code": f"X-{hid[:6]}", "village": village}
    return province.stories[label].o.envelope("registrar", "household.registered", body)


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Province]:
    """Two communes in one database (see :func:`two_communes`), keys under tmp_path/keys."""
    with two_communes(tmp_path / "keys") as found:
        yield found
