"""``ansinh bench rebuild``: how fast the read models are rebuilt from the log.

It records a ledger of N realistic signed statements (households, people with
their vault records, programs and funds, benefits proposed and approved,
monthly payments January-June 2022, and a few status decisions, moves,
deaths and reversals) in batches of 1000, untimed. Then, in one run, it
measures the baseline (reading and decoding the notification log, as any
eventsourcing projection must), the rebuild of every read model, and a
six-month reconciliation from the rebuilt tables.
"""

from __future__ import annotations

import importlib
import json
import statistics
import time
from collections.abc import Callable
from itertools import islice
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from api.bench.scratch import scratch_db
from api.demo.statements import MONTHS, SampleCommune
from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
from ledger.storage.settings import is_postgres
from projections.tables.runner import ENTRY_TOPIC, REBUILD_PAGE, Projections

ORIGIN = "ansinh.vn/bench/rebuild"
BATCH = 1000
err = Console(stderr=True, highlight=False)


def generate(ledger: LedgerApplication, entries: int, progress: Callable[[int], None]) -> None:
    """Record ``entries`` statements in batches of 1000."""
    stream = islice(SampleCommune(ORIGIN).statements(), entries)
    while batch := list(islice(stream, BATCH)):
        ledger.submit_batch(batch)
        progress(len(batch))
    assert ledger.size() == entries, (ledger.size(), entries)


def decode_rate(ledger: LedgerApplication) -> float:
    """Log entries per second read from the notification log and decoded into events."""
    started = time.perf_counter()
    position, count = 0, 0
    while True:
        notifications = ledger.recorder.select_notifications(
            start=position, limit=REBUILD_PAGE, topics=[ENTRY_TOPIC], inclusive_of_start=False
        )
        if not notifications:
            break
        for n in notifications:
            ledger.mapper.to_domain_event(n)
        count += len(notifications)
        position = notifications[-1].id
    assert count == ledger.size()
    return count / (time.perf_counter() - started)


def rebuild_rate(ledger: LedgerApplication) -> float:
    started = time.perf_counter()
    done = Projections(ledger).rebuild()
    assert done == ledger.size()
    return done / (time.perf_counter() - started)


def reconciliation_time(ledger: LedgerApplication) -> dict[str, Any]:
    """Seconds to load the snapshot from the tables and reconcile six months over it."""
    try:
        reconcile = importlib.import_module("projections.reports.reconciliation").reconcile
    except (ImportError, AttributeError):
        reconcile = None
    started = time.perf_counter()
    snap = Projections(ledger).load_snapshot()
    loaded = time.perf_counter()
    if reconcile is not None:
        reconcile(snap, MONTHS[0], MONTHS[-1])
    done = time.perf_counter()
    return {
        "reconciliation_s": round(done - started, 3),
        "load_snapshot_s": round(loaded - started, 3),
        "reconciliation_timed": "load_snapshot + reconcile" if reconcile else "load_snapshot only",
    }


def bench_rebuild(
    entries: Annotated[
        int, typer.Option("--entries", help="Entries in the generated ledger")
    ] = 200_000,
    repeat: Annotated[
        int, typer.Option("--repeat", help="Runs of each, alternated; medians reported")
    ] = 3,
    db: Annotated[
        str, typer.Option("--db", help="'sqlite' (a temp file) or a postgresql:// URL")
    ] = "sqlite",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Rebuild rate of every read model vs reading and decoding the log; reconciliation time."""
    if entries < 100:
        raise typer.BadParameter("at least 100 entries", param_hint="--entries")
    with scratch_db(db, "rebuild") as url:
        ledger = LedgerApplication(url, vault_key=VaultKey(b"\x05" * 32))
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("recording the ledger", total=entries)
            generate(ledger, entries, lambda n: bar.advance(task, n))
        decodes, rebuilds = [], []
        for _ in range(repeat):  # alternated, so drift hits both alike
            decodes.append(decode_rate(ledger))
            rebuilds.append(rebuild_rate(ledger))
        decode, rebuild = statistics.median(decodes), statistics.median(rebuilds)
        result = {
            "db": "postgresql" if is_postgres(db) else "sqlite",
            "entries": entries,
            "repeat": repeat,
            "decode_per_s": round(decode, 1),
            "rebuild_per_s": round(rebuild, 1),
            "rebuild_ratio": round(rebuild / decode, 3),
            **reconciliation_time(ledger),
        }
        ledger.close()
    if as_json:
        print(json.dumps(result))
        return
    out = Console(highlight=False)
    out.print(f"rebuild on {result['db']}: {entries} entries (medians of {repeat})")
    out.print(f"  read + decode the notification log : {decode:10.0f} /s")
    out.print(
        f"  rebuild every read model           : {rebuild:10.0f} /s   {rebuild / decode:.2f}x"
    )
    out.print(
        f"  six-month reconciliation           : {result['reconciliation_s']:.2f} s "
        f"({result['reconciliation_timed']}; loading {result['load_snapshot_s']:.2f} s)"
    )
