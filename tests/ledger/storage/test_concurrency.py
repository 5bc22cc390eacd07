"""Many writers, and writers that die: indexes stay dense and unique, nothing is half-recorded.

The writers are real OS processes with their own connections: spawned
``multiprocessing`` processes for concurrent submissions, and a separate
Python process (``python -m tests.support.workers``) for the batch that gets killed.
Every test runs on PostgreSQL (its own schema) and on a SQLite file shared
by the processes, whichever backend the rest of the suite is testing.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import psycopg
import pytest
from eventsourcing.application import AggregateNotFoundError

from ledger.application import LedgerApplication
from ledger.domain.acceptance import submission_from_json
from ledger.domain.log import Entry
from ledger.formats.dsse import open_envelope
from ledger.formats.vault import VaultKey
from tests.conftest import PG_URL, Officers, Story, new_id
from tests.support.paths import ROOT
from tests.support.workers import VAULT_KEY, open_ledger, submit_envelopes

SPAWN = multiprocessing.get_context("spawn")
PAYMENTS_EACH = 15  # per writer process
ROUNDS = 10  # simultaneous pairs of submissions
BATCH = 8_000  # statements in the batch that gets killed (about 16 MB of events)
WAIT = 90.0  # seconds to wait for a child before failing
WRITE_LIMIT = 10.0  # seconds a batch may take from starting to write to committing


@dataclass(frozen=True)
class Backend:
    name: str
    url: str
    writers: int  # concurrent writer processes


@pytest.fixture(
    params=[pytest.param("postgres", marks=pytest.mark.postgres), pytest.param("sqlite")]
)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """PostgreSQL (always, whatever ANSINH_TEST_DB says), or a SQLite file."""
    if request.param == "postgres":
        return Backend("postgres", request.getfixturevalue("pg_schema"), writers=8)
    return Backend("sqlite", str(tmp_path / "shared.db"), writers=4)


@pytest.fixture
def ledger(backend: Backend) -> Iterator[Story]:
    """An opened ledger with its officers' keys registered, as the ``story`` fixture."""
    app = LedgerApplication(backend.url, vault_key=VaultKey(VAULT_KEY))
    officers = Officers()
    app.submit(officers.opened())
    for name in ("registrar", "approver", "cashier", "inspector"):
        app.submit(officers.register(name))
    yield Story(app, officers)
    app.close()


def fresh(url: str) -> LedgerApplication:
    """A new application on the database: nothing cached from before."""
    return LedgerApplication(url, vault_key=VaultKey(VAULT_KEY))


def payment(story: Story, benefit_id: str, person_id: str, **kw: Any) -> str:
    """A signed payment envelope, as JSON text."""
    body = story.payment_body(benefit_id, person_id, **kw)
    return json.dumps(story.o.envelope("cashier", "payment.recorded", body))


def payment_id(envelope_json: str) -> str:
    pid: str = open_envelope(json.loads(envelope_json)).body["payment_id"]
    return pid


def check_dense(app: LedgerApplication) -> list[Entry]:
    """The entries, after checking that their indexes are exactly 0..size-1."""
    entries = list(app.entries())
    assert [e.index for e in entries] == list(range(app.size()))
    return entries


def recorded_payments(entries: list[Entry]) -> Counter[str]:
    """How many times each payment id is recorded in the log."""
    counts: Counter[str] = Counter()
    for e in entries:
        signed = open_envelope(e.envelope)
        if signed.type == "payment.recorded":
            counts[signed.body["payment_id"]] += 1
    return counts


# -- concurrent writers ---------------------------------------------------------
def run_writers(
    url: str, plans: list[list[str]], *, in_step: bool
) -> tuple[list[list[dict[str, Any]]], float]:
    """Each plan submitted by its own spawned process; the outcomes, and the seconds taken.

    All processes open the ledger first and start together; ``in_step`` also
    makes the n-th submissions of all processes wait for each other.
    """
    ready, start, results = SPAWN.Queue(), SPAWN.Event(), SPAWN.Queue()
    barrier = SPAWN.Barrier(len(plans)) if in_step else None
    opening = SPAWN.Lock()
    outcomes, elapsed = run_together(
        submit_envelopes,
        [
            (url, str(i), plan, ready, start, barrier, results, opening)
            for i, plan in enumerate(plans)
        ],
        ready,
        start,
        results,
    )
    for tag, out in enumerate(outcomes):
        if isinstance(out, str):
            pytest.fail(f"writer {tag} failed:\n{out}")
    return outcomes, elapsed


