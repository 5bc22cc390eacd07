"""Reading the read models: the one entry point for snapshots, ``as_of`` and histories.

``snapshot(ledger, as_of=None)`` is what reports are computed from. It
first brings the projection tables up to date with the log (they catch up
when read), then loads the snapshot from them by SQL, for the current state
or any past ``as_of``. Only when the tables cannot answer (a rebuild under
way elsewhere, say) are the entries replayed into a temporary model.
``as_of`` is an entry count, or a time: what the ledger knew then
(:func:`resolve_as_of` is its one reading). :func:`history` lists the
statements naming an entity; :func:`projection_lag` says how far behind
the tables are.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from ledger.application import LedgerApplication
from ledger.domain.base import read_statement
from ledger.errors import Busy, InvalidField
from projections.model import Snapshot
from projections.tables.replay import replay
from projections.tables.runner import Projections

_PROJECTIONS: WeakKeyDictionary[LedgerApplication, Projections] = WeakKeyDictionary()


def projections(ledger: LedgerApplication) -> Projections:
    """The read models of this ledger (one per application object)."""
    found = _PROJECTIONS.get(ledger)
    if found is None:
        found = _PROJECTIONS[ledger] = Projections(ledger)
    return found


def snapshot(ledger: LedgerApplication, as_of: int | str | None = None) -> Snapshot:
    """The ledger's state after its first ``as_of`` entries (default: all).

    ``as_of`` is read as :func:`resolve_as_of` reads it (a count, or a time:
    the entries recorded by then).
    """
    end = resolve_as_of(ledger, as_of)
    tables = projections(ledger)
    with suppress(Busy):  # others keep the tables busy: the replay below still answers
        tables.catch_up()
    if tables.position() >= end:
        return tables.load_snapshot(end)
    return replay(ledger.entries(0, end), end)


def resolve_as_of(ledger: LedgerApplication, value: str | int | None) -> int:
    """The entry count an ``as_of`` names; the one reading of it for CLI, HTTP and pages.

    Empty or absent: the whole log. Digits: that many leading entries, at most
    the log's size. Otherwise an ISO 8601 time (UTC if it names no zone): the
    entries recorded by then. Anything else is ``InvalidField("as_of")``.
    """
    size = ledger.size()
    if value is None or value == "":
        return size
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
            raise InvalidField("as_of", "must not be negative")
        if not (text.isascii() and text.isdigit()):
            try:
                return index_at(ledger, text)
            except OverflowError:
                raise InvalidField("as_of", f"{value!r} is out of range") from None
        if len(text) > 18:  # past any log; said as given, not as a number
            raise InvalidField("as_of", f"{text} is beyond the log, which holds {size} entries")
        value = int(text)
    if value < 0:
        raise InvalidField("as_of", "must not be negative")
    if value > size:
        raise InvalidField("as_of", f"{value} is beyond the log, which holds {size} entries")
    return value


def projection_lag(ledger: LedgerApplication) -> tuple[int, int]:
    """(entries the read models hold, entries in the log), without catching up."""
    return projections(ledger).lag()


def index_at(ledger: LedgerApplication, timestamp: str | datetime) -> int:
    """The number of entries recorded at or before ``timestamp`` (UTC if it names no zone)."""
    tables = projections(ledger)
    tables.catch_up()
    return tables.store.count_recorded_until(recorded_at_form(timestamp))


def recorded_at_form(timestamp: str | datetime) -> str:
    """A time written as entries write ``recorded_at`` (UTC, microseconds, ``Z``)."""
    if isinstance(timestamp, str):
        try:
            timestamp = datetime.fromisoformat(timestamp)
        except ValueError:
            raise InvalidField("as_of", f"{timestamp!r} is not an ISO 8601 time") from None
    if timestamp.tzinfo is None:
        timestamp = timestamp.replace(tzinfo=UTC)
    return timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# (index, recorded_at, type, holder id of the signing key, body)
HistoryItem = tuple[int, str, str, str, dict[str, Any]]


def history(ledger: LedgerApplication, entity_id: str) -> list[HistoryItem]:
    """The statements naming ``entity_id`` (a household, person, benefit, key ...), in log order.

    The tables index (entity id, entry index) for each id a statement names,
    so this is one indexed query and a read of just those entries, however
    long the log. What is shown of each statement is read back from the log
    itself: the signed body, not a copy.
    """
    tables = projections(ledger)
    tables.catch_up()
    rows = tables.store.history_rows(entity_id)
    bodies = _bodies(ledger, [row[0] for row in rows])
    return [(*row, bodies[row[0]]) for row in rows]


def of_types(ledger: LedgerApplication, types: Sequence[str], end: int) -> list[HistoryItem]:
    """The statements of ``types`` among the first ``end`` entries, in log order (one indexed
    query, then a read of just those entries)."""
    tables = projections(ledger)
    tables.catch_up()
    rows = tables.store.type_rows(types, end)
    bodies = _bodies(ledger, [row[0] for row in rows])
    return [(*row, bodies[row[0]]) for row in rows]


def _bodies(ledger: LedgerApplication, indexes: list[int]) -> dict[int, dict[str, Any]]:
    """The statement bodies of these entries, read in runs of consecutive indexes."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][1]:
            runs[-1][1] = index + 1
        else:
            runs.append([index, index + 1])
    found: dict[int, dict[str, Any]] = {}
    for start, end in runs:
        for entry in ledger.entries(start, end):
            found[entry.index] = read_statement(entry.envelope)["body"]
    assert len(found) == len(set(indexes)), "every indexed entry is in the log"
    return found
