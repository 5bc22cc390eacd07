"""``ansinh bench verify`` and ``ansinh bench proof``: the transparency log's speed.

Both generate a signed log of N entries as an audit bundle (realistic
statements: households, people, benefits proposed and approved, monthly
payments), then measure against a baseline taken in the same run: the raw
Ed25519 verify rate of this machine with the same number of processes (the
mean of a run just before and one just after the verifier's, as the machine
may be shared), and the CPU time of one bare verification, which a busy
machine disturbs less than wall-clock rates.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import nacl.bindings
import typer
from eventsourcing.persistence import InfrastructureFactory, Tracking
from rich.console import Console

from api.bench.bundle import generate_bundle
from ledger.formats.dsse import PAYLOAD_TYPE, pae
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import leaf_hash
from ledger.tlog.merkle_log import StoredTree
from ledger.tlog.store import SQLiteMerkleRecorder

err = Console(stderr=True, highlight=False)


def _raw_verify(rounds: int) -> int:
    key = KeyPair.from_seed(b"\x09" * 32)
    items = []
    for i in range(256):
        message = pae(PAYLOAD_TYPE, os.urandom(700) + str(i).encode())
        items.append(key.sign(message) + message)
    done = 0
    for _ in range(rounds):
        for signed in items:
            nacl.bindings.crypto_sign_open(signed, key.public_key)
            done += 1
    return done


def raw_verify_rate(processes: int, seconds: float = 2.0) -> float:
    """Ed25519 verifications per second on ``processes`` processes at once.

    Timed from when the processes exist (as the verifier's own time starts
    after its imports), until the last one is done.
    """
    rounds = max(1, int(seconds * 10_000 / 256))
    if processes == 1:
        started = time.perf_counter()
        done = _raw_verify(rounds)
        return done / (time.perf_counter() - started)
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        started = time.perf_counter()
        done = sum(pool.map(_raw_verify, [rounds] * processes, chunksize=1))
        return done / (time.perf_counter() - started)


def raw_verify_cpu_us(rounds: int = 40) -> float:
    """CPU microseconds of one bare Ed25519 verification (one process)."""
    started = time.process_time()
    done = _raw_verify(rounds)
    return (time.process_time() - started) / done * 1e6


def run_verify(path: Path, authority: str, processes: int) -> dict[str, Any]:
    """Run the verifier in a fresh process; its own time, CPU time and peak memory."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from ledger.audit.ledger import verify_bundle\n"
        "def cpu():\n"
        "    me = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime\n"
        "c = cpu()\n"
        "t = time.perf_counter()\n"
        f"out = verify_bundle(Path({str(path)!r}), authority={authority!r}, "
        f"processes={processes})\n"
        "s = time.perf_counter() - t\n"
        "c = cpu() - c\n"
        "me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'seconds': s, 'cpu_seconds': c, 'entries': out.entries,"
        " 'rss_main_mb': me, 'rss_worker_mb': kids}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"verify failed: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def stored_tree(directory: Path, leaves: Iterator[bytes]) -> StoredTree:
    """A node store in a SQLite file, filled with the leaf hashes of ``leaves``."""
    factory = InfrastructureFactory.construct(
        {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(directory / "nodes.db")}
    )
    tree = StoredTree(factory.tracking_recorder(SQLiteMerkleRecorder))  # type: ignore[arg-type]
    batch: list[bytes] = []
    appended = 0
    for line in leaves:
        batch.append(leaf_hash(line))
        if len(batch) == 20_000:
            appended += len(batch)
            tree.append_leaves(batch, Tracking("bench", appended))
            batch = []
    if batch:
        tree.append_leaves(batch, Tracking("bench", appended + len(batch)))
    return tree


def proof_times_ms(tree: StoredTree, samples: int = 200) -> tuple[float, float]:
    size = tree.size()
    rng = random.Random(7)
    inclusion, consistency = [], []
    for _ in range(samples):
        index = rng.randrange(size)
        started = time.perf_counter()
        tree.inclusion_proof(index, size)
        inclusion.append((time.perf_counter() - started) * 1000)
        first = rng.randrange(1, size + 1)
        started = time.perf_counter()
        tree.consistency_proof(first, size)
        consistency.append((time.perf_counter() - started) * 1000)
    return statistics.median(inclusion), statistics.median(consistency)


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        for line in f:
            yield line[:-1]


