"""The paying agents' lists and report, read from the log (FORMATS 1.3, docs/formats.md 11.3)."""

from __future__ import annotations

from typing import Any

from api.reading import Read
from projections import query
from projections.reports import agents


def agent_list(read: Read, month: str) -> tuple[bytes, int, int]:
    """The bytes, line count and total of ``month``'s list to send to a paying agent, from the
    log as read (:func:`projections.reports.agents.agent_list`)."""
    return agents.agent_list(read.snap, month)


def agents_report(read: Read, on: str | None) -> dict[str, Any]:
    """Each list sent to a paying agent within the snapshot, what the agent said of it, and
    the findings (:func:`projections.reports.agents.agents_report`)."""
    items = query.of_types(read.ledger, agents.TYPES, read.snap.as_of)
    return agents.agents_report(read.snap, items, on, read.checkpoint)
