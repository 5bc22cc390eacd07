"""Writers of one ledger take turns: a server taking statements all the time starves nobody.

The scenario of issue 11 (item 5): ``ansinh serve`` on a SQLite file, a
client sending it single statements without pause, and ``ansinh submit
batch.jsonl`` run on the same file by officers at the same time. Every
batch is recorded whole and every single statement gets its entry. The
same runs on PostgreSQL when the suite does: there too a large batch,
prepared against a head the server kept moving, used to start over for ever.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg

from api.client.remote import AnsinhClient
from ledger.formats.dsse import open_envelope
from ledger.formats.keys import write_key_file
from ledger.storage.postgres import PostgresTurns, turn_key
from ledger.storage.settings import eventsourcing_env
from ledger.storage.sqlite import SQLiteTurns, lock_path
from tests.conftest import PG_URL, Officers, Story, new_id
from tests.support.paths import ROOT

BATCHES = 3  # `ansinh submit` processes started together
BATCH = 300  # statements in each
SINGLES_AFTER = 20  # single statements the server must still take after the batches
DEADLINE_S = 240.0  # against hanging only: each batch normally takes a few seconds
QUEUE_S = 30.0  # against hanging only: a thread queues for its turn in microseconds
MAX_BANNER_LINES = 20


def ansinh(*args: str) -> list[str]:
    return [sys.executable, "-c", "from api.cli.main import main; main()", *args]


@contextmanager
def serving(db_url: str, tmp_path: Path, officers: Officers) -> Iterator[str]:
    """``ansinh serve --port 0`` on the ledger, in its own process; its address."""
    notary = tmp_path / "notary.key"
    write_key_file(notary, officers.keys["notary"])
    process = subprocess.Popen(
        ansinh("serve", "--db", db_url, "--port", "0", "--notary-key", str(notary)),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = None
        for _ in range(MAX_BANNER_LINES):
            words = process.stdout.readline().split()
            url = next((w.rstrip("/") for w in words if w.startswith("http://")), None)
            if url is not None:
                break
        assert url is not None, "serve did not print its address"
        yield url
    finally:
        process.kill()
        process.communicate()


class Feeder:
    """A client sending the server single household registrations, one after another."""

    def __init__(self, url: str, officers: Officers) -> None:
        self.url = url
        self.officers = officers
        self.recorded: list[int] = []  # the indexes the server answered, in order
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with AnsinhClient(self.url, timeout=DEADLINE_S) as client:
            while not self.stop.is_set():
                body = {"household_id": new_id(), "code": "S", "village": "Bản Huổi"}
                try:
                    accepted = client.submit(
                        self.officers.envelope("registrar", "household.registered", body)
                    )
                except Exception as exc:
                    self.failures.append(repr(exc))
                    return
                self.recorded.append(accepted.index)

    def wait_for(self, count: int, deadline: float) -> None:
        while len(self.recorded) < count and not self.failures:
            assert time.monotonic() < deadline, f"the server took only {len(self.recorded)}"
            time.sleep(0.05)


def write_batch(path: Path, officers: Officers, tag: str) -> list[str]:
    """A JSON-lines batch of household registrations; their household ids."""
    ids = []
    with path.open("w", encoding="utf-8") as f:
        for n in range(BATCH):
            hid = new_id()
            ids.append(hid)
            body = {"household_id": hid, "code": f"{tag}-{n:04d}", "village": "Bản Nà Sài"}
            f.write(json.dumps(officers.envelope("registrar", "household.registered", body)))
            f.write("\n")
    return ids


def test_cli_batches_and_a_busy_servers_single_statements_are_all_recorded(
    story: Story, db_url: str, tmp_path: Path, officers: Officers
) -> None:
    batches = {
        f"B{b}": write_batch(tmp_path / f"batch{b}.jsonl", officers, f"B{b}")
        for b in range(BATCHES)
    }
    deadline = time.monotonic() + DEADLINE_S
    with serving(db_url, tmp_path, officers) as url:
        feeder = Feeder(url, officers)
        feeder.thread.start()
        feeder.wait_for(SINGLES_AFTER, deadline)  # the server is busy before the batches start
        submits = [
            subprocess.Popen(
                ansinh("submit", str(tmp_path / f"batch{b}.jsonl"), "--db", db_url),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for b in range(BATCHES)
        ]
        outcomes = [p.communicate(timeout=max(1.0, deadline - time.monotonic())) for p in submits]
        during = len(feeder.recorded)
        feeder.wait_for(during + SINGLES_AFTER, deadline)  # and it still takes them after
        feeder.stop.set()
        feeder.thread.join(DEADLINE_S)

    for p, (stdout, stderr) in zip(submits, outcomes, strict=True):
        assert (p.returncode, stderr) == (0, ""), "a batch was not recorded"
        assert len(stdout.splitlines()) == BATCH
    assert feeder.failures == []
    entries = list(story.app.entries())
    assert [e.index for e in entries] == list(range(len(entries)))
    households = [open_envelope(e.envelope).body.get("household_id") for e in entries]
    for ids in batches.values():  # each batch whole, in one run of indexes
        first = households.index(ids[0])
        assert households[first : first + BATCH] == ids
    singles = [e.index for e in entries if open_envelope(e.envelope).body.get("code") == "S"]
    assert singles == sorted(feeder.recorded)
    assert len(entries) == 5 + BATCHES * BATCH + len(feeder.recorded)


def queued_for_a_turn(db_url: str) -> bool:
    """Whether a writer of the ledger waits for its turn (behind the one holding it)."""
    if db_url.startswith("postgresql://"):
        key = turn_key(parse_qs(urlsplit(db_url).query)["schema"][0]) % 2**64
        with psycopg.connect(PG_URL) as conn:
            waiting = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype='advisory' AND NOT granted"
                " AND classid::bigint = %s AND objid::bigint = %s",
                (key >> 32, key & 0xFFFFFFFF),
            ).fetchone()
        return waiting is not None and waiting[0] > 0
    # SQLite: a waiting writer holds the turnstile of the lock file.
    fd = os.open(lock_path(db_url), os.O_RDWR)
    try:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", fcntl.F_WRLCK, 0, 1, 1, 0))
    except OSError:
        return True
    finally:
        os.close(fd)  # (and with it the lock, if it was free)
    return False


def turns_of(db_url: str) -> SQLiteTurns | PostgresTurns:
    if db_url.startswith("postgresql://"):
        return PostgresTurns(eventsourcing_env(db_url))
    return SQLiteTurns(db_url)


def test_a_writer_waiting_for_its_turn_goes_before_the_writer_that_had_it_comes_back(
    db_url: str,
) -> None:
    first, second = turns_of(db_url), turns_of(db_url)
    order: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def write_twice() -> None:
        with first.turn():
            order.append("first")
            holding.set()
            release.wait(DEADLINE_S)
        with first.turn():  # straight back, while the other one waits
            order.append("first again")

    def wait_for_turn() -> None:
        with second.turn():
            order.append("second")

    try:
        writer = threading.Thread(target=write_twice, daemon=True)
        writer.start()
        assert holding.wait(DEADLINE_S)
        waiter = threading.Thread(target=wait_for_turn, daemon=True)
        waiter.start()
        deadline = time.monotonic() + QUEUE_S
        while not queued_for_a_turn(db_url):
            assert time.monotonic() < deadline, "the second writer never queued for its turn"
            time.sleep(0.01)
        release.set()
        writer.join(DEADLINE_S)
        waiter.join(DEADLINE_S)
        assert order == ["first", "second", "first again"]
    finally:
        release.set()
        first.close()
        second.close()
