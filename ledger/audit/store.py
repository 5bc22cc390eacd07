"""The tables a live ledger decides and answers from, checked against its log.

The log's entries are the only thing the notary signs; everything else in
the database is derived from them and trusted by the ledger when it accepts
statements or answers questions: the aggregates' events (acceptance loads
entities from them), the nonce claims (a replayed nonce is refused by them),
the Merkle node cache (proofs and roots are read from it) and the vault's
sealed records (named in reports). Anyone who can write to the database can
change those without touching an entry, so ``verify --db`` rebuilds what
each should hold from the entries and compares, naming the table and row
of the first difference.

One pass reads the event store in notification order: log entries go on
to the verifier (:func:`ledger.audit.verifier.replay_lines`), and every other
event is matched against the entry that made it (:mod:`ledger.domain.catalog`).
What the later checks need from the entries is kept compactly: 48 bytes an
entry for the nonce claims, 32 for the leaf hashes.
"""

from __future__ import annotations

import hashlib
from binascii import a2b_base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from ledger.application import LedgerApplication
from ledger.audit.verifier import VerificationFailed
from ledger.domain.catalog import CATALOG
from ledger.domain.log import LOG_ID, Entry, Log, claim_key
from ledger.formats.dsse import leaf_bytes
from ledger.storage.mapper import reads_plain
from ledger.storage.recorder import LEGACY_NONCE_TOPIC

ENTRY_TOPIC = get_topic(Log.EntryAppended)
PAGE = 5000
MAX_PROBLEMS = 20
_PLAIN_TIME = frozenset("0123456789-:.TZ")


class TableMismatch(Exception):
    """A stored table disagrees with the log: ``table`` and ``row`` say where."""

    def __init__(self, table: str, row: str, reason: str) -> None:
        super().__init__(f"{table} {row}: {reason}")
        self.table = table
        self.row = row
        self.reason = reason


@dataclass
class Checked:
    """What a table check covered: a line for the report."""

    table: str
    rows: int
    what: str


def _canonical(envelope: dict[str, Any]) -> bytes:
    """JCS of a stored envelope (every accepted one is ASCII: sorted compact JSON is JCS)."""
    canonical = orjson.dumps(envelope, option=orjson.OPT_SORT_KEYS)
    if canonical.isascii():
        return canonical
    from ledger.formats.dsse import leaf_json

    return leaf_json(envelope)


_Expected = tuple[str, bytes, str]  # topic, envelope digest, statement type
_Stored = tuple[str, bytes, int]  # topic, envelope digest, version
# What an entity's stored event holds: its class and id (first event only), the entry.
_CREATED_FIELDS = frozenset({"timestamp", "originator_topic", "entity_id", "index", "envelope"})
_CHANGED_FIELDS = frozenset({"timestamp", "index", "envelope"})
_ENTRY_FIELDS = frozenset({"timestamp", "index", "recorded_at", "envelope"})


def _readable_time(value: Any) -> bool:
    """Whether an event's stored timestamp reads back (loading the event needs it to)."""
    if type(value) is not dict or value.keys() != {"_type_", "_data_"}:
        return False
    if value["_type_"] != "datetime_iso" or type(value["_data_"]) is not str:
        return False
    try:
        datetime.fromisoformat(value["_data_"])
    except ValueError:
        return False
    return True


_COMMITTING = frozenset({"person.registered", "person.pii.updated"})
_sha256 = hashlib.sha256
_LOG_HEX = LOG_ID.hex


def _where(originator: str, version: int) -> str:
    return f"({_id_text(originator)}, version {version})"


def _id_text(originator: str) -> str:
    """An aggregate id as statements write it (or as stored, if it is no UUID)."""
    try:
        return str(UUID(originator))
    except (ValueError, TypeError):
        return repr(originator)


def _short(topic: str) -> str:
    return topic.rsplit(".", 1)[-1]


