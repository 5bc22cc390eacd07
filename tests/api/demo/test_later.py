"""The demo's later years, July 2022 - December 2024, as ``ansinh demo`` builds them.

Built once for the module through the command line (on PostgreSQL in its own
schema under ``ANSINH_TEST_DB=postgres``), and read back from the ledger: the
reconciliation of the later years finds exactly what they plant, each
finding with evidence that verifies offline; the list sent to the post
office is the payroll as the log stood; the July 2024 level, the death and
the review round show in what is due and paid; and the whole ledger, FORMATS
1.3 and all, verifies with the independent verifier.
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import paying_agents, reading
from api.cli.main import app
from api.demo.later import agents, deaths
from ledger.application import LedgerApplication
from ledger.audit.evidence import dumps, gather, verify_evidence
from projections.model import Snapshot
from projections.reports.agents import agent_list, list_digest
from tests.conftest import scratch_schema
from tests.ledger.audit.independent import verify_independently

runner = CliRunner()


@dataclass
class Later:
    ledger: LedgerApplication
    summary: dict[str, Any]
    keys: Path
    folder: Path

    def read(self, as_of: int | None = None) -> reading.Read:
        return reading.read_at(reading.Direct(self.ledger), as_of)

    def statements(self, kind: str) -> list[tuple[int, dict[str, Any]]]:
        found = []
        for entry in self.ledger.entries():
            statement = json.loads(base64.b64decode(entry.envelope["payload"]))
            if statement["type"] == kind:
                found.append((entry.index, statement))
        return found


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Later]:
    folder = tmp_path_factory.mktemp("later")
    keys = folder / "keys"

    def build(db: str) -> Later:
        result = runner.invoke(app, ["demo", "--db", db, "--keys", str(keys), "--json"])
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        ledger = LedgerApplication(db, vault_key=keys / "vault.key")
        return Later(ledger, json.loads(result.stdout), keys, folder)

    if os.environ.get("ANSINH_TEST_DB", "sqlite") != "postgres":
        built = build(str(folder / "ledger.db"))
        yield built
        built.ledger.close()
        return
    with scratch_schema() as url:
        built = build(url)
        yield built
        built.ledger.close()


def test_the_later_years_find_exactly_what_they_plant(later: Later) -> None:
    years = later.summary["later"]
    assert years["formats"] == "1.3" and years["period"] == ["2022-07", "2024-12"]
    planted = Counter(p["code"] for p in years["planted"])
    assert planted == {
        "PAID_AFTER_LEAVING": 1,
        "PAID_WHILE_SUSPENDED": 1,
        "UNPAID_ENTITLEMENT": 1,  # two lines of one list
        "GRIEVANCE_OVERDUE": 2,
        "PAYMENT_DISPUTED": 1,
    }
    # the Tết fund of 2022 stays overdrawn: funds are reckoned over the whole ledger
    assert years["anomalies"] == {**planted, "UNPAID_ENTITLEMENT": 2, "FUND_OVERDRAWN": 1}


def test_each_finding_of_the_later_years_has_evidence_that_verifies(later: Later) -> None:
    read = later.read()
    doc = reading.reconciliation(read, "2022-07", "2024-12", "2024-12-31", identities=True)
    authority = later.summary["authority_key_id"]
    for finding in doc["anomalies"]:
        if finding["code"] == "FUND_OVERDRAWN":
            continue
        assert finding["evidence"], finding
        file = dumps(gather(later.ledger, finding["evidence"]))
        outcome = verify_evidence(file, authority=authority)
        assert sorted(outcome.asked) == sorted(finding["evidence"]), finding["code"]


def test_the_list_sent_to_the_post_office_is_the_payroll_as_the_log_stood(later: Later) -> None:
    ((index, sent),) = later.statements("payroll.sent")
    body = sent["body"]
    assert (body["month"], body["sent_on"]) == (agents.SENT_MONTH, agents.SENT_ON)
    data, lines, total = agent_list(later.read(index).snap, body["month"])
    assert list_digest(data) == body["list_sha256"]
    assert (lines, total) == (body["lines"], body["total"]) and lines > 500
    settled = [s["body"] for _, s in later.statements("payroll.settled")]
    assert len(settled) == lines
    assert Counter(s["outcome"] for s in settled) == {"paid": lines - 2, "not_paid": 2}
    report = paying_agents.agents_report(later.read(), "2024-12-31")
    assert report["findings"] == []
    (row,) = report["sendings"]
    assert (row["not_paid_lines"], row["paid_lines"], row["unsettled_lines"]) == (2, lines - 2, 0)
    assert row["refunded"] == row["not_paid"] > 0 and row["held"] == 0 and not row["late"]


def test_the_july_2024_level_raises_the_social_allowances(later: Later) -> None:
    snap = later.read().snap
    social = next(p.program_id for p in snap.programs.values() if p.code == "BTXH")
    by_month: dict[str, set[int]] = {"2024-06": set(), "2024-07": set()}
    for payment in snap.payments.values():
        if snap.benefits[payment.benefit_id].program_id == social and payment.month in by_month:
            by_month[payment.month].add(payment.amount)
    assert min(by_month["2024-06"]) == 360_000 and 500_000 not in by_month["2024-06"]
    assert min(by_month["2024-07"]) == 500_000 and 360_000 not in by_month["2024-07"]
    assert all(amount % 250_000 == 0 for amount in by_month["2024-07"])  # 500.000 × 0,5 steps


def test_a_death_from_the_civil_registry_stops_the_allowance_after_its_month(later: Later) -> None:
    snap: Snapshot = later.read().snap
    died = [p for p in snap.people.values() if p.died_on == deaths.DIED_ON]
    assert len(died) == 1
    paid = sorted(
        payment.month or ""
        for payment in snap.payments.values()
        if snap.benefits[payment.benefit_id].person_id == died[0].person_id
    )
    assert paid[-1] == "2024-10" and "2024-09" in paid


def test_the_page_s_and_the_agent_s_keys_are_written_with_the_others(later: Later) -> None:
    names = {p.stem for p in later.keys.glob("*.key")}
    assert {"intake", "agent", "cashier-1", "vault"} <= names
    roles = {r.holder_id: r.roles for r in later.ledger.key_records()}
    assert roles[agents.POST_OFFICE] == ["agent"]


def test_the_later_ledger_verifies_with_the_independent_verifier(later: Later) -> None:
    bundle = later.folder / "bundle"
    result = runner.invoke(app, ["export", str(bundle), "--db", str(later.ledger.db)])
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    entries = (bundle / "entries.jsonl").read_bytes()
    note = (bundle / "checkpoint").read_text("utf-8")
    size, _ = verify_independently(entries, note, later.summary["authority_key_id"])
    assert size == later.summary["entries"] == later.ledger.size()


def test_verify_says_the_ledger_declared_1_1_and_adopted_1_3_since(later: Later) -> None:
    authority = later.summary["authority_key_id"]
    args = ["verify", "--db", str(later.ledger.db), "--authority", authority]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    assert f"OK {later.summary['entries']} entries" in result.stdout
    assert "FORMATS 1.1 (FORMATS 1.3 adopted since)" in result.stdout
