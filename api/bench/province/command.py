"""``ansinh bench province``: a province's communes on one PostgreSQL, month-end peaks included.

Each commune is a ledger in its own schema of one database. It brings its
register in, then month after month records a trickle of work and, at
month-end, its payroll, all communes at once. Printed: entries/s sustained
(the whole run) and at the month-end peak at each number of concurrent
writers (where the rate stops growing is where this machine stops), the
latency of each batch, two writers on two communes against one on one,
the connections in use at peak, disk per million entries, and the time to
sign every commune's checkpoint, verify every commune (``verify --db``) and
collect and verify the province log.
"""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer
from rich.console import Console

from api.bench.province.run import Options, ProvinceRun
from ledger.storage.settings import is_postgres

err = Console(stderr=True, highlight=False)


def _writers(text: str) -> tuple[int, ...]:
    try:
        levels = tuple(int(x) for x in text.split(","))
    except ValueError:
        levels = ()
    if not levels or min(levels) < 1 or max(levels) > 64:
        raise typer.BadParameter("numbers from 1 to 64, comma-separated", param_hint="--writers")
    return levels


def bench_province(
    db: Annotated[str, typer.Option("--db", help="A postgresql:// URL (schemas made there)")],
    communes: Annotated[int, typer.Option("--communes", min=1, max=1000)] = 100,
    months: Annotated[int, typer.Option("--months", min=1, max=60)] = 12,
    scale: Annotated[
        float,
        typer.Option("--scale", min=0.001, max=10.0, help="1: about 2,000 entries a commune-month"),
    ] = 1.0,
    writers: Annotated[
        str,
        typer.Option("--writers", help="Concurrent writers at month-end, in turn month by month"),
    ] = "1,2,4,8",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=10_000)] = 500,
    pair_rounds: Annotated[
        int, typer.Option("--pair-rounds", min=0, help="Rounds of one writer against two")
    ] = 3,
    verify_processes: Annotated[int, typer.Option("--verify-processes", min=1)] = 2,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A province on one PostgreSQL: sustained and peak entries/s, latency, disk, verification."""
    if not is_postgres(db):
        raise typer.BadParameter("a postgresql:// URL", param_hint="--db")
    opts = Options(
        db, communes, months, scale, _writers(writers), batch_size, pair_rounds, verify_processes
    )
    result: dict[str, Any] = {
        "communes": communes,
        "months": months,
        "scale": scale,
        "writers": list(opts.writers),
        "batch_size": batch_size,
        "cpus": os.cpu_count(),
    }
    result |= ProvinceRun(opts, lambda line: err.print(line)).run()
    if as_json:
        print(json.dumps(result))
        return
    show(result)


def show(r: dict[str, Any]) -> None:
    """The figures as a table: rates, their ratios against one writer, sizes and times."""
    out = Console(highlight=False, soft_wrap=True)
    out.print(
        f"province on PostgreSQL: {r['communes']} communes x {r['months']} months "
        f"(scale {r['scale']}, payroll batches of {r['batch_size']}); "
        f"recording timed, signing not ({r['signing_s']:.0f} s)"
    )
    out.print(
        f"  entries recorded            : {r['entries_recorded']:>10,} "
        f"({r['entries_per_commune_month']:,.0f} a commune-month); "
        f"{r['entries_in_db']:,} in the schemas with the pair rounds' {r.get('pair_entries', 0):,}"
    )
    out.print(f"  registers brought in        : {r['opening_per_s']:10,.0f} /s")
    out.print(
        f"  sustained, whole run        : {r['sustained_per_s']:10,.0f} /s "
        f"({r['recording_s']:,.0f} s recording)"
    )
    out.print(
        f"  during the month            : {r['trickle_per_s']:10,.0f} /s "
        f"(batches of 25: p99 {r['trickle_batch_ms_p99']:.0f} ms)"
    )
    out.print("  month-end payroll, all communes at once (median of the months at each level;")
    out.print("  latency of each batch submission, read and recorded):")
    base = r["peak_levels"][0]["per_s"] if r["peak_levels"] else 0.0
    for level in r["peak_levels"]:
        ratio = level["per_s"] / base if base else 0.0
        out.print(
            f"    {level['writers']:>2} writer(s)                : {level['per_s']:10,.0f} /s"
            f"   {ratio:.2f}x   p50 {level['batch_ms_p50']:7.0f} ms   "
            f"p99 {level['batch_ms_p99']:7.0f} ms   ({level['months']} months)"
        )
    out.print(
        f"  peak                        : {r['peak_per_s']:10,.0f} /s at {r['peak_writers']} "
        f"writers, p99 {r['peak_batch_ms_p99']:.0f} ms"
    )
    if "pair_ratio" in r:
        each = ", ".join(f"{x:.2f}" for x in r["pair_ratio_each"])
        out.print(f"  one writer, one commune     : {r['pair_solo_per_s']:10,.0f} /s")
        out.print(
            f"  two writers, two communes   : {r['pair_two_per_s']:10,.0f} /s"
            f"   {r['pair_ratio']:.2f}x ({each})"
        )
    out.print(
        f"  connections at peak         : {r['connections_peak']:10} "
        f"(the database's, everyone's; {r['connections_before']} before the run)"
    )
    out.print(
        f"  disk                        : {r['disk_bytes'] / 1e9:10.2f} GB, "
        f"{r['disk_gb_per_million']:.2f} GB per million entries"
    )
    out.print(f"  checkpoints signed          : {r['checkpoints_s']:10.1f} s (the notary replays)")
    out.print(
        f"  verify --db, every commune  : {r['verify_s']:10.1f} s "
        f"({r['verify_entries']:,} entries, {r['verify_per_s']:,.0f} /s)"
    )
    out.print(
        f"  province log                : collected in {r['province_collect_s']:.1f} s, "
        f"verified in {r['province_verify_s']:.2f} s ({r['province_communes']} communes, "
        f"{r['province_log_entries']} entries)"
    )
    out.print(f"  schemas left                : {r['schemas_left']:10}")
