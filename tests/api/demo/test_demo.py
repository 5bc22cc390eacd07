"""The demo ledger: Chiềng En, first half of 2022, as ``ansinh demo`` builds it.

The demo is built once for the module (on PostgreSQL in its own schema under
``ANSINH_TEST_DB=postgres``), through the command line, and read back from
the ledger: the figures are checked against the log, not against the
generator's own bookkeeping.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import shlex
import stat
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from api.demo import data as d
from ledger.application import LedgerApplication
from ledger.audit.ledger import verify_ledger
from ledger.formats.dsse import sign_statement
from ledger.formats.keys import read_key_file
from projections.model import Snapshot
from projections.query import snapshot
from projections.reports.reconciliation import reconcile
from tests.conftest import scratch_schema
from tests.support.paths import ROOT

SEED = 1
runner = CliRunner()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new database for the module, on the backend this run tests."""
    if os.environ.get("ANSINH_TEST_DB", "sqlite") != "postgres":
        yield str(tmp_path_factory.mktemp("demo") / "ledger.db")
        return
    with scratch_schema() as url:
        yield url


@dataclass
class Built:
    db: str
    keys: Path
    summary: dict[str, Any]
    ledger: LedgerApplication
    snap: Snapshot
    statements: list[dict[str, Any]]

    def program(self, code: str) -> str:
        return next(p.program_id for p in self.snap.programs.values() if p.code == code)

    def paid(self, *categories: str) -> int:
        wanted = {p.program_id for p in self.snap.programs.values() if p.category in categories}
        return sum(
            p.amount
            for p in self.snap.payments.values()
            if self.snap.benefits[p.benefit_id].program_id in wanted and not p.reversed
        )


SecondRun = tuple["subprocess.Popen[bytes]", Path]


