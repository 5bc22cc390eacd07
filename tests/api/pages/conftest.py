"""The fixtures of the public pages' tests: the commune of :mod:`tests.api.pages.commune`."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.pages.commune import make_commune
from tests.conftest import Story


@pytest.fixture
def commune(story: Story) -> dict[str, Any]:
    return make_commune(story)