def run_together(
    target: Any, arg_lists: list[tuple[Any, ...]], ready: Any, start: Any, results: Any
) -> tuple[list[Any], float]:
    """Spawn a process per argument list; once all are ready, start them together.

    Each process puts its tag on ``ready`` and ``(tag, result)`` on
    ``results``; the results in tag order, and the seconds from start to the last.
    """
    procs = [SPAWN.Process(target=target, args=args, daemon=True) for args in arg_lists]
    try:
        for p in procs:
            p.start()
        for _ in procs:
            _get(ready, procs)
        began = time.perf_counter()
        start.set()
        got: dict[int, Any] = {}
        for _ in procs:
            tag, out = _get(results, procs)
            got[int(tag)] = out
        elapsed = time.perf_counter() - began
        for p in procs:
            p.join(WAIT)
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()
    return [got[i] for i in range(len(procs))], elapsed


def _get(q: Any, procs: list[Any]) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            return q.get(timeout=0.5)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                # Its traceback may still be on its way through the queue.
                try:
                    return q.get(timeout=2)
                except queue.Empty:
                    pytest.fail(f"writer {dead[0].name} died with exit code {dead[0].exitcode}")
    pytest.fail(f"no word from the writers within {WAIT:.0f} s")


def test_processes_opening_one_ledger_at_the_same_moment_all_succeed(
    backend: Backend, ledger: Story
) -> None:
    """Several API workers started together: each opens the existing ledger."""
    size = ledger.app.size()
    ready, start, results = SPAWN.Queue(), SPAWN.Event(), SPAWN.Queue()
    outcomes, elapsed = run_together(
        open_ledger,
        [(backend.url, str(i), ready, start, results) for i in range(backend.writers)],
        ready,
        start,
        results,
    )
    print(f"{backend.name}: {backend.writers} processes opened the ledger in {elapsed:.2f} s")
    failures = [
        f"process {i}: {out.strip().splitlines()[-1]}"
        for i, out in enumerate(outcomes)
        if isinstance(out, str)
    ]
    assert not failures, "opening the ledger failed in\n" + "\n".join(failures)
    assert outcomes == [size] * backend.writers


def test_concurrent_writers_record_every_payment_once_at_dense_unique_indexes(
    backend: Backend, ledger: Story
) -> None:
    _, person, benefit = ledger.beneficiary()
    before = ledger.app.size()
    plans = [
        [payment(ledger, benefit, person) for _ in range(PAYMENTS_EACH)]
        for _ in range(backend.writers)
    ]
    outcomes, elapsed = run_writers(backend.url, plans, in_step=False)
    total = backend.writers * PAYMENTS_EACH
    print(
        f"{backend.name}: {backend.writers} processes x {PAYMENTS_EACH} payments: {elapsed:.2f} s"
    )

    for plan, outs in zip(plans, outcomes, strict=True):
        assert len(outs) == len(plan)
        assert all(o.get("created") is True for o in outs), outs
        mine = [o["index"] for o in outs]
        assert mine == sorted(mine), "one process's statements are recorded in its order"
    indexes = [o["index"] for outs in outcomes for o in outs]
    assert len(set(indexes)) == total, "no index was returned to two submissions"
    assert sorted(indexes) == list(range(before, before + total))

    app = fresh(backend.url)
    try:
        assert app.size() == before + total
        entries = check_dense(app)
        planned = Counter(payment_id(env) for plan in plans for env in plan)
        assert recorded_payments(entries) == planned, "every payment recorded exactly once"
        for plan, outs in zip(plans, outcomes, strict=True):
            for env, out in zip(plan, outs, strict=True):
                assert entries[out["index"]].envelope == json.loads(env)
    finally:
        app.close()