def bench_verify(
    entries: Annotated[
        int, typer.Option("--entries", help="Entries in the generated log")
    ] = 200_000,
    processes: Annotated[int, typer.Option(help="Worker processes (default: all cores)")] = 0,
    keep: Annotated[Path | None, typer.Option(help="Keep the generated bundle here")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Instead: record a ledger in this kind of database ('sqlite' or "
            "postgresql://...) and time verify --db with and without its tables' checks",
        ),
    ] = None,
    repeat: Annotated[int, typer.Option(help="With --db: rounds, interleaved (medians)")] = 3,
) -> None:
    """Verify rate of a generated log vs the raw Ed25519 rate; peak memory; proof times."""
    processes = processes or os.cpu_count() or 1
    if db is not None:
        from api.bench.verify_db import bench_verify_db

        bench_verify_db(entries, processes, max(1, repeat), db, as_json)
        return
    directory = keep or Path(tempfile.mkdtemp(prefix="ansinh-bench-verify-"))
    try:
        err.print(f"generating a signed log of {entries} entries ...")
        authority = generate_bundle(directory, entries, processes)
        raw_one = raw_verify_rate(1)
        raw_before = raw_verify_rate(processes)
        raw_cpu_us = raw_verify_cpu_us()
        err.print("verifying ...")
        run = run_verify(directory, authority, processes)
        rate = run["entries"] / run["seconds"]
        # The machine may be shared: the baseline is the mean of a run just
        # before and one just after the verifier's, on as many processes.
        raw_after = raw_verify_rate(processes)
        raw_all = (raw_before + raw_after) / 2
        cpu_us = run["cpu_seconds"] / run["entries"] * 1e6
        tree = stored_tree(directory, _lines(directory / "entries.jsonl"))
        inclusion_ms, consistency_ms = proof_times_ms(tree)
    finally:
        if keep is None:
            shutil.rmtree(directory, ignore_errors=True)
    result = {
        "entries": entries,
        "processes": processes,
        "raw_verify_per_s_one": round(raw_one, 1),
        "raw_verify_per_s": round(raw_all, 1),
        "raw_verify_per_s_before_after": [round(raw_before, 1), round(raw_after, 1)],
        "verify_per_s": round(rate, 1),
        "verify_ratio": round(rate / raw_all, 3),
        "verify_s": round(run["seconds"], 2),
        "raw_verify_cpu_us": round(raw_cpu_us, 2),
        "verify_cpu_us_per_entry": round(cpu_us, 2),
        "verify_cpu_ratio": round(raw_cpu_us / cpu_us, 3),
        "peak_rss_mb": round(max(run["rss_main_mb"], run["rss_worker_mb"]), 1),
        "peak_rss_main_mb": round(run["rss_main_mb"], 1),
        "peak_rss_worker_mb": round(run["rss_worker_mb"], 1),
        "inclusion_proof_ms": round(inclusion_ms, 3),
        "consistency_proof_ms": round(consistency_ms, 3),
    }
    if as_json:
        print(json.dumps(result))
        return
    out = Console(highlight=False)
    out.print(f"verify: {entries} entries, {processes} processes")
    out.print(f"  raw Ed25519 verify, 1 process        : {raw_one:10.0f} /s")
    out.print(
        f"  raw Ed25519 verify, {processes} processes       : {raw_all:10.0f} /s "
        f"(mean of {raw_before:.0f} before, {raw_after:.0f} after)"
    )
    out.print(
        f"  ansinh verify (bundle)               : {rate:10.0f} /s   "
        f"{rate / raw_all:.2f}x raw ({run['seconds']:.1f} s)"
    )
    out.print(
        f"  CPU per entry, all processes         : {cpu_us:10.1f} us  "
        f"{raw_cpu_us / cpu_us:.2f}x raw ({raw_cpu_us:.1f} us per bare signature check)"
    )
    out.print(
        f"  peak memory                          : {result['peak_rss_mb']} MB "
        f"(main {result['peak_rss_main_mb']}, worker {result['peak_rss_worker_mb']})"
    )
    out.print(f"  inclusion proof at {entries}          : {inclusion_ms:.3f} ms (median)")
    out.print(f"  consistency proof at {entries}        : {consistency_ms:.3f} ms (median)")


def bench_proof(
    entries: Annotated[int, typer.Option("--entries")] = 200_000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Inclusion and consistency proof times from the node store at N entries."""
    directory = Path(tempfile.mkdtemp(prefix="ansinh-bench-proof-"))
    try:
        rng = random.Random(1)
        tree = stored_tree(directory, (rng.randbytes(64) for _ in range(entries)))
        inclusion_ms, consistency_ms = proof_times_ms(tree)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    result = {
        "entries": entries,
        "inclusion_proof_ms": round(inclusion_ms, 3),
        "consistency_proof_ms": round(consistency_ms, 3),
    }
    if as_json:
        print(json.dumps(result))
        return
    Console(highlight=False).print(
        f"proofs at {entries} entries: inclusion {inclusion_ms:.3f} ms, "
        f"consistency {consistency_ms:.3f} ms (medians of 200)"
    )
