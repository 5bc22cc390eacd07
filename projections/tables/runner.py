"""Keeping the read models up to date: catch up, rebuild, lag.

:class:`Projections` reads the ``Log.EntryAppended`` notifications a page at
a time, turns each statement into rows of the read models (the meaning is
:mod:`projections.tables.replay`'s, which a test holds it to) and writes each page
with every model's tracking position in one transaction. Each model resumes
from its own position, so a crash loses at most the page being written, and
rebuilding one model leaves the others as they are. Every entry must carry
the next index expected; anything else stops the projection.
"""

from __future__ import annotations

from binascii import a2b_base64
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import orjson
from eventsourcing.persistence import Notification
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import get_topic

from ledger.application import LedgerApplication
from ledger.collector import collector_paused
from ledger.domain.log import Log
from ledger.errors import Busy, InvalidField, LogInconsistent
from ledger.storage.mapper import entry_fields, reads_plain
from projections.model import Snapshot
from projections.tables.history import named_ids
from projections.tables.store import (
    CHANGING,
    COLUMNS,
    MODELS,
    TABLES,
    UPDATES,
    PostgresProjectionRecorder,
    ProjectionRecorder,
    SQLiteProjectionRecorder,
    StaleProjection,
)

ENTRY_TOPIC = get_topic(Log.EntryAppended)
PAGE = 2000
REBUILD_PAGE = 10_000  # fewer, larger transactions when every model starts from scratch
MAX_CONFLICTS = 100
Statement = dict[str, Any]
Handler = Callable[["Page", int, str, Statement], None]
Progress = Callable[[int], None]
_POSITIONS = {k: tuple(map(COLUMNS[t].index, cols)) for k, (t, cols, _) in UPDATES.items()}


class Page:
    """The rows one page of entries adds and changes, and where each model gets to.

    Rows are in ``COLUMNS`` order; those of tables that later entries change
    are lists with their key first, changed in place while the page is built.
    """

    def __init__(self) -> None:
        self.inserts: dict[str, list[Sequence[Any]]] = {table: [] for table in TABLES}
        self.updates: dict[str, list[tuple[Any, ...]]] = {kind: [] for kind in UPDATES}
        # model -> (entries seen before the page, entries after it, last notification id)
        self.advanced: dict[str, tuple[int, int, int]] = {}
        self._pending: dict[str, dict[Any, list[Any]]] = {t: {} for t in CHANGING}

    def append(self, table: str, row: Sequence[Any]) -> None:
        self.inserts[table].append(row)

    def add(self, table: str, row: list[Any]) -> None:
        """A row that later entries of the page may change."""
        self.inserts[table].append(row)
        self._pending[table][row[0]] = row

    def change(self, kind: str, key: Any, *values: Any) -> None:
        """Change a row: in place if this page adds it, else by an UPDATE."""
        row = self._pending[UPDATES[kind][0]].get(key)
        if row is None:
            self.updates[kind].append((*values, key))
            return
        for position, value in zip(_POSITIONS[kind], values, strict=True):
            row[position] = value


def recorder_for(ledger: LedgerApplication) -> ProjectionRecorder:
    """The read models' recorder in the ledger's own database."""
    sqlite = isinstance(getattr(ledger.factory, "datastore", None), SQLiteDatastore)
    cls = SQLiteProjectionRecorder if sqlite else PostgresProjectionRecorder
    recorder = ledger.factory.tracking_recorder(cls)
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


Plan = tuple[list[Handler], bool, bool]  # handlers; entry_meta row; entity_history rows


def _plan(kind: str, models: Iterable[str]) -> Plan:
    """What an entry of this type means for these models."""
    handlers = [HANDLERS[m][kind] for m in models if kind in HANDLERS[m]]
    return handlers, "entries" in models, "history" in models


def _apply(
    page: Page,
    index: int,
    recorded_at: str,
    s: Statement,
    keys: dict[str, str],
    plan: Plan,
) -> None:
    """One entry into the rows of the models of the plan."""
    kind, by = s["type"], s["by"]
    if kind == "ledger.opened":
        keys[by] = f"authority:{by[:16]}"
    elif kind == "key.registered":
        keys[s["body"]["key"]["id"]] = s["body"]["holder"]["id"]
    holder = keys.get(by) or f"key:{by[:16]}"
    handlers, meta, history = plan
    for handler in handlers:
        handler(page, index, holder, s)
    if meta:
        page.append("proj_entry_meta", (index, recorded_at, kind, holder))
    if history:
        rows = page.inserts["proj_entity_history"]
        for entity_id in named_ids(kind, s["body"]):
            rows.append((entity_id, index))


# -- what each statement means for each read model (as in projections.tables.replay) ----
def _fields(body: Statement, *names: str) -> list[Any]:
    return [body.get(name) for name in names]


def _opened(p: Page, i: int, h: str, s: Statement) -> None:
    p.append("proj_ledger", (i, s["ledger"], s["body"]["name"]))
    p.append("proj_holders", (s["by"], f"authority:{s['by'][:16]}", s["body"]["name"], i))


