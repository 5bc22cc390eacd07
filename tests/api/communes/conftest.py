"""The fixtures of the many-communes server's tests: two communes, one database, one server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.communes import Communes, create_communes_app
from tests.support.communes import Province, province

__all__ = ["province"]


@dataclass
class Served:
    province: Province
    communes: Communes
    client: Any  # the server's root

    def at(self, label: str) -> Any:
        """A client of one commune's address (/c/SCHEMA), on the same running server."""
        base = f"http://testserver/c/{self.province.schemas[label]}"
        return TestClient(self.client.app, base_url=base)


@pytest.fixture
def served(province: Province) -> Iterator[Served]:
    communes = province.communes(checkpoint_every_s=0.2, pool_size=4)
    with TestClient(create_communes_app(communes)) as client:
        yield Served(province, communes, client)
