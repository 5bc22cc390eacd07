"""``ansinh bench console`` on a tiny run: both paths record every row, every figure is given.

Nothing here is timed. The bench drives Chromium (installed by ``make test``).
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from api.cli.main import app as cli_app


def test_a_tiny_console_bench_records_every_row_by_both_paths_and_reports_ratios() -> None:
    result = CliRunner().invoke(
        cli_app, ["bench", "console", "--rows", "12", "--repeat", "2", "--json"]
    )
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    figures = json.loads(result.stdout)
    assert (figures["rows"], figures["repeat"], figures["db"]) == (12, 2, "sqlite")
    assert figures["recorded"] == 12 * 2 * 2  # each run: a month by the browser, one by the CLI
    for path in ("browser", "cli"):
        assert figures[f"{path}_preview_s"] > 0
        assert figures[f"{path}_sign_submit_s"] > 0
    ratio = figures["browser_sign_submit_s"] / figures["cli_sign_submit_s"]
    assert abs(ratio - figures["sign_submit_ratio"]) <= 0.01 * ratio + 0.01


def test_the_console_bench_refuses_sizes_out_of_its_bounds() -> None:
    result = CliRunner().invoke(cli_app, ["bench", "console", "--repeat", "9"])
    assert result.exit_code == 2
    assert "--repeat 1..5" in result.stderr