def _key_registered(p: Page, i: int, h: str, s: Statement) -> None:
    key, holder = s["body"]["key"], s["body"]["holder"]
    p.append("proj_holders", (key["id"], holder["id"], holder["name"], i))


def _household(p: Page, i: int, h: str, s: Statement) -> None:
    p.append("proj_households", (*_fields(s["body"], "household_id", "code", "village"), i))


def _person(p: Page, i: int, h: str, s: Statement) -> None:
    b = s["body"]
    p.add("proj_people", [*_fields(b, "person_id", "relation", "sex", "birth_year"), i, None, None])
    p.append("proj_person_moves", (b["person_id"], i, b["household_id"]))
    p.append("proj_person_pii", (b["person_id"], i, b["pii"]))


def _pii(p: Page, i: int, h: str, s: Statement) -> None:
    p.append("proj_person_pii", (s["body"]["person_id"], i, s["body"]["pii"]))


def _moved(p: Page, i: int, h: str, s: Statement) -> None:
    p.append("proj_person_moves", (s["body"]["person_id"], i, s["body"]["household_id"]))


def _died(p: Page, i: int, h: str, s: Statement) -> None:
    p.change("person_died", s["body"]["person_id"], s["body"]["date"], i)


def _status_proposed(p: Page, i: int, h: str, s: Statement) -> None:
    row = _fields(s["body"], "proposal_id", "household_id", "status", "effective")
    p.add("proj_proposals", [*row, h, i, "proposed", None, None, None, None, None])


def _status_decided(p: Page, i: int, h: str, s: Statement) -> None:
    b = s["body"]
    state = "approved" if s["type"].endswith("approved") else "rejected"
    decision = _fields(b.get("decision") or {}, "number", "date")
    p.change("proposal_decided", b["proposal_id"], state, h, *decision, i, b.get("reason"))


def _program(p: Page, i: int, h: str, s: Statement) -> None:
    row = _fields(s["body"], "program_id", "code", "name", "category", "kind")
    p.append("proj_programs", (*row, i))


def _fund(p: Page, i: int, h: str, s: Statement) -> None:
    b = s["body"]
    kind = "received" if s["type"] == "fund.received" else "returned"
    movement_id = b["receipt_id"] if kind == "received" else b["return_id"]
    row = _fields(b, "program_id", "amount", "date", "source", "reference")
    p.append("proj_funds", (movement_id, row[0], kind, *row[1:], i))


_BENEFIT = ("benefit_id", "program_id", "person_id", "household_id", "amount", "start", "end")


def _benefit(p: Page, i: int, h: str, s: Statement) -> None:
    row = [*_fields(s["body"], *_BENEFIT, "basis"), h, i, "proposed"]
    p.add("proj_benefits", row + [None] * 9)


def _benefit_decided(p: Page, i: int, h: str, s: Statement) -> None:
    b, kind = s["body"], s["type"]
    if kind == "benefit.approved":
        number, date = b["decision"]["number"], b["decision"]["date"]
        p.change("benefit_approved", b["benefit_id"], "approved", h, number, date, i)
    elif kind == "benefit.rejected":
        p.change("benefit_rejected", b["benefit_id"], "rejected", i, b["reason"])
    else:
        p.change("benefit_ended", b["benefit_id"], "ended", b["last_month"], i, b["reason"])


_PAYMENT = ("payment_id", "benefit_id", "month", "amount", "paid_on", "method", "recipient")


def _payment(p: Page, i: int, h: str, s: Statement) -> None:
    b = s["body"]
    p.add("proj_payments", [*_fields(b, *_PAYMENT), b["receipt"]["kind"], h, i, None, None])


def _reversed(p: Page, i: int, h: str, s: Statement) -> None:
    p.change("payment_reversed", s["body"]["payment_id"], i, s["body"]["reason"])


HANDLERS: dict[str, dict[str, Handler]] = {
    "holders": {"ledger.opened": _opened, "key.registered": _key_registered},
    "households": {"household.registered": _household},
    "people": {
        "person.registered": _person,
        "person.pii.updated": _pii,
        "person.moved": _moved,
        "person.died": _died,
    },
    "proposals": {
        "household.status.proposed": _status_proposed,
        "household.status.approved": _status_decided,
        "household.status.rejected": _status_decided,
    },
    "programs": {"program.defined": _program},
    "benefits": {
        "benefit.proposed": _benefit,
        "benefit.approved": _benefit_decided,
        "benefit.rejected": _benefit_decided,
        "benefit.ended": _benefit_decided,
    },
    "payments": {"payment.recorded": _payment, "payment.reversed": _reversed},
    "funds": {"fund.received": _fund, "fund.returned": _fund},
    "entries": {},  # every entry: see _apply
    "history": {},
}
assert set(HANDLERS) == set(MODELS), "every read model has its handlers"
