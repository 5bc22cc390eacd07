"""The log, filtered as an inspector asks: who signed, which type, which entity, when.

Filters combine with AND. ``by`` is a holder id (every key it held) or a key
id, whole or its first 4 hex digits or more; ``type`` a statement type;
``entity`` an entity id or a household code (the entries that name it, read
from the history index, not by scanning the log); ``from``/``to`` dates
``YYYY-MM-DD`` on the day the statement was signed (its ``at``), in the
ledger's time zone, both ends included.

Rows stream: each entry's statement is decoded from its payload (it was
opened and its signature checked when it was accepted; ``ansinh verify``
checks them all again), never validated again here, and nothing holds the
whole log.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import orjson

from api.inspect.entities import entity_ids
from ledger.application import LedgerApplication
from ledger.domain.log import Entry
from ledger.errors import InvalidField
from ledger.formats.describe import check_type
from ledger.formats.fields import calendar_date
from projections import query

MIN_KEY_PREFIX = 4
_HEX = re.compile(r"[0-9a-f]+")


@dataclass(frozen=True)
class Row:
    """One entry as the log lists it."""

    index: int
    recorded_at: str
    type: str
    by: str  # the holder id of the signing key (a key id's first 16 hex if unknown)
    at: str  # when the statement says it was signed
    entry: Entry


@dataclass(frozen=True)
class LogFilter:
    """What to keep; None keeps everything of that kind."""

    keys: frozenset[str] | None = None
    type: str | None = None
    indexes: tuple[int, ...] | None = None  # sorted
    first_day: str | None = None
    last_day: str | None = None
    timezone: str = "UTC"

    @property
    def by_day(self) -> bool:
        return self.first_day is not None or self.last_day is not None


def check_day(value: str | None, field: str) -> str | None:
    """A date ``YYYY-MM-DD``, or an error naming the option."""
    if value is None:
        return None
    calendar_date(value, field)
    return value


def signing_keys(ledger: LedgerApplication, by: str) -> frozenset[str]:
    """The key ids ``by`` names: every key of that holder, or the key it is (a prefix)."""
    records = ledger.key_records()
    held = frozenset(k.key_id for k in records if k.holder_id == by)
    if held:
        return held
    prefix = by.strip().lower()
    if len(prefix) >= MIN_KEY_PREFIX and _HEX.fullmatch(prefix):
        matched = [k for k in records if k.key_id.startswith(prefix)]
        holders = {k.holder_id for k in matched}
        if len(holders) > 1:
            named = ", ".join(sorted(holders))
            raise InvalidField("by", f"key prefix {by!r} matches keys of {named}")
        if matched:
            return frozenset(k.key_id for k in matched)
    names = ", ".join(sorted({k.holder_id for k in records}))
    raise InvalidField(
        "by", f"no holder or key {by!r} (holders: {names}; or a key id, {MIN_KEY_PREFIX}+ hex)"
    )


def log_filter(
    ledger: LedgerApplication,
    *,
    by: str | None = None,
    type_: str | None = None,
    entity: str | None = None,
    first_day: str | None = None,
    last_day: str | None = None,
) -> LogFilter:
    """The filter the options ask for, each checked and named when it is wrong."""
    first_day = check_day(first_day, "from")
    last_day = check_day(last_day, "to")
    if first_day and last_day and first_day > last_day:
        raise InvalidField("from", f"{first_day} is after to ({last_day})")
    if type_ is not None:
        check_type(type_)
    keys = signing_keys(ledger, by) if by is not None else None
    indexes = None
    if entity is not None:
        found = {row[0] for eid in entity_ids(ledger, entity) for row in query.history(ledger, eid)}
        indexes = tuple(sorted(found))
    return LogFilter(keys, type_, indexes, first_day, last_day, ledger.charter().timezone)


def _runs(indexes: Iterable[int], start: int, end: int | None) -> Iterator[tuple[int, int]]:
    """Consecutive runs [a, b) of the indexes within [start, end)."""
    run: list[int] = []
    for i in indexes:
        if i < start or (end is not None and i >= end):
            continue
        if run and i == run[1]:
            run[1] = i + 1
        else:
            if run:
                yield run[0], run[1]
            run = [i, i + 1]
    if run:
        yield run[0], run[1]


def _entries(
    ledger: LedgerApplication, flt: LogFilter, start: int, end: int | None
) -> Iterator[Entry]:
    if flt.indexes is None:
        yield from ledger.entries(start, end)
        return
    for a, b in _runs(flt.indexes, start, end):
        yield from ledger.entries(a, b)


def signed_day(at: str, zone: ZoneInfo | None, cache: dict[str, str]) -> str:
    """The day of a signed time (RFC 3339) in the ledger's time zone."""
    if zone is None:
        return at[:10]
    found = cache.get(at[:16])
    if found is None:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
        found = cache[at[:16]] = moment.astimezone(zone).date().isoformat()
    return found


def rows(
    ledger: LedgerApplication, flt: LogFilter, start: int = 0, end: int | None = None
) -> Iterator[Row]:
    """The entries of [start, end) that pass ``flt``, in log order, one at a time."""
    holders = {k.key_id: k.holder_id for k in ledger.key_records()}
    zone = None if flt.timezone == "UTC" else ZoneInfo(flt.timezone)
    days: dict[str, str] = {}
    for entry in _entries(ledger, flt, start, end):
        statement = orjson.loads(base64.b64decode(entry.envelope["payload"]))
        by = statement["by"]
        if flt.keys is not None and by not in flt.keys:
            continue
        if flt.type is not None and statement["type"] != flt.type:
            continue
        at = str(statement["at"])
        if flt.by_day:
            day = signed_day(at, zone, days)
            if (flt.first_day and day < flt.first_day) or (flt.last_day and day > flt.last_day):
                continue
        holder = holders.get(by, by[:16])
        yield Row(entry.index, entry.recorded_at, statement["type"], holder, at, entry)