def test_the_same_envelope_submitted_at_once_by_two_processes_is_recorded_once(
    backend: Backend, ledger: Story
) -> None:
    _, person, benefit = ledger.beneficiary()
    before = ledger.app.size()
    envelopes = [payment(ledger, benefit, person) for _ in range(ROUNDS)]
    outcomes, elapsed = run_writers(backend.url, [envelopes, envelopes], in_step=True)
    print(f"{backend.name}: {ROUNDS} envelopes, each from two processes at once: {elapsed:.2f} s")

    for r, (a, b) in enumerate(zip(*outcomes, strict=True)):
        assert "index" in a and "index" in b, (r, a, b)
        assert a["index"] == b["index"], f"round {r}: both callers get the one entry"
        assert sorted([a["created"], b["created"]]) == [False, True], (r, a, b)

    app = fresh(backend.url)
    try:
        assert app.size() == before + ROUNDS
        entries = check_dense(app)
        assert recorded_payments(entries) == Counter(payment_id(env) for env in envelopes)
        for env, out in zip(envelopes, outcomes[0], strict=True):
            assert entries[out["index"]].envelope == json.loads(env)
    finally:
        app.close()


def test_two_payments_with_one_payment_id_at_once_record_one_and_refuse_the_other(
    backend: Backend, ledger: Story
) -> None:
    _, person, benefit = ledger.beneficiary()
    before = ledger.app.size()
    ids = [new_id() for _ in range(ROUNDS)]
    plans = [
        [payment(ledger, benefit, person, payment_id=i, month="2022-01") for i in ids],
        [payment(ledger, benefit, person, payment_id=i, month="2022-02") for i in ids],
    ]
    outcomes, elapsed = run_writers(backend.url, plans, in_step=True)
    print(f"{backend.name}: {ROUNDS} payment ids, each in two envelopes at once: {elapsed:.2f} s")

    winners: dict[str, tuple[str, int]] = {}
    for r, (a, b) in enumerate(zip(*outcomes, strict=True)):
        recorded = [(plans[w][r], o) for w, o in enumerate((a, b)) if "index" in o]
        refused = [o for o in (a, b) if "error" in o]
        assert len(recorded) == 1 and len(refused) == 1, f"round {r}: {a}, {b}"
        assert recorded[0][1]["created"] is True
        assert refused[0]["error"] == "DUPLICATE", refused[0]
        winners[ids[r]] = (recorded[0][0], recorded[0][1]["index"])

    app = fresh(backend.url)
    try:
        assert app.size() == before + ROUNDS
        entries = check_dense(app)
        assert recorded_payments(entries) == Counter(ids), "one entry per payment id"
        for env, index in winners.values():
            assert entries[index].envelope == json.loads(env)
    finally:
        app.close()


# -- a batch killed while it is being written ------------------------------------
@pytest.fixture(scope="session")
def batch_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BATCH signed household registrations, one envelope a line."""
    officers = Officers()
    path = tmp_path_factory.mktemp("batch") / "households.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for n in range(BATCH):
            hid = new_id()
            body = {"household_id": hid, "code": f"B-{n:05d}", "village": "Bản Nà Sài"}
            f.write(json.dumps(officers.envelope("registrar", "household.registered", body)))
            f.write("\n")
    return path


class BatchChild:
    """``python -m tests.support.workers DB FILE``, with its stdout read line by line."""

    def __init__(self, url: str, batch: Path, log: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.log = log
        with log.open("w") as stderr:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.support.workers", url, str(batch)],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        self.lines: queue.Queue[list[str] | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.split())
        self.lines.put(None)

    def wait_for(self, word: str, timeout: float = WAIT) -> tuple[list[str], float] | None:
        """The child's line starting with ``word``, and when it came; None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return None
            if line is None:
                self.proc.wait()
                pytest.fail(
                    f"the batch process exited ({self.proc.returncode}) before {word}:\n"
                    + self.log.read_text()[-3000:]
                )
            if line and line[0] == word:
                return line, time.perf_counter()

    def kill(self) -> int:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        return self.proc.wait(WAIT)


@pytest.fixture
def batch_child(backend: Backend, batch_file: Path, tmp_path: Path) -> Iterator[Any]:
    children: list[BatchChild] = []

    def start() -> BatchChild:
        child = BatchChild(backend.url, batch_file, tmp_path / f"child{len(children)}.log")
        children.append(child)
        return child

    yield start
    for child in children:
        child.kill()
        if child.proc.stdout is not None:
            child.proc.stdout.close()


