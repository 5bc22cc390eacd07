"""The communes' writers: each task opens its commune's ledger, records its batches, closes it.

At most ``writers`` tasks run at once, each in a process of its own with
its signature helper, as a server's workers are (threads of one process
would share one core's worth of Python). A commune is open only while it
is written, so that a hundred communes fit in the database's connections
(five each): its aggregate cache starts cold every phase, and each payment
reads its benefit and recipient from PostgreSQL. Each batch is read as the
server reads a request's body and recorded in one transaction; its time,
from reading to commit, is one latency sample.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg

from api.http.wire import Batch, read_submissions
from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
from ledger.signatures.deferred import start_helper

VAULT_KEY = b"\x07" * 32
SAMPLE_EVERY_S = 0.25


def open_commune(url: str) -> LedgerApplication:
    """A commune's ledger, opened the plain way (one place to change how ledgers are opened)."""
    return LedgerApplication(url, vault_key=VaultKey(VAULT_KEY))


@dataclass
class Phase:
    """What one phase recorded: its entries, its wall time, each batch's latency."""

    name: str
    writers: int
    entries: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def per_s(self) -> float:
        return self.entries / self.seconds if self.seconds > 0 else 0.0


def record(url: str, batches: list[str], latencies_ms: list[float]) -> int:
    """Record ``batches`` (JSON lines) in the commune at ``url``; the entries recorded."""
    ledger = open_commune(url)
    try:
        before = ledger.size()
        for text in batches:
            started = time.perf_counter()
            read = read_submissions(text, json_lines=True)
            assert isinstance(read, Batch)
            ledger.submit_batch(read)
            latencies_ms.append((time.perf_counter() - started) * 1000)
        recorded = ledger.size() - before
    finally:
        ledger.close()
    assert recorded == sum(text.count("\n") + 1 for text in batches), "a batch was not recorded"
    return recorded


def _task(url: str, batches: list[str]) -> tuple[int, list[float]]:
    latencies: list[float] = []
    return record(url, batches, latencies), latencies


def _ready() -> None:
    start_helper(wait_s=30)  # as a server's worker does


class Writers:
    """Pools of writer processes, one per number of writers, started before anything is timed."""

    def __init__(self) -> None:
        self._pools: dict[int, ProcessPoolExecutor] = {}

    def pool(self, writers: int) -> ProcessPoolExecutor:
        if writers not in self._pools:
            context = multiprocessing.get_context("spawn")  # no fork beside threads and sockets
            pool = ProcessPoolExecutor(writers, mp_context=context, initializer=_ready)
            for f in [pool.submit(time.sleep, 0.5) for _ in range(writers)]:
                f.result()  # every process started and its helper ready
            self._pools[writers] = pool
        return self._pools[writers]

    def run(self, name: str, work: dict[str, list[str]], writers: int) -> Phase:
        """Every commune's batches in ``work`` (url -> batches), ``writers`` communes at a time."""
        pool = self.pool(writers)
        phase = Phase(name, writers)
        started = time.perf_counter()
        futures = [pool.submit(_task, url, batches) for url, batches in work.items() if batches]
        for f in futures:
            entries, latencies = f.result()
            phase.entries += entries
            phase.latencies_ms.extend(latencies)
        phase.seconds = time.perf_counter() - started
        return phase

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown()
        self._pools.clear()


def connections(base: str) -> int:
    """Connections to this database now, everyone's (``pg_stat_activity``)."""
    with psycopg.connect(base, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def peak_connections(base: str) -> Iterator[Callable[[], int]]:
    """Samples the database's connections while the block runs; yields the peak so far."""
    peak = [0]
    stop = threading.Event()
    with psycopg.connect(base, autocommit=True) as conn:

        def sample() -> None:
            while not stop.is_set():
                row = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                ).fetchone()
                peak[0] = max(peak[0], int(row[0]) if row else 0)
                stop.wait(SAMPLE_EVERY_S)

        sampler = threading.Thread(target=sample, name="connections", daemon=True)
        sampler.start()
        try:
            yield lambda: peak[0]
        finally:
            stop.set()
            sampler.join()
