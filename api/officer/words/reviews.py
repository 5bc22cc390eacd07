"""The console's words for one FORMATS 1.3 procedure.

Poverty review rounds: assessments, the village meeting, public posting,
objections, recognition (docs/formats.md 11.4).

Merged into :mod:`api.officer.labels` (same shapes as its tables).
"""

from __future__ import annotations

from api.officer.label import Label

TYPES: dict[str, Label] = {}
FIELDS: dict[str, Label] = {}
BY_TYPE: dict[str, dict[str, Label]] = {}
VALUES: dict[str, dict[str, tuple[str, str]]] = {}
