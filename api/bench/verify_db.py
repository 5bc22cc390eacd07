"""``ansinh bench verify --db``: verifying a live database, with and without its tables.

It records a ledger of N realistic statements through acceptance (the same
commune as ``bench rebuild``: households, people with vault records,
benefits, six months of payments, moves, deaths, reversals), builds its read
models and node cache, signs a checkpoint and exports its bundle, untimed.
Then, in one run and each in a fresh process, it times three verifications
of the same entries, interleaved ``--repeat`` times:

- ``bundle``: ``ansinh verify bundle.tar`` (what an inspector runs offline);
- ``log``: ``verify --db`` of the log and checkpoints only, read as the
  ledger reads them (what ``verify --db`` did before it checked the tables);
- ``db``: ``verify --db`` as it is, every table rebuilt from the entries and
  compared (events, nonce claims, node cache, vault opened, read models).

The figure is the ratio ``db / log``: what checking the tables costs.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console

from api.bench.rebuild import ORIGIN, generate
from api.bench.scratch import scratch_db
from api.demo.statements import SampleCommune
from ledger.application import LedgerApplication
from ledger.audit.bundle import export_bundle
from ledger.formats.vault import VaultKey
from ledger.tlog.merkle_log import MerkleLog
from projections.tables.runner import Projections

err = Console(stderr=True, highlight=False)

_RUN = """
import json, resource, sys, time
from pathlib import Path
from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
def cpu():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
mode, where, key, processes = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), int(sys.argv[4])
c, t = cpu(), time.perf_counter()
if mode == "bundle":
    from ledger.audit.ledger import verify_bundle
    out = verify_bundle(Path(where), processes=processes)
elif mode == "log":
    from ledger.audit.ledger import verify_ledger
    out = verify_ledger(LedgerApplication(where), processes=processes, tables=False)
else:
    from projections.tables.audit import verify_database
    out = verify_database(LedgerApplication(where), processes=processes, vault_key=VaultKey(key))
s, c = time.perf_counter() - t, cpu() - c
rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": s, "cpu_seconds": c, "entries": out.entries, "rss_mb": rss}))
"""


def _run(mode: str, where: str, key: bytes, processes: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, mode, where, key.hex(), str(processes)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"verify ({mode}) failed: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_verify_db(
    entries: int, processes: int, repeat: int, db: str, as_json: bool
) -> dict[str, Any]:
    """Build the ledger, then time the three verifications; prints and returns the figures."""
    key = VaultKey.generate()
    commune = SampleCommune(ORIGIN)  # its keys are the generated ledger's
    with scratch_db(db, "verifydb") as url, tempfile.TemporaryDirectory() as scratch:
        err.print(f"recording a ledger of {entries} statements ...")
        ledger = LedgerApplication(url, vault_key=VaultKey(key))
        try:
            generate(ledger, entries, lambda n: None)
            Projections(ledger).rebuild()
            MerkleLog(ledger).issue(commune.keys["notary"])
            bundle = Path(scratch) / "bundle"
            export_bundle(ledger, bundle, notary=None)
        finally:
            ledger.close()
        runs: dict[str, list[dict[str, Any]]] = {"bundle": [], "log": [], "db": []}
        for round_ in range(repeat):
            err.print(f"verifying, round {round_ + 1} of {repeat} ...")
            for mode in runs:
                where = str(bundle) if mode == "bundle" else url
                runs[mode].append(_run(mode, where, key, processes))
    result: dict[str, Any] = {"entries": entries, "processes": processes, "repeat": repeat}
    for mode, done in runs.items():
        assert all(r["entries"] == entries for r in done)
        result[f"{mode}_s"] = round(statistics.median(r["seconds"] for r in done), 2)
        result[f"{mode}_cpu_s"] = round(statistics.median(r["cpu_seconds"] for r in done), 2)
        result[f"{mode}_rss_mb"] = round(max(r["rss_mb"] for r in done), 1)
    ratios = [d["seconds"] / g["seconds"] for d, g in zip(runs["db"], runs["log"], strict=True)]
    cpu = [
        d["cpu_seconds"] / g["cpu_seconds"] for d, g in zip(runs["db"], runs["log"], strict=True)
    ]
    result["db_over_log"] = round(statistics.median(ratios), 3)
    result["db_over_log_each"] = [round(r, 3) for r in ratios]
    result["db_over_log_cpu"] = round(statistics.median(cpu), 3)
    result["db_over_bundle"] = round(result["db_s"] / result["bundle_s"], 3)
    if as_json:
        print(json.dumps(result))
        return result
    out = Console(highlight=False)
    out.print(f"verify --db: {entries} entries, {processes} processes, median of {repeat}")
    for mode, label in (
        ("bundle", "bundle (offline)            "),
        ("log", "--db, log and checkpoints   "),
        ("db", "--db, every table as well   "),
    ):
        out.print(
            f"  {label}: {result[f'{mode}_s']:7.2f} s, CPU {result[f'{mode}_cpu_s']:7.2f} s, "
            f"peak {result[f'{mode}_rss_mb']} MB"
        )
    out.print(
        f"  the tables' checks: {result['db_over_log']:.2f}x the log's time "
        f"(CPU {result['db_over_log_cpu']:.2f}x); {result['db_over_bundle']:.2f}x the bundle's"
    )
    return result
