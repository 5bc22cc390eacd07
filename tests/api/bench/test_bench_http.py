"""``ansinh bench http`` on a tiny run: every phase runs and reports sane figures.

Nothing here is timed: the figures must be consistent with each other and
with the ledger the run leaves behind, whatever this machine's speed.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.bench.http import HttpCommune
from api.bench.http_load import response
from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.formats.dsse import open_envelope
from ledger.formats.fields import MAX_YEAR
from tests.conftest import ON_CI, PG_URL, pg_available

FIGURES = ["http_per_s", "inprocess_per_s", "http_ratio", "p50_ms", "p99_ms", "page_per_s"]


def bench_db(tmp_path: Path) -> str:
    """A new SQLite file (kept after the run), or the PostgreSQL server (a scratch schema)."""
    if os.environ.get("ANSINH_TEST_DB", "sqlite") != "postgres":
        return str(tmp_path / "bench.db")
    if not pg_available():
        if ON_CI:
            pytest.fail(f"PostgreSQL is unreachable at {PG_URL} (CI must not skip it)")
        pytest.skip("PostgreSQL is not running here")
    return PG_URL


def run_bench(*args: str) -> Any:
    result = CliRunner().invoke(cli_app, ["bench", "http", *args])
    return result


def test_bench_http_reports_every_figure_and_leaves_exactly_the_accepted_entries(
    tmp_path: Path,
) -> None:
    db = bench_db(tmp_path)
    result = run_bench(
        "--seconds", "0.5", "--clients", "4", "--households", "12", "--db", db, "--json"
    )
    assert result.exit_code == 0, result.output
    r = json.loads(result.stdout.strip().splitlines()[-1])

    for name in FIGURES:
        assert isinstance(r[name], float | int), name
    assert r["errors"] == 0 and r["error_samples"] == []
    assert r["valid"] is True
    assert r["clients"] == 4 and r["seconds"] == 0.5
    assert r["inprocess_count"] > 0 and r["http_count"] > 0 and r["page_count"] > 0
    for phase, count in [("inprocess", "inprocess_count"), ("http", "http_count")]:
        window_s = r["windows_s"][phase]
        assert 0 < window_s < 30
        rate = r[count] / window_s
        assert r[f"{phase}_per_s"] == pytest.approx(rate, rel=0.02, abs=1)
    assert r["page_per_s"] == pytest.approx(r["page_count"] / r["windows_s"]["page"], rel=0.02)
    assert r["http_ratio"] == pytest.approx(
        r["http_per_s"] / r["inprocess_per_s"], rel=0.01, abs=0.002
    )
    assert 0 < r["p50_ms"] <= r["p99_ms"]
    assert (
        set(r["met"]) == set(r["targets"]) == {"http_per_s", "http_ratio", "p99_ms", "page_per_s"}
    )
    assert r["met"]["p99_ms"] is (r["p99_ms"] < r["targets"]["p99_ms"])
    assert r["met"]["http_per_s"] is (r["http_per_s"] >= r["targets"]["http_per_s"])

    parts = ["setup_entries", "warmup_count", "inprocess_count", "http_count"]
    assert r["expected_entries"] == sum(r[p] for p in parts)
    assert r["ledger_entries"] == r["expected_entries"]
    if not db.startswith("postgresql://"):  # the file is kept: count its entries ourselves
        ledger = LedgerApplication(db)
        try:
            assert ledger.size() == r["ledger_entries"]
        finally:
            ledger.close()


def test_bench_http_refuses_a_database_file_that_already_exists(tmp_path: Path) -> None:
    existing = tmp_path / "ledger.db"
    existing.write_bytes(b"")
    result = run_bench("--seconds", "0.5", "--db", str(existing))
    assert result.exit_code == 2
    assert "needs a new database" in result.output


def test_bench_payments_name_only_months_the_ledger_accepts_however_long_the_run() -> None:
    commune = HttpCommune()
    commune.monthly = [(str(uuid.uuid4()), str(uuid.uuid4()), 1_624_000)]  # one a month
    rounds = (MAX_YEAR - 2022 + 1) * 12 + 24  # longer than there are months left to pay
    # Each statement is opened as the ledger opens it: a month past MAX_YEAR is refused.
    months = [open_envelope(json.loads(p)).body["month"] for p in commune.payments(rounds)]
    assert months[0] == "2022-07"
    assert max(months) == f"{MAX_YEAR}-12"
    assert months[months.index(f"{MAX_YEAR}-12") + 1] == "2022-07"


def read_response(raw: bytes) -> tuple[int, bytes, bool]:
    async def go() -> tuple[int, bytes, bool]:
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await response(reader)

    return asyncio.run(go())


def test_bench_client_reads_a_response_by_its_length_and_keeps_the_connection() -> None:
    raw = b"HTTP/1.1 201 Created\r\nContent-Length: 5\r\nContent-Type: x\r\n\r\nhelloNEXT"
    assert read_response(raw) == (201, b"hello", True)


def test_bench_client_reads_a_chunked_response_and_sees_the_connection_closing() -> None:
    raw = (
        b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b"3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
    )
    assert read_response(raw) == (404, b"abcde", False)
