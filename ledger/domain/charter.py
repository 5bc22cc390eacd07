"""The ledger itself: its identity, authority, notary and registered keys."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from ledger.domain.base import Entity, read_statement
from ledger.errors import Duplicate, InvalidField, RuleViolation, UnknownEntity
from ledger.formats.versions import INTRODUCED, ROLES_INTRODUCED, V1, at_least

NAMESPACE = UUID("5d9f3c1e-7a51-4d0b-9a8e-2f6b1c0d4e71")
CHARTER_ID = uuid5(NAMESPACE, "charter")
AUTHORITY_ROLES = ("admin", "approver")


@dataclass
class KeyRecord:
    """A key as registered: who holds it and what it may sign."""

    key_id: str
    public_key: str
    holder_id: str
    holder_name: str
    roles: list[str]
    registered_index: int
    revoked_index: int | None = None
    revoked_reason: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_index is not None


@dataclass
class _Keys:
    by_id: dict[str, KeyRecord] = field(default_factory=dict)


class Charter(Entity):
    """The ledger's opening statement and its keyring.

    Keys are few (tens per commune), so the whole keyring lives in one
    aggregate and every acceptance reads it from the cache.
    """

    kind = "ledger"

    @event("Opened")
    def __init__(self, entity_id: UUID, index: int, envelope: dict[str, Any]) -> None:
        body = self._created(index, envelope)
        statement = read_statement(envelope)
        self.ledger_id: str = statement["ledger"]
        self.name: str = body["name"]
        self.timezone: str = body["timezone"]
        self.authority_key_id: str = body["authority_key"]["id"]
        self.notary_public_key: str = body["notary_key"]["public_key"]
        self.formats: str = body.get("formats", V1)  # raised by ledger.formats.adopted
        # FORMATS 1.3 allowance.level.set: category -> {effective month: amount}
        self.levels: dict[str, dict[str, int]] = {}
        self.keys: dict[str, KeyRecord] = {
            self.authority_key_id: KeyRecord(
                key_id=self.authority_key_id,
                public_key=body["authority_key"]["public_key"],
                holder_id=f"authority:{self.authority_key_id[:16]}",
                holder_name=body["name"],
                roles=list(AUTHORITY_ROLES),
                registered_index=index,
            )
        }

    def raw_key(self, key_id: str) -> bytes | None:
        """A registered key's raw bytes, or None for a key not registered here."""
        record = self.keys.get(key_id)
        return None if record is None else raw_public_key(record.public_key)

    def check_key_new(self, key_id: str) -> None:
        if key_id in self.keys:
            raise Duplicate("body.key.id: key already registered", field="body.key.id")

    def check_key_revocable(self, key_id: str) -> None:
        target = self.keys.get(key_id)
        if target is None:
            raise UnknownEntity(f"body.key_id: no key {key_id}", field="body.key_id")
        if target.revoked:
            raise RuleViolation("body.key_id: key already revoked", field="body.key_id")
        if target.key_id == self.authority_key_id:
            raise RuleViolation(
                "body.key_id: the authority key cannot be revoked", field="body.key_id"
            )

    def check_type_allowed(self, statement_type: str) -> None:
        """Refuse a type the version this ledger follows does not have (docs/formats.md §10)."""
        needs = INTRODUCED.get(statement_type)
        if needs is not None and not at_least(self.formats, needs):
            raise InvalidField(
                "type",
                f"{statement_type} needs FORMATS {needs}; this ledger follows FORMATS "
                f"{self.formats}" + ("" if needs == "1.1" else f" (adopt {needs} first)"),
            )

    def check_roles_allowed(self, roles: list[str]) -> None:
        """Refuse a role the version this ledger follows does not have (docs/formats.md §11)."""
        for role in sorted(roles):
            needs = ROLES_INTRODUCED.get(role)
            if needs is not None and not at_least(self.formats, needs):
                raise InvalidField(
                    "body.roles",
                    f"role {role} needs FORMATS {needs}; this ledger follows FORMATS "
                    f"{self.formats} (adopt {needs} first)",
                )

    def check_adoptable(self, version: str) -> None:
        """A ledger moves only upward, to a version it does not follow yet."""
        if at_least(self.formats, version):
            raise RuleViolation(
                f"body.formats: this ledger already follows FORMATS {self.formats}",
                field="body.formats",
            )

    @event("FormatsAdopted")
    def adopt_formats(self, index: int, envelope: dict[str, Any]) -> None:
        self.formats = read_statement(envelope)["body"]["formats"]

    @event("KeyRegistered")
    def register_key(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        self.keys[body["key"]["id"]] = KeyRecord(
            key_id=body["key"]["id"],
            public_key=body["key"]["public_key"],
            holder_id=body["holder"]["id"],
            holder_name=body["holder"]["name"],
            roles=list(body["roles"]),
            registered_index=index,
        )

    @event("LevelSet")
    def set_level(self, index: int, envelope: dict[str, Any]) -> None:
        """A standard level of a category from a month on (docs/formats.md 11.2)."""
        body = read_statement(envelope)["body"]
        self.levels.setdefault(body["category"], {})[body["effective"]] = body["amount"]

    @event("KeyRevoked")
    def revoke_key(self, index: int, envelope: dict[str, Any]) -> None:
        body = read_statement(envelope)["body"]
        record = self.keys[body["key_id"]]
        record.revoked_index = index
        record.revoked_reason = body["reason"]


@lru_cache(maxsize=1024)
def raw_public_key(public_key: str) -> bytes:
    """A registered key's raw bytes, from its base64 (decoded once per key)."""
    return base64.b64decode(public_key)
