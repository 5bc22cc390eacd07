"""`ansinh agents send` and `ansinh agents report` (docs/formats.md 11.3)."""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli.main import app as cli_app
from ledger.domain.base import read_statement
from ledger.formats.keys import write_key_file
from projections.reports.agents import LIST_HEADER
from tests.conftest import Story
from tests.support.steps.agents import AGENT, agent_key, send


def _run(db_url: str, *args: object, code: int = 0) -> Result:
    result = CliRunner().invoke(cli_app, ["agents", *(str(a) for a in args)])
    if db_url.startswith("postgresql://"):
        gc.collect()  # close the command's connection pool now
    assert result.exit_code == code, (args, result.output, result.exception)
    return result


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANSINH_DB", "ANSINH_KEY_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


def test_send_writes_the_list_and_records_its_digest(
    story: Story, db_url: str, tmp_path: Path
) -> None:
    agent_key(story)
    for _ in range(2):
        story.beneficiary()
    key = tmp_path / "cashier.key"
    write_key_file(key, story.o.keys["cashier"])
    listed = tmp_path / "danh-sach.csv"
    args = ("--month", "2022-01", "--agent", AGENT, "--key", key, "--sent-on", "2021-12-20")
    result = _run(db_url, "send", *args, "--out", listed, "--db", db_url)
    printed = result.stdout
    assert "warning" not in result.output  # the list is the log's just before the sending
    data = listed.read_bytes()
    assert data.startswith(LIST_HEADER.encode()) and data.count(b"\n") == 3
    digest = hashlib.sha256(data).hexdigest()
    assert digest in printed
    kinds = [read_statement(e.envelope)["type"] for e in story.app.entries()]
    assert kinds[-1] == "payroll.sent"
    doc = json.loads(_run(db_url, "report", "--json", "--on", "2022-01-05", "--db", db_url).stdout)
    (row,) = doc["sendings"]
    assert (row["list_sha256"], row["lines"], row["total"]) == (digest, 2, 3_248_000)
    assert row["index"] == len(kinds) - 1
    shown = _run(db_url, "report", "--on", "2022-03-01", "--db", db_url).stdout
    assert "AGENT_HOLDS_FUNDS" in shown  # nothing settled by the end of February


def test_send_refuses_a_holder_who_is_no_agent_and_writes_nothing(
    story: Story, db_url: str, tmp_path: Path
) -> None:
    agent_key(story)
    story.beneficiary()
    key = tmp_path / "cashier.key"
    write_key_file(key, story.o.keys["cashier"])
    listed = tmp_path / "danh-sach.csv"
    args = ("--month", "2022-01", "--agent", "staff-cashier", "--key", key, "--out", listed)
    refused = _run(db_url, "send", *args, "--db", db_url, code=1)
    assert "RULE_VIOLATION: body.agent" in refused.output
    assert not listed.exists()
    empty = _run(db_url, "send", "--month", "2021-06", "--agent", AGENT, "--key", key,
                 "--db", db_url, code=1)  # fmt: skip
    assert "nothing to send" in empty.output


def test_refund_records_money_handed_back_and_refuses_more_than_is_held(
    story: Story, db_url: str, tmp_path: Path
) -> None:
    sending_id = send(story)  # 3.248.000 đ, nothing settled
    key = tmp_path / "cashier.key"
    write_key_file(key, story.o.keys["cashier"])
    args = ("--sending", sending_id, "--reference", "GNT-0205", "--key", key, "--db", db_url)
    done = _run(db_url, "refund", "--amount", 1_000_000, "--date", "2022-02-05", *args)
    assert "1.000.000 đ handed back" in done.stdout
    refused = _run(db_url, "refund", "--amount", 2_248_001, "--date", "2022-02-06", *args, code=1)
    assert "RULE_VIOLATION: body.amount: the agent holds 2248000" in refused.output
