"""Bodies of the FORMATS 1.3 types of one procedure.

Poverty review rounds: assessments, the village meeting, public posting,
objections, recognition (docs/formats.md 11.4).
"""

from __future__ import annotations

from collections.abc import Mapping

from ledger.formats.fields import Check
from ledger.formats.kinds import Kinds

TYPES: tuple[str, ...] = ()
"""The types this module gives bodies to, as listed in ``versions.INTRODUCED``."""


def bodies(kinds: Kinds) -> Mapping[str, Check]:
    """The body of each type, with the field kinds of one version."""
    return {}
