"""What the ledger knows of one statement type: a row of the catalog.

The catalog is :mod:`ledger.domain.catalog`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from eventsourcing.utils import get_topic

from ledger.domain import handlers as rules
from ledger.domain.base import Entity

Statement = dict[str, Any]
AggregateOf = Callable[[Statement], str]
"""The id of the aggregate a statement changes, as 32 hex digits (``UUID.hex``)."""
IdField = str | tuple[str, str]
"""A body field that names an id: its name, or (object, field) for one inside an object."""


@dataclass(frozen=True)
class StatementType:
    """What the ledger knows of one statement type."""

    name: str
    roles: frozenset[str] | None  # one of which the author's key holds; None: self-signed
    ids: tuple[IdField, ...]  # the body fields that name ids
    aggregate: type[Entity]  # the aggregate it creates or changes
    event: str  # the event it records there
    target: AggregateOf  # the id of that aggregate
    rule: rules.Handler | None  # what it requires of the state; None: opens the ledger

    @cached_property
    def topic(self) -> str:
        """The topic of the event it stores."""
        return get_topic(getattr(self.aggregate, self.event))


def body_id(field: str) -> AggregateOf:
    """The aggregate named by a body field."""
    # Ids in statements are lowercase UUIDs (the schema checks): without the
    # dashes they are the UUID's hex.
    return lambda s: s["body"][field].replace("-", "")


def row(
    name: str,
    role: str | None,
    ids: tuple[IdField, ...],
    aggregate: type[Entity],
    event: str,
    target: AggregateOf,
    rule: rules.Handler | None,
) -> tuple[str, StatementType]:
    """One catalog row: ``role`` is the one role the author's key must hold (None: self-signed)."""
    roles = None if role is None else frozenset({role})
    return name, StatementType(name, roles, ids, aggregate, event, target, rule)