@dataclass
class StoreAudit:
    """Reads the event store once, feeding the verifier and checking the other tables."""

    ledger: LedgerApplication
    events_table: str = ""
    problems: list[TableMismatch] = field(default_factory=list)
    claims: bytearray = field(default_factory=bytearray)  # claim (16) || digest (32), by index
    commitments: dict[str, set[str]] = field(default_factory=dict)
    entry_notifications: dict[int, int] = field(default_factory=dict)  # index -> id, wanted ones
    want_notification_of: set[int] = field(default_factory=set)
    entity_events: int = 0
    cached_leaves: int = 0
    entries: int = 0
    _expected: dict[tuple[str, int], _Expected] = field(default_factory=dict)
    _stored: dict[tuple[str, int], _Stored] = field(default_factory=dict)
    _versions: dict[str, int] = field(default_factory=dict)  # aggregate (hex) -> last version

    def __post_init__(self) -> None:
        self.events_table = str(getattr(self.ledger.recorder, "events_table_name", "stored_events"))

    def problem(self, table: str, row: str, reason: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(TableMismatch(table, row, reason))

    # -- the one pass over the event store ----------------------------------------
    def leaves(self) -> Iterator[bytes]:
        """Every log entry's leaf bytes, in notification order; the other events checked."""
        recorder = self.ledger.recorder
        plain = reads_plain(self.ledger.mapper)
        position = 0
        while page := recorder.event_rows(position, PAGE):
            for notification, originator, version, topic, state in page:
                if not plain:
                    state = self._plain_state(originator, version, topic, state)
                if topic == ENTRY_TOPIC:
                    try:
                        fields = orjson.loads(state)
                        index, recorded_at, envelope = (
                            fields["index"],
                            fields["recorded_at"],
                            fields["envelope"],
                        )
                        if type(envelope) is not dict:
                            raise TypeError("envelope")
                    except (ValueError, TypeError, KeyError) as exc:
                        raise VerificationFailed(
                            f"{self.events_table} {_where(originator, version)}: cannot be "
                            f"read as a log entry ({type(exc).__name__})"
                        ) from None
                    canonical = _canonical(envelope)
                    if (
                        type(index) is int
                        and type(recorded_at) is str
                        and _PLAIN_TIME.issuperset(recorded_at)
                    ):
                        leaf = leaf_bytes(index, recorded_at, canonical)
                    else:
                        leaf = Entry(index, recorded_at, envelope).leaf
                    if fields.keys() != _ENTRY_FIELDS or not _readable_time(fields["timestamp"]):
                        self.problem(
                            self.events_table,
                            _where(originator, version),
                            "its fields are not those of a log entry (it cannot be read back)",
                        )
                    if originator != _LOG_HEX or version != index + 1:
                        # (the ledger reads its log as that stream, by version)
                        self.problem(
                            self.events_table,
                            _where(originator, version),
                            f"holds entry {index}, which belongs at version {index + 1} "
                            "of the log's stream",
                        )
                    if index in self.want_notification_of:
                        self.entry_notifications[index] = notification
                    self._entry(index, envelope, canonical)
                    yield leaf
                elif topic != LEGACY_NONCE_TOPIC:  # (older ledgers' claims, copied once)
                    self._event(originator, version, topic, state)
            position = page[-1][0]

    def _plain_state(self, originator: str, version: int, topic: str, state: bytes) -> bytes:
        """An event's state as plain JSON, from a store that encrypts or compresses it."""
        event: Any = self.ledger.mapper.to_domain_event(
            StoredEvent(UUID(originator), version, topic, state)
        )
        return orjson.dumps(
            {k: v for k, v in vars(event).items() if k in ("index", "recorded_at", "envelope")}
        )

    def _entry(self, index: int, envelope: dict[str, Any], canonical: bytes) -> None:
        """What entry ``index`` must have left in the other tables."""
        self.entries += 1
        digest = _sha256(canonical).digest()
        try:
            statement = orjson.loads(a2b_base64(envelope["payload"]))
            kind = statement["type"]
            row = CATALOG[kind]
            key, topic = (row.target(statement), index), row.topic
            claim = claim_key(statement["by"], statement["nonce"])
        except Exception:  # an invalid entry: the verifier names it
            self.claims += bytes(48)
            return
        if len(self.claims) == 48 * index:
            self.claims += claim + digest
        if kind in _COMMITTING:
            body = statement["body"]
            self.commitments.setdefault(body["person_id"], set()).add(body["pii"])
        stored = self._stored.pop(key, None)
        if stored is None:
            self._expected[key] = (topic, digest, kind)
        else:
            self._match(key, (topic, digest, kind), stored)

    def _event(self, originator: str, version: int, topic: str, state: bytes) -> None:
        self.entity_events += 1
        try:
            fields = orjson.loads(state)
            index = fields["index"]
            digest = _sha256(_canonical(fields["envelope"])).digest()
        except Exception:
            self.problem(self.events_table, _where(originator, version), "is not an entity event")
            return
        if (
            fields.keys() != (_CREATED_FIELDS if version == 1 else _CHANGED_FIELDS)
            or not _readable_time(fields["timestamp"])
        ) or (
            version == 1
            and (
                fields["originator_topic"] != topic.rpartition(".")[0]
                or fields["entity_id"] != {"_type_": "uuid_hex", "_data_": originator}
            )
        ):
            # (the aggregate's class and id come from these when it is loaded)
            self.problem(
                self.events_table,
                _where(originator, version),
                "its fields are not those acceptance writes for its aggregate",
            )
        versions = self._versions
        last = versions.get(originator, 0)
        if version != last + 1:
            self.problem(
                self.events_table,
                _where(originator, version),
                f"follows version {last} of its aggregate (events deleted or inserted)",
            )
        versions[originator] = version
        key = (originator, index)
        stored = (topic, digest, version)
        expected = self._expected.pop(key, None)
        if expected is None:
            if key in self._stored:
                self.problem(
                    self.events_table, _where(originator, version), f"a second event for {index}"
                )
            self._stored[key] = stored
        else:
            self._match(key, expected, stored)

    def _match(self, key: tuple[str, int], expected: _Expected, stored: _Stored) -> None:
        topic, digest, kind = expected
        if stored[0] != topic:
            self.problem(
                self.events_table,
                _where(key[0], stored[2]),
                f"is a {_short(stored[0])} event, but entry {key[1]} ({kind}) recorded "
                f"{_short(topic)}",
            )
        elif stored[1] != digest:
            self.problem(
                self.events_table,
                _where(key[0], stored[2]),
                f"carries another envelope than entry {key[1]}",
            )

    def finish_events(self) -> Checked:
        """After the pass: events that no entry made, entries whose event is gone."""
        for (aggregate, index), e in sorted(self._expected.items(), key=lambda kv: kv[0][1]):
            self.problem(
                self.events_table,
                f"({_id_text(aggregate)})",
                f"has no event for entry {index} ({e[2]}): the event was deleted",
            )
        for (aggregate, index), s in sorted(self._stored.items(), key=lambda kv: kv[0][1]):
            self.problem(
                self.events_table,
                _where(aggregate, s[2]),
                f"claims entry {index}, which made no such event: the row was inserted",
            )
        return Checked(
            self.events_table, self.entity_events, "aggregate events against the entries"
        )
