"""How the ledger's events are stored: the stock mapper, with a shortcut for its own events."""

from __future__ import annotations

from datetime import datetime
from json.encoder import encode_basestring
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoder,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from ledger.formats.dsse import Envelope


class LedgerMapper(Mapper[UUID]):
    """The stock mapper, with a shortcut for the ledger's own events.

    The events an acceptance writes hold only strings, integers, UUIDs, a
    timestamp and an accepted envelope, whose canonical JSON is already known.
    Their state is written here as exactly the bytes the stock JSON transcoder
    writes (keys in the event's order, ``ensure_ascii=False``, compact, UUIDs
    and datetimes in its ``_type_``/``_data_`` form; an accepted envelope's
    keys are in canonical order, so its canonical bytes are its stock
    encoding). Anything else, and every read, takes the stock path.
    """

    def __init__(
        self,
        transcoder: Transcoder,
        compressor: Compressor | None = None,
        cipher: Cipher | None = None,
    ) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self._plain = (
            cipher is None
            and compressor is None
            and isinstance(transcoder, JSONTranscoder)
            and isinstance(transcoder.types.get(UUID), UUIDAsHex)
            and isinstance(transcoder.types.get(datetime), DatetimeAsISO)
        )

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        cls = type(domain_event)
        topic = _topics.get(cls)
        if topic is None:
            topic = _topics[cls] = get_topic(cls) if getattr(cls, "class_version", 1) == 1 else ""
        if self._plain and topic:
            fields = vars(domain_event)
            state = _encode_state(fields)
            if state is not None:
                # StoredEvent(...), less its frozen dataclass's __init__
                stored = object.__new__(StoredEvent)
                object.__setattr__(
                    stored,
                    "__dict__",
                    {
                        "originator_id": fields["originator_id"],
                        "originator_version": fields["originator_version"],
                        "topic": topic,
                        "state": state,
                    },
                )
                return stored
        return super().to_stored_event(domain_event)


_topics: dict[type, str] = {}  # an event class's topic; "" if it has upcasting to do


def reads_plain(mapper: Mapper[UUID]) -> bool:
    """Whether stored states are plain JSON (nothing encrypted or compressed).

    Then a log entry's fields can be read from its stored state directly,
    without building the event (:func:`entry_fields`).
    """
    return (
        mapper.cipher is None
        and mapper.compressor is None
        and isinstance(mapper.transcoder, JSONTranscoder)
    )


def entry_fields(state: bytes) -> tuple[int, str, dict[str, Any]]:
    """A stored log entry's index, ``recorded_at`` and envelope (see :func:`reads_plain`)."""
    fields = orjson.loads(state)
    return fields["index"], fields["recorded_at"], fields["envelope"]


def _encode_state(state: dict[str, Any]) -> bytes | None:
    """What ``JSONTranscoder.encode`` gives for an event's state, or None to let it decide."""
    global _last_stamp
    parts = []
    for key, value in state.items():
        kind = type(value)
        if kind is str:
            if key == "originator_id":
                continue
            text = encode_basestring(value)
        elif kind is int:
            if key == "originator_version":
                continue
            text = int.__repr__(value)
        elif kind is Envelope:
            text = value.canonical.decode()
        elif kind is datetime:
            # The events of one submission share one timestamp: format it once.
            stamp = _last_stamp
            if stamp[0] is not value:
                stamp = _last_stamp = (value, _DATETIME % encode_basestring(value.isoformat()))
            text = stamp[1]
        elif kind is UUID:
            if key == "originator_id":
                continue
            text = _UUID % value.hex
        else:
            return None
        prefix = _prefixes.get(key)
        if prefix is None:
            prefix = _prefixes[key] = f"{encode_basestring(key)}:"
        parts.append(prefix + text)
    return ("{" + ",".join(parts) + "}").encode()


_DATETIME = '{"_type_":"datetime_iso","_data_":%s}'
_UUID = '{"_type_":"uuid_hex","_data_":"%s"}'
_prefixes: dict[str, str] = {}
_last_stamp: tuple[datetime | None, str] = (None, "")
