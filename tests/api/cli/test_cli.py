"""The ``ansinh`` command line, driven in-process as an officer would use it."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup

from api.cli.main import app
from ledger.formats.dsse import jcs
from ledger.formats.keys import read_key_file
from tests.api.cli.officer import (
    DECISION,
    KEY_ENV,
    LEDGER,
    OFFICERS,
    RECORD,
    Cli,
    household_body,
    one_line,
    open_commune,
    opts,
)
from tests.conftest import new_id


def test_init_writes_owner_only_keys_and_prints_their_ids(cli: Cli) -> None:
    result = cli("init", *opts(ledger_id=LEDGER, name="UBND xã Chiềng En", keys=cli.keys))
    for name in ("authority", "notary", "vault"):
        assert stat.S_IMODE(cli.key(name).stat().st_mode) == 0o600, name
    authority, notary = read_key_file(cli.key("authority")), read_key_file(cli.key("notary"))
    assert authority.key_id in result.stdout
    assert notary.key_id in result.stdout
    assert len(base64.b64decode(cli.key("vault").read_text().strip())) == 32
    (leaf,) = cli.leaves()
    assert leaf["index"] == 0
    assert leaf["envelope"]["signatures"][0]["keyid"] == authority.key_id


def test_init_refuses_a_database_that_already_holds_a_ledger(commune: Cli) -> None:
    other = commune.dir / "other-keys"
    result = commune("init", *opts(ledger_id=LEDGER, name="X", keys=other), code=1)
    assert result.stderr.startswith("INVALID_FIELD: db:")
    assert not (other / "authority.key").exists()  # keys are written only for a new ledger
    assert len(commune.leaves()) == 1 + len(OFFICERS)


def test_sign_then_submit_prints_the_index_leaf_hash_and_created(commune: Cli) -> None:
    path = commune.write(commune.sign("registrar", "household.registered", household_body()))
    first = json.loads(commune.submit(path).stdout)
    assert set(first) == {"index", "leaf_hash", "created"}
    assert (first["index"], first["created"]) == (4, True)
    leaf = commune.leaves()[4]
    assert first["leaf_hash"] == hashlib.sha256(b"\x00" + jcs(leaf)).hexdigest()
    again = json.loads(commune.submit(path).stdout)
    assert again == {**first, "created": False}
    assert len(commune.leaves()) == 5


def _household_lines(cli: Cli, count: int) -> list[str]:
    docs = [
        cli.sign("registrar", "household.registered", household_body(f"H{i}")) for i in range(count)
    ]
    return [json.dumps(doc) for doc in docs]


def test_a_json_lines_batch_is_recorded_in_one_go_with_consecutive_indexes(commune: Cli) -> None:
    path = commune.dir / "batch.jsonl"
    path.write_text("\n".join(_household_lines(commune, 3)) + "\n")
    results = [json.loads(line) for line in commune.submit(path).stdout.splitlines()]
    assert [r["index"] for r in results] == [4, 5, 6]
    assert all(r["created"] for r in results)
    assert len(commune.leaves()) == 7


def _bad_line(cli: Cli, kind: str) -> str:
    if kind == "not JSON":
        return "{not json"
    if kind == "wrong role":
        return json.dumps(cli.sign("cashier", "household.registered", household_body()))
    envelope = cli.sign("registrar", "household.registered", household_body())
    if kind == "bad signature":
        envelope["signatures"][0]["sig"] = base64.b64encode(bytes(64)).decode()
    else:
        envelope["signatures"] = []
    return json.dumps(envelope)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("not JSON", "MALFORMED"),
        ("no signature", "INVALID_FIELD"),
        ("wrong role", "ROLE_NOT_ALLOWED"),
        ("bad signature", "BAD_SIGNATURE"),
    ],
)
def test_a_batch_with_one_bad_line_records_nothing_and_names_the_line(
    commune: Cli, kind: str, code: str
) -> None:
    good = _household_lines(commune, 3)
    path = commune.dir / "batch.jsonl"
    path.write_text("\n".join([good[0], good[1], _bad_line(commune, kind), good[2]]) + "\n")
    result = commune.submit(path, code=1)
    assert result.stderr.startswith(f"{code}: ")
    assert "line 3" in one_line(result.stderr)
    assert result.stdout == ""
    assert len(commune.leaves()) == 1 + len(OFFICERS)


def test_a_refused_statement_exits_1_with_its_code_and_message(commune: Cli) -> None:
    # The registrar's holder gets a second key, with the approver role.
    commune("keys", "new", *opts(keys=commune.keys, name="registrar-approver"))
    pub, admin = commune.keys / "registrar-approver.pub", commune.key("authority")
    holder = opts(holder_id="staff-registrar", holder_name="Cán bộ registrar", role="approver")
    commune("keys", "register", *opts(key=pub, admin_key=admin), *holder)
    hid, proposal_id, basis = commune.household(), new_id(), {"deprivation_count": 3}
    proposal = {"proposal_id": proposal_id, "household_id": hid, "status": "poor", "basis": basis}
    proposal["effective"] = "2022-01-01"
    commune.record("registrar", "household.status.proposed", proposal)
    size = len(commune.leaves())
    approval = {"proposal_id": proposal_id, "decision": DECISION}
    envelope = commune.sign("registrar-approver", "household.status.approved", approval)
    result = commune.submit(commune.write(envelope), code=1)
    assert result.stderr.startswith("SELF_APPROVAL: by: staff-registrar proposed")
    assert result.stdout == ""
    assert len(commune.leaves()) == size


def test_a_missing_option_or_command_is_a_usage_error(cli: Cli) -> None:
    result = cli("init", *opts(name="X", keys=cli.keys), code=2)
    assert "--ledger-id" in result.stderr
    assert not cli.keys.exists()
    assert cli("no-such-command", code=2).stdout == ""


def test_submitting_a_file_that_does_not_exist_is_a_usage_error(cli: Cli) -> None:
    assert "missing.json" in cli("submit", cli.dir / "missing.json", code=2).stderr


def _command_paths() -> list[list[str]]:
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        if isinstance(command, TyperGroup):  # typer's own click: not a click.Group
            for name, sub in sorted(command.commands.items()):
                walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "ansinh")
def test_help_works_for_every_command(cli: Cli, path: list[str]) -> None:
    result = cli(*path, "--help")
    assert "Usage:" in result.stdout
    assert result.stderr == ""


def test_the_installed_command_prints_its_help() -> None:
    command = Path(sys.executable).parent / "ansinh"
    assert command.exists()
    done = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
    assert all(name in done.stdout for name in ("init", "submit", "log", "history", "vault"))


def test_log_json_prints_one_canonical_leaf_per_line_with_dense_indexes(commune: Cli) -> None:
    commune.household()
    lines = commune("log", "--json").stdout.splitlines()
    leaves = [json.loads(line) for line in lines]
    assert [leaf["index"] for leaf in leaves] == list(range(len(OFFICERS) + 2))
    assert all(set(leaf) == {"index", "recorded_at", "envelope"} for leaf in leaves)
    assert [jcs(leaf).decode() for leaf in leaves] == lines
    table = one_line(commune("log").stdout)
    assert "ledger.opened" in table and "household.registered" in table


def _paid_benefit(cli: Cli) -> str:
    """An approved monthly benefit for a new person, paid once; returns its id."""
    pid, _ = cli.person(RECORD)
    program_id, bid = new_id(), new_id()
    program = {"code": "NCC", "name": "Trợ cấp", "category": "meritorious", "kind": "monthly"}
    cli.record("authority", "program.defined", {"program_id": program_id, **program})
    proposal = {"program_id": program_id, "person_id": pid, "amount": 1_624_000, "start": "2022-01"}
    cli.record("registrar", "benefit.proposed", {"benefit_id": bid, "basis": "TB", **proposal})
    cli.record("approver", "benefit.approved", {"benefit_id": bid, "decision": DECISION})
    payment = {"month": "2022-01", "amount": 1_624_000, "paid_on": "2022-01-10", "method": "cash"}
    receipt = {"kind": "signature", "evidence": "ab" * 32}
    body = {"payment_id": new_id(), "benefit_id": bid, "recipient": pid, "receipt": receipt}
    cli.record("cashier", "payment.recorded", {**body, **payment})
    # A reason that looks like console markup must still be printed verbatim.
    reversal = {"payment_id": body["payment_id"], "reason": "Chi nhầm [b]tháng 1[/b]"}
    cli.record("cashier", "payment.reversed", reversal)
    return bid


def test_history_lists_every_statement_touching_a_benefit(commune: Cli) -> None:
    bid = _paid_benefit(commune)
    expected = ["benefit.proposed", "benefit.approved", "payment.recorded"]
    table = one_line(commune("history", bid).stdout)
    assert [t for t in expected if t in table] == expected
    assert "staff-approver" in table and "program.defined" not in table
    missing = commune("history", new_id(), code=1)
    assert missing.stderr.startswith("INVALID_FIELD: entity_id:")
    lines = commune("history", bid, "--json").stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["statement"]["type"] for r in rows] == expected
    assert all(r["statement"]["body"]["benefit_id"] == bid for r in rows)
    # The payment's own history holds its reversal, reason and all.
    payment_id = rows[-1]["statement"]["body"]["payment_id"]
    lines = commune("history", payment_id, "--json").stdout.splitlines()
    reversal = [json.loads(line)["statement"] for line in lines][-1]
    assert reversal["type"] == "payment.reversed"
    assert reversal["body"]["reason"] == "Chi nhầm [b]tháng 1[/b]"


def test_the_commands_work_on_the_configured_backend(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in KEY_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANSINH_DB", db_url)
    cli = open_commune(Cli(tmp_path))
    cli.household()
    pid, _ = cli.person(RECORD)
    assert [leaf["index"] for leaf in cli.leaves()] == list(range(len(OFFICERS) + 4))
    shown = cli("vault", "show", pid, "--vault-key", cli.key("vault")).stdout
    assert RECORD["national_id"] in shown
