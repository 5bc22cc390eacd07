"""The import tests' commune: :mod:`tests.api.imports.village`."""

from __future__ import annotations

import pytest

from tests.api.imports.village import Village, make_village
from tests.conftest import Story


@pytest.fixture
def village(story: Story) -> Village:
    return make_village(story)
