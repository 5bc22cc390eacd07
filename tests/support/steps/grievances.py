"""Drafts of this procedure's FORMATS 1.3 types, each with its prerequisites recorded."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Story
from tests.support.drafts import Draft

BUILDERS: dict[str, Callable[[Story], Draft]] = {}
