"""What every aggregate of the ledger shares."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, ClassVar, Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, CanMutateAggregate, CommandMethodDecorator
from eventsourcing.utils import get_topic

TEvent = TypeVar("TEvent", bound=CanMutateAggregate[UUID])


def read_statement(envelope: dict[str, Any]) -> dict[str, Any]:
    """The statement inside an envelope that was verified on acceptance."""
    # An envelope being accepted carries the statement it was opened to
    # (ledger.formats.dsse.Envelope); one read back from the store is decoded here.
    statement: dict[str, Any] | None = getattr(envelope, "statement", None)
    if statement is not None:
        return statement
    return _decode(envelope["payload"])


@lru_cache(maxsize=4096)
def _decode(payload: str) -> dict[str, Any]:
    # Several aggregates read the same statement as it is accepted; callers
    # only read the result, never change it.
    statement: dict[str, Any] = json.loads(base64.b64decode(payload))
    return statement


def new_event(
    event_class: type[TEvent], originator_id: UUID, version: int, at: datetime, **state: Any
) -> TEvent:
    """An event object, built the way the mapper rebuilds a stored one.

    Events are frozen dataclasses whose ``__init__`` sets each field through
    ``object.__setattr__`` and checks the id's type: a large share of a
    statement's cost when a batch holds thousands. The fields here are the
    same, in the same order, so the stored state is the same too.
    """
    event = object.__new__(event_class)
    fields = {"originator_id": originator_id, "originator_version": version, "timestamp": at}
    fields.update(state)
    object.__setattr__(event, "__dict__", fields)
    return event


class Entity(Aggregate):
    """An aggregate created and changed only by signed statements.

    ``kind`` names the entity in errors ("benefit", "payment"); ``created_by``
    is the key that signed the creating statement and ``created_holder`` the
    holder of that key, which maker-checker compares against.
    """

    kind: ClassVar[str] = "entity"

    @staticmethod
    def create_id(entity_id: UUID, index: int, envelope: dict[str, Any]) -> UUID:
        return entity_id

    @classmethod
    def create(cls, entity_id: UUID, index: int, envelope: dict[str, Any], at: datetime) -> Self:
        """The entity a statement creates, with its created event pending.

        The same as calling the class (``Payment(entity_id=..., index=...,
        envelope=...)``), less the work of rediscovering, for every call, which
        event class and parameters that means: what ``Aggregate._create`` and
        the created event's ``mutate`` do, with the event built directly.
        """
        event_class, topic = _created_event(cls)
        event = new_event(
            event_class,
            entity_id,
            cls.INITIAL_VERSION,
            at,
            originator_topic=topic,
            entity_id=entity_id,
            index=index,
            envelope=envelope,
        )
        entity = object.__new__(cls)
        entity.__base_init__(entity_id, cls.INITIAL_VERSION, at)
        entity.__init__(entity_id=entity_id, index=index, envelope=envelope)  # type: ignore[misc]
        event.apply(entity)
        entity.pending_events.append(event)
        return entity

    def _created(self, index: int, envelope: dict[str, Any]) -> dict[str, Any]:
        statement = read_statement(envelope)
        self.created_index: int = index
        self.created_by: str = statement["by"]
        body: dict[str, Any] = statement["body"]
        return body


@cache
def _created_event(cls: type[Entity]) -> tuple[type[Aggregate.Created], str]:
    """The event class that an entity's decorated ``__init__`` defines; the entity's topic."""
    decorator = vars(cls)["__init__"]
    assert isinstance(decorator, CommandMethodDecorator) and decorator.event_cls_name
    created = getattr(cls, decorator.event_cls_name)
    assert issubclass(created, Aggregate.Created)
    return created, get_topic(cls)
