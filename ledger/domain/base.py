"""What every aggregate of the ledger shares."""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate


def read_statement(envelope: dict[str, Any]) -> dict[str, Any]:
    """The statement inside an envelope that was verified on acceptance."""
    return _decode(envelope["payload"])


@lru_cache(maxsize=4096)
def _decode(payload: str) -> dict[str, Any]:
    # Several aggregates read the same statement as it is accepted; callers
    # only read the result, never change it.
    statement: dict[str, Any] = json.loads(base64.b64decode(payload))
    return statement


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

    def _created(self, index: int, envelope: dict[str, Any]) -> dict[str, Any]:
        statement = read_statement(envelope)
        self.created_index: int = index
        self.created_by: str = statement["by"]
        body: dict[str, Any] = statement["body"]
        return body
