"""``ansinh bench province`` on a tiny province: every figure reported, and consistent.

Nothing here is timed: the figures must agree with each other and with what
the communes' traffic holds, and the run must leave no schema behind.
"""

from __future__ import annotations

import base64
import json

import psycopg
import pytest
from typer.testing import CliRunner

from api.bench.province.after import PROVINCE
from api.bench.province.traffic import CommuneTraffic
from api.cli.main import app as cli_app
from tests.conftest import ON_CI, PG_URL, pg_available

RATES = ["sustained_per_s", "opening_per_s", "trickle_per_s", "peak_per_s", "verify_per_s"]


def generated(communes: int, months: int, scale: float, batch_size: int) -> int:
    """The entries the communes' traffic holds, signed again from the same seeds."""
    total = 0
    for i in range(communes):
        commune = CommuneTraffic(f"{PROVINCE}/c{i:03d}", i, scale, batch_size)
        total += len(commune.opening())
        total += sum(commune.month(m).entries for m in range(1, months + 1))
    return total


@pytest.mark.postgres
def test_bench_province_records_every_statement_reports_each_figure_and_drops_its_schemas() -> None:
    if not pg_available():
        if ON_CI:
            pytest.fail(f"PostgreSQL is unreachable at {PG_URL} (CI must not skip it)")
        pytest.skip("PostgreSQL is not running here")
    args = ["--communes", "2", "--months", "2", "--scale", "0.01", "--writers", "1,2"]
    args += ["--batch-size", "10", "--pair-rounds", "1", "--verify-processes", "1"]
    result = CliRunner().invoke(cli_app, ["bench", "province", "--db", PG_URL, *args, "--json"])
    assert result.exit_code == 0, result.output
    r = json.loads(result.stdout.strip().splitlines()[-1])

    assert r["entries_recorded"] == generated(2, 2, 0.01, 10)
    assert r["entries_in_db"] == r["entries_recorded"] + r["pair_entries"] > r["entries_recorded"]
    assert r["verify_entries"] == r["entries_in_db"]
    for name in RATES:
        assert r[name] > 0, name
    assert [(x["writers"], x["months"]) for x in r["peak_levels"]] == [(1, 1), (2, 1)]
    assert r["peak_per_s"] == max(x["per_s"] for x in r["peak_levels"])
    assert all(0 < x["batch_ms_p50"] <= x["batch_ms_p99"] for x in r["peak_levels"])
    assert r["pair_ratio"] == pytest.approx(r["pair_ratio_each"][0])
    assert r["connections_peak"] > 0 and r["disk_bytes"] > 0
    assert r["disk_gb_per_million"] == pytest.approx(
        r["disk_bytes"] / r["entries_in_db"] * 1e6 / 1e9, abs=0.001
    )
    assert r["province_communes"] == 2 and r["province_log_entries"] >= 4
    assert r["schemas_left"] == 0
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        left = conn.execute(
            "SELECT count(*) FROM pg_namespace WHERE starts_with(nspname, %s)",
            (r["schema_prefix"],),
        ).fetchone()
    assert left == (0,)


def test_a_commune_month_is_mostly_its_payroll_one_payment_per_benefit() -> None:
    commune = CommuneTraffic(f"{PROVINCE}/c000", 0, 1.0, 500)
    register = len(commune.opening())
    january = commune.month(1)
    february = commune.month(2)

    assert 1_200 * 4 <= register <= 2_400 * 4 + 20  # four statements a beneficiary
    assert 1_500 <= january.entries <= 3_000
    paid = [
        json.loads(base64.b64decode(json.loads(line)["payload"]))["body"]["benefit_id"]
        for batch in february.payroll
        for line in batch.split("\n")
    ]
    assert sorted(paid) == sorted(b.benefit_id for b in commune.active)
    assert len(paid) > february.entries / 2
    assert all(batch.count("\n") < 500 for batch in february.payroll)
