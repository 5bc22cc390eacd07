"""``ansinh bench import`` on a tiny run: every figure is reported, and consistent.

Nothing here is timed: the run must preview, sign and record every row of
both lists, whatever this machine's speed.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.cli.main import app as cli_app

LAYOUTS = ("households", "payroll")
FIGURES = ("read_s", "snapshot_s", "preview_s", "sign_s", "submit_s", "preview_ratio")


def test_a_tiny_import_bench_reports_each_figure_of_each_layout() -> None:
    result = CliRunner().invoke(
        cli_app, ["bench", "import", "--rows", "20", "--repeat", "2", "--json"]
    )
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    figures = json.loads(result.stdout)
    assert (figures["rows"], figures["repeat"], figures["db"]) == (20, 2, "sqlite")
    for layout in LAYOUTS:
        values = {name: figures[f"{layout}_{name}"] for name in FIGURES}
        assert all(v > 0 for v in values.values()), values
        ratio = values["preview_s"] / values["read_s"]
        assert abs(ratio - values["preview_ratio"]) <= 0.01 * ratio + 0.01


def test_the_import_bench_refuses_sizes_out_of_its_bounds() -> None:
    result = CliRunner().invoke(cli_app, ["bench", "import", "--rows", "5"])
    assert result.exit_code == 2
    assert "--rows 10..50000" in result.stderr
