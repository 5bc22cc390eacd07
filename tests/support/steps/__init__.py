"""Drafts of the FORMATS 1.3 types, one module per procedure (merged into ``drafts.BUILDERS``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.conftest import Story
    from tests.support.drafts import Draft


def builders() -> dict[str, Callable[[Story], Draft]]:
    """Every procedure module's builders (imported late: they build on ``drafts``)."""
    from tests.support.steps import agents, allowances, grievances, reviews

    merged: dict[str, Callable[[Story], Draft]] = {}
    for module in (allowances, agents, reviews, grievances):
        merged.update(module.BUILDERS)
    return merged
