"""The bodies of the FORMATS 1.3 types (docs/formats.md section 11), one module per procedure."""

from __future__ import annotations

from collections.abc import Mapping

from ledger.formats.fields import Check
from ledger.formats.kinds import Kinds
from ledger.formats.procedures import agents, allowances, grievances, reviews

MODULES = (allowances, agents, reviews, grievances)


def bodies(kinds: Kinds) -> dict[str, Check]:
    """Every 1.3 type's body, with the field kinds of one version."""
    merged: dict[str, Check] = {}
    for module in MODULES:
        each: Mapping[str, Check] = module.bodies(kinds)
        merged.update(each)
    return merged
