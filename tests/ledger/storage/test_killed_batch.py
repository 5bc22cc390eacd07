"""A writer killed in the middle of a batch: the batch is recorded whole or not at all.

The batch is written by a separate Python process (``python -m
tests.support.workers``), killed while it writes, on PostgreSQL (its own
schema) and on a SQLite file, whichever backend the rest of the suite is testing.
"""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import psycopg
import pytest
from eventsourcing.application import AggregateNotFoundError

from ledger.domain.acceptance import submission_from_json
from ledger.formats.dsse import open_envelope
from tests.conftest import PG_URL, Officers, Story, new_id
from tests.ledger.storage.backends import Backend, check_dense, fresh
from tests.support.paths import ROOT

BATCH = 8_000  # statements in the batch that gets killed (about 16 MB of events)
WAIT = 90.0  # seconds to wait for a child before failing
WRITE_LIMIT = 10.0  # seconds a batch may take from starting to write to committing


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
