"""The console's words for the FORMATS 1.3 procedures, one module per procedure."""

from __future__ import annotations

from api.officer.words import agents, allowances, grievances, reviews

MODULES = (allowances, agents, reviews, grievances)
