"""Keeping the read models up to date: catch up, rebuild, lag.

:class:`Projections` reads the ``Log.EntryAppended`` notifications a page at
a time, turns each statement into rows of the read models (as
:data:`~projections.tables.meanings.MEANINGS` says, beside the replay's
reading, which a test holds the tables to) and writes each page
with every model's tracking position in one transaction. Each model resumes
from its own position, so a crash loses at most the page being written, and
rebuilding one model leaves the others as they are. Every entry must carry
the next index expected; anything else stops the projection.
"""

from __future__ import annotations

import time
from binascii import a2b_base64
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import orjson
from eventsourcing.persistence import IntegrityError, Notification, OperationalError
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import get_topic

from ledger.application import LedgerApplication
from ledger.collector import collector_paused
from ledger.domain.log import Log
from ledger.errors import Busy, InvalidField, LogInconsistent
from ledger.storage.mapper import entry_fields, reads_plain
from projections.model import Snapshot
from projections.tables.meanings import MEANINGS, KeyOf, Meaning, RowChange, named_ids
from projections.tables.schema import MODELS, Page
from projections.tables.store import SQLiteProjectionRecorder, StaleProjection

if TYPE_CHECKING:
    from projections.tables.postgres import PostgresProjectionRecorder

ENTRY_TOPIC = get_topic(Log.EntryAppended)
PAGE = 2000
REBUILD_PAGE = 10_000  # fewer, larger transactions when every model starts from scratch
MAX_CONFLICTS = 100
CREATE_ATTEMPTS = 5  # opening the read models' tables while another connection writes or makes them
Statement = dict[str, Any]
Progress = Callable[[int], None]


def recorder_for(
    ledger: LedgerApplication,
) -> SQLiteProjectionRecorder | PostgresProjectionRecorder:
    """The read models' recorder in the ledger's own database."""
    cls: type[SQLiteProjectionRecorder | PostgresProjectionRecorder] = SQLiteProjectionRecorder
    if not isinstance(getattr(ledger.factory, "datastore", None), SQLiteDatastore):
        from projections.tables.postgres import PostgresProjectionRecorder  # psycopg

        cls = PostgresProjectionRecorder
    for attempt in range(CREATE_ATTEMPTS):
        try:
            recorder = ledger.factory.tracking_recorder(cls)  # creates the tables if missing
            break
        except (OperationalError, IntegrityError) as exc:
            # SQLite refuses at once (no busy wait) a write in a transaction whose snapshot
            # another connection's commit made stale; PostgreSQL refuses a CREATE TYPE that
            # another connection made at the same moment (two first readers of a ledger).
            # Creating tables that may exist is idempotent, so it is tried again afresh.
            raced = isinstance(exc, IntegrityError) or "locked" in str(exc)
            if not raced or attempt == CREATE_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    assert isinstance(recorder, cls)
    return recorder