@pytest.fixture(scope="module")
def second_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecondRun]:
    """The demo's statements generated again, in another process with another hash seed.

    Started before the demo is built, so the two runs share the machine's cores.
    """
    out = tmp_path_factory.mktemp("second-run") / "payloads.json"
    code = (
        "import json, sys; from api.demo.story import generate; "
        f"subs = generate({SEED}, later=False).submissions; "
        "json.dump([s.signed.envelope['payload'] for s in subs], open(sys.argv[1], 'w'))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    process = subprocess.Popen([sys.executable, "-c", code, str(out)], cwd=ROOT, env=env)
    yield process, out
    if process.poll() is None:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def built(
    demo_db: str, tmp_path_factory: pytest.TempPathFactory, second_run: SecondRun
) -> Iterator[Built]:
    # second_run is asked for only so that it starts first and runs beside the build.
    keys = tmp_path_factory.mktemp("demo-keys") / "keys"
    args = ["demo", "--db", demo_db, "--keys", str(keys), "--seed", str(SEED), "--json"]
    args.append("--no-later")  # the first half-year: the later years have tests of their own
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    ledger = LedgerApplication(demo_db, vault_key=keys / "vault.key")
    statements = [json.loads(base64.b64decode(e.envelope["payload"])) for e in ledger.entries()]
    yield Built(demo_db, keys, json.loads(result.stdout), ledger, snapshot(ledger), statements)
    ledger.close()


def one_line(text: str) -> str:
    """Console output with its wrapping undone, for matching messages."""
    return " ".join(text.split())


def bodies(built: Built, type_: str) -> list[dict[str, Any]]:
    return [s["body"] for s in built.statements if s["type"] == type_]


# -- what the demo holds ------------------------------------------------------------------
def test_about_1200_households_live_in_a_dozen_villages(built: Built) -> None:
    snap = built.snap
    villages = Counter(h.village for h in snap.households.values())
    assert 1150 <= len(snap.households) <= 1250
    assert len(villages) == 12 and min(villages.values()) >= 50
    heads = Counter(p.household_id for p in snap.people.values() if p.relation == "head")
    assert set(heads) == set(snap.households) and set(heads.values()) == {1}
    assert 3 * len(snap.households) <= len(snap.people) <= 6 * len(snap.households)
    assert built.summary["households"] == len(snap.households)
    assert built.summary["villages"] == 12


def test_the_poverty_review_follows_decree_07(built: Built) -> None:
    line = d.POVERTY_LINE_VND
    for body in bodies(built, "household.status.proposed"):
        income, deprivations = (
            body["basis"]["income_per_capita_month"],
            body["basis"]["deprivation_count"],
        )
        if body["status"] == "poor":
            assert income <= line and deprivations >= 3, body
        elif body["status"] == "near_poor":
            assert income <= line and deprivations < 3, body
        else:
            assert income > line, body
    states = Counter(p.state for p in built.snap.proposals.values())
    assert states["proposed"] == 0 and 1 <= states["rejected"] <= 10
    assert built.summary["poor"] > 200 and built.summary["near_poor"] > 100
    assert built.summary["rejected_proposals"] == states["rejected"]


def test_meritorious_people_were_paid_just_over_three_billion(built: Built) -> None:
    merit = built.summary["meritorious"]
    assert built.paid("meritorious") == merit["total_vnd"]
    assert 3_000_000_000 <= merit["regular_vnd"] < 3_100_000_000
    assert 3_000_000_000 <= merit["total_vnd"] < 3_100_000_000
    assert merit["planted_vnd"] > 0
    for benefit in built.snap.benefits.values():
        if built.snap.programs[benefit.program_id].category == "meritorious":
            assert benefit.amount * 2 % d.STANDARD_LEVEL_VND == 0, benefit
    monthly = [p for p in built.snap.payments.values() if p.month is not None]
    assert {p.month for p in monthly} == set(d.MONTHS)
    assert all(p.paid_on[:7] == p.month for p in monthly)


def test_fifty_two_children_under_six_got_health_insurance_cards(built: Built) -> None:
    program = built.program("BHYT-TE")
    cards = [
        p
        for p in built.snap.payments.values()
        if built.snap.benefits[p.benefit_id].program_id == program
    ]
    assert len(cards) == 52 == built.summary["child_health_insurance_cards"]
    for card in cards:
        child = built.snap.people[built.snap.benefits[card.benefit_id].person_id or ""]
        assert child.birth_year >= 2017 and card.month is None
        assert built.snap.people[card.recipient].household_id == child.household_id


def test_tet_gifts_are_paid_in_january_and_one_fire_gets_relief(built: Built) -> None:
    snap = built.snap
    gifts = [
        p
        for p in snap.payments.values()
        if snap.benefits[p.benefit_id].program_id == built.program("TET-2022")
    ]
    assert len(gifts) == built.summary["tet_gifts"] > 200
    assert {p.paid_on[:7] for p in gifts} == {"2022-01"}
    relief = [b for b in snap.benefits.values() if b.program_id == built.program("CUU-TRO")]
    assert len(relief) == 1 and relief[0].household_id is not None
    assert built.summary["relief"] == {"households": 1, "paid_vnd": d.RELIEF_VND}


def test_statements_are_signed_on_their_business_dates(built: Built) -> None:
    for s in built.statements:
        if s["type"] == "payment.recorded":
            assert s["at"][:10] == s["body"]["paid_on"]
        assert "2021-11-30" <= s["at"][:10] <= "2022-06-30", s


def test_reconciliation_finds_the_planted_irregularities(built: Built) -> None:
    report = reconcile(built.snap, "2022-01", "2022-06", on="2022-06-30")
    found = Counter(a["code"] for a in report["anomalies"])
    planted = {p["code"] for p in built.summary["planted"]}
    assert len(planted) >= 6
    assert planted <= set(found), f"planted but not found: {planted - set(found)}"
    assert sum(found.values()) <= 20, f"more than a handful of anomalies: {found}"
    assert built.summary["anomalies"] == dict(found)


def test_reports_on_the_demo_default_to_its_last_month_and_show_its_money(built: Built) -> None:
    """Built years after 2022, the demo is still reported on as of 30/06/2022 by default."""
    assert built.snap.last_recorded_at[:4] > "2022"
    base = ["--db", built.db, "--format", "json"]
    doc = json.loads(
        runner.invoke(
            app, ["report", "reconciliation", "--from", "2022-01", "--to", "2022-06", *base]
        ).stdout
    )
    assert doc["period"]["on"] == "2022-06-30"
    assert doc["totals"]["paid"] > 3_000_000_000 and doc["totals"]["entitled"] > 3_000_000_000
    assert all(row["entitled"] > 0 for row in doc["programs"] if row["kind"] == "monthly")
    lists = json.loads(runner.invoke(app, ["report", "lists", *base]).stdout)
    assert lists["on"] == "2022-06-30" and len(lists["beneficiaries"]) > 100
    payroll = json.loads(
        runner.invoke(app, ["report", "payroll", "--month", "2022-06", *base]).stdout
    )
    assert payroll["totals"]["due"] > 0 and payroll["totals"]["paid"] > 0


def test_every_demo_finding_names_a_household_or_program_and_its_evidence(built: Built) -> None:
    report = reconcile(built.snap, "2022-01", "2022-06")
    codes = {h.code for h in built.snap.households.values()}
    assert len({a["finding_id"] for a in report["anomalies"]}) == len(report["anomalies"])
    for a in report["anomalies"]:
        assert a["evidence"] and a["detail_vi"] != a["detail"], a
        if a["code"] == "FUND_OVERDRAWN":
            assert a["program_code"] == "TET-2022" and a["difference"] > 0
            continue
        assert a["household_code"] in codes and a["village"], a
        assert a["program_code"] and a["months"] and "expected" in a, a
    (death, *_) = [a for a in report["anomalies"] if a["code"] == "PAID_AFTER_DEATH"]
    result = runner.invoke(app, ["history", death["household_code"], "--db", built.db])
    assert result.exit_code == 0, result.output
    assert death["household_code"] in result.stdout and death["person_code"] in result.stdout
    person = runner.invoke(app, ["history", death["person_code"], "--db", built.db, "--json"])
    types = [json.loads(line)["statement"]["type"] for line in person.stdout.splitlines()]
    assert "person.died" in types and "payment.recorded" in types


def test_a_finding_is_followed_offline_by_the_commands_its_report_prints(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["report", "reconciliation", "--from", "2022-01", "--to", "2022-06", "--db", built.db]
    text = runner.invoke(app, [*args, "--format", "csv", "--table", "anomalies"]).stdout
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    death = next(r for r in rows if r["Mã"] == "PAID_AFTER_DEATH")
    history, export, verify = death["Kiểm chứng"].splitlines()
    assert history == f"ansinh history {death['Nhân khẩu']}"
    monkeypatch.chdir(tmp_path)
    written = runner.invoke(app, [*shlex.split(export)[1:], "--db", built.db])
    assert written.exit_code == 0, written.output
    authority = json.loads((built.keys / "authority.pub").read_text())["id"]
    checked = runner.invoke(app, [*shlex.split(verify)[1:], "--authority", authority])
    assert checked.exit_code == 0, checked.output
    evidence = [int(i) for i in death["Bút toán chứng minh"].split(", ")]
    assert checked.stdout.startswith(f"OK evidence of {len(evidence)} entries"), checked.stdout


def test_a_finding_named_by_its_id_exports_its_evidence(built: Built, tmp_path: Path) -> None:
    report = reconcile(built.snap, "2022-03", "2022-05")  # any period holding the finding
    (death, *_) = [a for a in report["anomalies"] if a["code"] == "PAID_AFTER_DEATH"]
    out = tmp_path / "evidence.json"
    args = ["export", "evidence", "--db", built.db, "--out", str(out)]
    written = runner.invoke(app, [*args, "--finding", death["finding_id"].upper()])
    assert written.exit_code == 0, written.output
    entries = json.loads(out.read_text())["entries"]
    assert sorted(e["index"] for e in entries if e["why"] == "asked") == death["evidence"]
    for given, says in (("0badc0ffee00", "no finding 0badc0ffee00"), ("x1", "not a finding id")):
        refused = runner.invoke(app, [*args[:-1], str(tmp_path / "no.json"), "--finding", given])
        assert refused.exit_code == 1 and "INVALID_FIELD: finding:" in refused.stderr
        assert says in refused.stderr and not (tmp_path / "no.json").exists()


# -- how it was built -------------------------------------------------------------------------
def test_the_same_seed_gives_byte_identical_statements(built: Built, second_run: SecondRun) -> None:
    """A second run, in another process with another hash seed, signs the same bytes."""
    process, out = second_run
    assert process.wait(timeout=300) == 0
    again = json.loads(out.read_text())
    stored = [e.envelope["payload"] for e in built.ledger.entries()]
    assert len(again) == len(stored)
    differ = [i for i, (a, b) in enumerate(zip(again, stored, strict=True)) if a != b]
    assert not differ, f"first differing entry: {differ[:1]}"


def test_the_demo_signs_what_sign_statement_would(built: Built) -> None:
    pairs = [read_key_file(p) for p in built.keys.glob("*.key") if p.name != "vault.key"]
    keys = {pair.key_id: pair for pair in pairs}
    for entry in list(built.ledger.entries())[::97]:
        statement = json.loads(base64.b64decode(entry.envelope["payload"]))
        assert sign_statement(statement, keys[statement["by"]]) == dict(entry.envelope)


def test_the_demo_ledger_verifies(built: Built) -> None:
    outcome = verify_ledger(built.ledger, authority=built.summary["authority_key_id"])
    assert outcome.entries == built.ledger.size() == built.summary["entries"]
    assert outcome.checkpoint_size == outcome.entries


def test_officers_keys_are_written_private_and_registered(built: Built) -> None:
    files = sorted(p.stem for p in built.keys.glob("*.key"))
    assert files == sorted([*d.KEY_FILES, "vault"])
    for path in built.keys.glob("*.key"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    records = built.ledger.key_records()
    holders = {
        role: sorted({k.holder_id for k in records if role in k.roles})
        for role in ("registrar", "approver", "cashier", "inspector")
    }
    assert holders["cashier"] == ["ke-toan-1", "ke-toan-2", "pho-chu-tich"]
    authority = f"authority:{built.summary['authority_key_id'][:16]}"
    assert holders["approver"] == [authority, "pho-chu-tich"]
    assert len(holders["registrar"]) == len(holders["inspector"]) == 1
    assert len(records) == len(d.KEY_FILES) - 1  # all but the notary's


def test_personal_data_stays_in_the_vault(built: Built) -> None:
    log_text = json.dumps(built.statements, ensure_ascii=False)
    for person_id in list(built.snap.people)[::500]:
        record = built.ledger.vault_record(person_id)
        assert record is not None
        assert record.record["national_id"] not in log_text
        assert record.record["full_name"] not in log_text


def test_refuses_a_database_that_already_holds_a_ledger(built: Built, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    result = runner.invoke(app, ["demo", "--db", built.db, "--keys", str(keys)])
    assert result.exit_code == 1
    assert "already holds a ledger" in one_line(result.stderr)
    assert not keys.exists() or not list(keys.glob("*.key"))


def test_refuses_a_keys_directory_that_already_holds_keys(built: Built, tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    result = runner.invoke(app, ["demo", "--db", str(db), "--keys", str(built.keys)])
    assert result.exit_code == 1
    assert "already holds keys" in one_line(result.stderr)
    fresh = LedgerApplication(str(db))
    assert fresh.size() == 0
    fresh.close()
