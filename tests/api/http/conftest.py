"""The fixtures of the HTTP tests: the small commune of :mod:`tests.api.http.commune`."""

from __future__ import annotations

import pytest

from tests.api.http.commune import Commune, make_commune
from tests.conftest import Story


@pytest.fixture
def commune(story: Story) -> Commune:
    return make_commune(story)
