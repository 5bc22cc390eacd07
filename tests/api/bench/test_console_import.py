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
    for step, browser, cli in (
        ("preview", "browser_preview_s", "cli_preview_s"),
        ("sign_submit", "browser_sign_submit_s", "cli_sign_submit_s"),
    ):
        b, c = figures[browser], figures[cli]  # rounded to the millisecond: the ratio is not
        slack = (b / c) * (0.0005 / b + 0.0005 / c) + 0.01
        assert abs(b / c - figures[f"{step}_ratio"]) <= slack, (step, b, c)


def test_the_console_bench_refuses_sizes_out_of_its_bounds() -> None:
    result = CliRunner().invoke(cli_app, ["bench", "console", "--repeat", "9"])
    assert result.exit_code == 2
    assert "--repeat 1..5" in result.stderr