class Projections:
    """The read models of one ledger, and the work of keeping them up to date."""

    def __init__(self, ledger: LedgerApplication, page_size: int | None = None) -> None:
        """``page_size``: entries per transaction (default: PAGE, REBUILD_PAGE to rebuild)."""
        self.ledger = ledger
        self.store = recorder_for(ledger)
        self.page_size = page_size or PAGE
        self.rebuild_page_size = page_size or REBUILD_PAGE
        # Log entries are read from their stored state, without building events.
        self._plain = reads_plain(ledger.mapper)

    # -- where things stand ---------------------------------------------------
    def positions(self) -> dict[str, int]:
        """Entries each read model has projected."""
        return self.store.positions()

    def position(self) -> int:
        """Entries projected by every read model (the tables answer up to here)."""
        return min(self.store.positions().values())

    def lag(self) -> tuple[int, int]:
        """(entries projected by every read model, entries in the log)."""
        return self.position(), self.ledger.size()

    def load_snapshot(self, as_of: int | None = None) -> Snapshot:
        """The snapshot after ``as_of`` entries, from the tables as they are."""
        return self.store.load_snapshot(as_of)

    # -- the work -------------------------------------------------------------
    def rebuild(self, only: str | None = None, progress: Progress | None = None) -> int:
        """Drop the read models' rows (all, or the model ``only``) and replay the log."""
        if only is not None and only not in MODELS:
            raise InvalidField("only", f"no read model {only!r}; one of {', '.join(MODELS)}")
        models = [only] if only else list(MODELS)
        self.store.clear(models, self.ledger.name, bulk=True)
        try:
            with collector_paused():
                return self.catch_up(progress, page_size=self.rebuild_page_size)
        finally:
            self.store.build_keys(models)

    def catch_up(
        self,
        progress: Progress | None = None,
        page_size: int | None = None,
        until: int | None = None,
    ) -> int:
        """Project the entries recorded since the last run (up to entry ``until``, excluded);
        returns how many were read."""
        done = [0]
        for _ in range(MAX_CONFLICTS):
            try:
                self._run(progress, done, page_size or self.page_size, until)
                return done[0]
            except StaleProjection:
                continue  # another process moved a model: start again from where it is
        raise Busy(f"projections: gave up after {MAX_CONFLICTS} conflicts with other processes")

    def _run(
        self, progress: Progress | None, done: list[int], page_size: int, until: int | None
    ) -> None:
        app = self.ledger.name
        if not self.store.pipelined:
            for page, read, expected in self._pages(page_size, until):
                self.store.write_page(page, app)
                self._committed(None, read, expected, progress, done)
            return
        # One page is written (in its own transaction, in order) while the next
        # is read and built: the database server and Python work side by side.
        with ThreadPoolExecutor(max_workers=1) as writer:
            in_flight: tuple[Future[None], int, int] | None = None
            for page, read, expected in self._pages(page_size, until):
                if in_flight is not None:
                    self._committed(*in_flight, progress, done)
                in_flight = (writer.submit(self.store.write_page, page, app), read, expected)
            if in_flight is not None:
                self._committed(*in_flight, progress, done)

    @staticmethod
    def _committed(
        write: Future[None] | None,
        read: int,
        expected: int,
        progress: Progress | None,
        done: list[int],
    ) -> None:
        if write is not None:
            write.result()
        done[0] += read
        if progress is not None:
            progress(expected)

    def _pages(self, page_size: int, until: int | None) -> Iterator[tuple[Page, int, int]]:
        """Pages of rows to write: (page, entries read, entries projected after it)."""
        state = self.store.state(self.ledger.name)  # positions and tracking, read together
        entries = {model: done for model, (done, _) in state.items()}
        tracked = {model: notification for model, (_, notification) in state.items()}
        for model in MODELS:
            if (entries[model] == 0) != (tracked[model] == 0):
                raise LogInconsistent(
                    f"projections: model {model} has {entries[model]} entries but tracks "
                    f"notification {tracked[model]}"
                )
        keys = self.store.key_holders()
        start = min(tracked.values())
        expected = min(entries.values())
        while True:
            notifications = self.ledger.recorder.select_notifications(
                start=start, limit=page_size, topics=[ENTRY_TOPIC], inclusive_of_start=False
            )
            if until is not None:
                notifications = notifications[: max(0, until - expected)]
            if not notifications:
                return
            page = Page()
            joined: dict[str, int] = {}  # model -> index of the first entry it takes in this page
            plans: dict[str, Plan] = {}
            for n in notifications:
                index, recorded_at, envelope = self._decode(n)
                if index != expected:
                    raise LogInconsistent(
                        f"projections: entry {index} arrived where entry {expected} was expected"
                    )
                if len(joined) < len(MODELS):
                    # Models start where their own position left off: the first
                    # entry each one takes must be the one it is waiting for.
                    for model in MODELS:
                        if model not in joined and tracked[model] < n.id:
                            if entries[model] != index:
                                raise LogInconsistent(
                                    f"projections: model {model} has {entries[model]} entries; "
                                    f"entry {index} is next"
                                )
                            joined[model] = index
                    plans = {}
                expected += 1
                statement: Statement = orjson.loads(a2b_base64(envelope["payload"]))
                kind = statement["type"]
                plan = plans.get(kind)
                if plan is None:
                    plan = plans[kind] = _plan(kind, joined)
                _apply(page, index, recorded_at, statement, keys, plan)
            start = notifications[-1].id
            page.advanced = {
                m: (entries[m], entries[m] + expected - first, start) for m, first in joined.items()
            }
            for m, (_, after, _) in page.advanced.items():
                entries[m], tracked[m] = after, start
            yield page, len(notifications), expected

    def _decode(self, n: Notification) -> tuple[int, str, dict[str, Any]]:
        if self._plain:
            return entry_fields(n.state)
        event: Any = self.ledger.mapper.to_domain_event(n)
        return event.index, event.recorded_at, event.envelope


# The row changes of its model; the key it makes known; whether it makes an
# entry_meta row; whether it makes entity_history rows.
Plan = tuple[list[RowChange], KeyOf | None, bool, bool]


def _plan(kind: str, models: Iterable[str]) -> Plan:
    """What an entry of this type means for these models."""
    meaning = MEANINGS.get(kind, Meaning())
    rows, model = meaning.rows, meaning.model
    changes = [rows] if rows is not None and model is not None and model in models else []
    return changes, meaning.key, "entries" in models, "history" in models


def _apply(
    page: Page,
    index: int,
    recorded_at: str,
    s: Statement,
    keys: dict[str, str],
    plan: Plan,
) -> None:
    """One entry into the rows of the models of the plan."""
    kind, by, body = s["type"], s["by"], s["body"]
    changes, key, meta, history = plan
    if key is not None:  # the holder of each key, whichever models take this entry
        key_id, holder_id, _ = key(s)
        keys[key_id] = holder_id
    holder = keys.get(by) or f"key:{by[:16]}"
    for change in changes:
        change(page, index, holder, s, body)
    if meta:
        page.append("proj_entry_meta", (index, recorded_at, kind, holder))
    if history:
        rows = page.inserts["proj_entity_history"]
        for entity_id in named_ids(kind, body):
            rows.append((entity_id, index))


# Every entry goes to "entries" and "history"; each other model takes the types it is named by.
assert {m.model for m in MEANINGS.values() if m.model} | {"entries", "history"} == set(MODELS)
