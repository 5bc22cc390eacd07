"""``ansinh bench``: speed measured side by side, in one run, on one machine.

This machine is shared and noisy: absolute rates drift between runs, so
every figure is printed beside a baseline measured in the same run, and the
ratio is what to compare. Run a few times and quote medians. Each bench is a
module of its own; this one composes them into the command group.
"""

from __future__ import annotations

import typer

from api.bench import append, console, http, imports, log, rebuild
from api.bench.province.command import bench_province

bench_app = typer.Typer(
    help="Benchmarks: ratios against a baseline measured in the same run.", no_args_is_help=True
)
bench_app.command("append")(append.bench_append)
bench_app.command("rebuild")(rebuild.bench_rebuild)
bench_app.command("http")(http.bench_http)
bench_app.command("verify")(log.bench_verify)
bench_app.command("proof")(log.bench_proof)
bench_app.command("import")(imports.bench_import)
bench_app.command("console")(console.bench_console)
bench_app.command("province")(bench_province)