def started(child: BatchChild) -> tuple[float, float]:
    """Wait until the child is writing its batch; when it started it, and when it wrote."""
    start = child.wait_for("START")
    assert start is not None, "the batch process did not get to submit_batch"
    writing = child.wait_for("WRITING")
    assert writing is not None, "the batch was never written"
    return start[1], writing[1]


def batch_household(batch: Path, line: int) -> UUID:
    with batch.open(encoding="utf-8") as f:
        for n, text in enumerate(f):
            if n == line:
                return UUID(open_envelope(json.loads(text)).body["household_id"])
    raise IndexError(line)


def test_a_batch_killed_while_being_written_is_recorded_whole_or_not_at_all(
    backend: Backend, ledger: Story, batch_file: Path, batch_child: Any
) -> None:
    """SIGKILL lands inside the store's transaction: after the child says START
    (right before ``submit_batch``) and WRITING (the checked batch is handed to
    the recorder), a random 20-300 ms; writing the batch takes longer than that
    (see the next test's timings)."""
    ledger.household()
    before = ledger.app.size()
    child = batch_child()
    t_start, t_write = started(child)
    delay = random.SystemRandom().uniform(0.02, 0.3)
    time.sleep(delay)
    finished = child.proc.poll() is not None
    code = child.kill()
    print(
        f"{backend.name}: {BATCH} statements; checked in {t_write - t_start:.2f} s, then "
        f"killed {delay:.3f} s into writing (exit code {code}"
        f"{', it had already finished' if finished else ''})"
    )

    app = fresh(backend.url)
    try:
        size = app.size()
        whole = size == before + BATCH
        print(f"{backend.name}: after the kill the log has {size} entries (before: {before})")
        assert size in (before, before + BATCH), "a batch is recorded whole or not at all"
        check_dense(app)
        for line in (0, BATCH - 1):
            uid = batch_household(batch_file, line)
            try:
                app.repository.get(uid)
                found = True
            except AggregateNotFoundError:
                found = False
            assert found == whole, f"household of batch line {line}: found={found}"
        # The store is usable again, and agrees: the batch's first statement is
        # either the entry at `before` already, or is recorded there now.
        with batch_file.open(encoding="utf-8") as f:
            first = json.loads(f.readline())
        again = app.submit(submission_from_json(first))
        assert (again.index, again.created) == (before, not whole)
        check_dense(app)
    finally:
        app.close()


def test_a_batch_as_large_as_the_killed_one_is_recorded_whole_when_left_to_finish(
    backend: Backend, ledger: Story, batch_file: Path, batch_child: Any
) -> None:
    before = ledger.app.size()
    child = batch_child()
    t_start, t_write = started(child)
    done = child.wait_for("DONE", WRITE_LIMIT)
    if done is None:
        activity = _pg_activity(backend.url) if backend.name == "postgres" else ""
        child.kill()
        pytest.fail(
            f"{backend.name}: submit_batch of {BATCH} statements was still writing "
            f"{WRITE_LIMIT:.0f} s after it began (checking took {t_write - t_start:.2f} s); "
            f"it hangs.{activity}"
        )
    print(
        f"{backend.name}: {BATCH} statements; checked in {t_write - t_start:.2f} s, "
        f"written in {done[1] - t_write:.2f} s"
    )
    assert child.proc.wait(WAIT) == 0
    assert int(done[0][1]) == before + BATCH
    app = fresh(backend.url)
    try:
        assert app.size() == before + BATCH
        check_dense(app)
    finally:
        app.close()


def _pg_activity(url: str) -> str:
    """What the server's sessions on this schema are doing (for a failure message)."""
    schema = parse_qs(urlsplit(url).query)["schema"][0]
    with psycopg.connect(PG_URL.split("?")[0], autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid, state, wait_event, left(query, 70) FROM pg_stat_activity "
            "WHERE query LIKE %s AND pid <> pg_backend_pid()",
            (f"%{schema}%",),
        ).fetchall()
    return "".join(f"\n  server session {r[0]}: {r[1]}, waiting on {r[2]}: {r[3]}" for r in rows)
