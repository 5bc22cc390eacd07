"""The independent verifier's checks of the FORMATS 1.3 procedures, one module per procedure."""

from __future__ import annotations

from tests.support.procedures import agents, allowances, grievances, reviews

MODULES = (allowances, agents, reviews, grievances)
ROLES = {kind: role for module in MODULES for kind, role in module.ROLES.items()}
