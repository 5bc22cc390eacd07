"""`ansinh verify` and the FORMATS version a ledger declares (docs/formats.md).

A ledger that declares 1.1 fails at the first entry breaking a 1.1 rule; a
v1 ledger (no declaration) verifies, and its entries that break one are
warnings: counted, listed with their index and reason, printed.
"""

from __future__ import annotations

import base64
import gc
import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.audit import verifier
from ledger.audit.ledger import verify_bundle, verify_ledger
from ledger.audit.verifier import VerificationFailed
from ledger.domain.acceptance import submission_from_json
from ledger.errors import InvalidField
from ledger.formats.dsse import make_statement, sign_statement
from ledger.formats.keys import write_key_file
from tests.conftest import Officers, Story

ZWSP = "\u200b"


def run(*args: object, code: int = 0) -> Any:
    result = CliRunner().invoke(cli_app, [str(a) for a in args])
    if any(str(a).startswith("postgresql://") for a in args):
        gc.collect()  # close the command's connection pool now
    assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
    return result


def irregular_v1_ledger(app: LedgerApplication, officers: Officers) -> list[int]:
    """A v1 ledger holding what only v1 allowed; the indexes of those entries, in order."""
    app.submit(officers.opened(formats=None))
    for name in ("approver", "cashier"):
        app.submit(officers.register(name))
    story = Story(app, officers)
    found = [app.submit(officers.register("registrar", holder="staff-registrar" + ZWSP)).index]
    found.append(app.size())
    story.household("\u3164")  # a Hangul filler alone: looks empty
    pid = story.person(story.household())
    bid = story.benefit(story.program(), pid, amount=2**53 - 1)
    found.append(app.size() - 2)  # the proposal's amount
    key = officers.keys["cashier"]
    body = story.payment_body(bid, pid, amount=1_624_000)
    statement = make_statement(officers.ledger_id, "payment.recorded", body, key.key_id)
    envelope = sign_statement(statement, key)
    envelope["signatures"].append(
        {"keyid": os.urandom(32).hex(), "sig": base64.b64encode(os.urandom(64)).decode()}
    )
    found.append(app.submit(submission_from_json(envelope)).index)
    story.pay(bid, pid, month="2022-02")  # what 1.1 allows: no warning
    return found


@pytest.fixture
def bundle(
    app: LedgerApplication, officers: Officers, db_url: str, tmp_path: Path, before_amendments: None
) -> tuple[Path, list[int]]:
    """The irregular v1 ledger, exported with a checkpoint."""
    found = irregular_v1_ledger(app, officers)
    notary = tmp_path / "notary.key"
    write_key_file(notary, officers.keys["notary"])
    run("checkpoint", "--notary-key", notary, "--db", db_url)
    run("export", tmp_path / "bundle", "--db", db_url)
    return tmp_path / "bundle", found


def test_a_v1_ledger_verifies_with_a_warning_for_each_entry_breaking_a_1_1_rule(
    bundle: tuple[Path, list[int]], officers: Officers, db_url: str
) -> None:
    path, found = bundle
    authority = officers.keys["authority"].key_id
    result = run("verify", path, "--authority", authority)
    assert "FORMATS v1, 4 warnings" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning ")]
    assert [line.split(":")[0] for line in warnings] == [f"warning entry {i}" for i in found]
    reasons = [line.split(": ", 1)[1] for line in warnings]
    assert reasons[0].startswith("INVALID_FIELD: body.holder.id: must be 1 to 64 characters")
    assert reasons[1].startswith("INVALID_FIELD: body.village: must contain a letter or digit")
    assert reasons[2].startswith("INVALID_FIELD: body.amount: must be between 0 and 10000000")
    assert reasons[3].startswith("MALFORMED: signatures: must hold exactly one signature, not 2")
    assert all(r.endswith("; allowed in this FORMATS v1 ledger") for r in reasons)
    live = run("verify", "--db", db_url, "--authority", authority)
    assert live.stderr.count("warning entry ") == 4


def test_warnings_come_back_from_the_worker_processes_in_log_order(
    bundle: tuple[Path, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verifier, "IN_PROCESS_BELOW", 1)
    path, found = bundle
    one = verify_bundle(path, processes=1).amendments
    two = verify_bundle(path, processes=2, block_bytes=700).amendments  # a few entries a block
    assert one == two
    assert [index for index, _ in two.warnings] == found
    assert (two.formats, two.count) == ("1", 4)


def test_warnings_beyond_the_listed_ones_are_counted_and_said(
    bundle: tuple[Path, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verifier, "LISTED_WARNINGS", 1)
    path, found = bundle
    amendments = verify_bundle(path).amendments
    assert (len(amendments.warnings), amendments.count) == (1, 4)
    assert amendments.warnings[0][0] == found[0]
    result = run("verify", path)
    assert result.stderr.count("warning entry ") == 1
    assert "warning: 3 more entries break a FORMATS 1.1 rule" in result.stderr


def test_a_ledger_opened_by_ansinh_init_declares_1_1_and_verifies_so(
    tmp_path: Path, db_url: str
) -> None:
    keys = tmp_path / "keys"
    run(
        "init",
        "--ledger-id",
        "ansinh.vn/x",
        "--name",
        "UBND xã Thử",
        "--keys",
        keys,
        "--db",
        db_url,
    )
    leaf = json.loads(run("log", "--json", "--db", db_url).stdout)
    payload = json.loads(base64.b64decode(leaf["envelope"]["payload"]))
    assert payload["body"]["formats"] == "1.1"
    run("checkpoint", "--db", db_url, "--notary-key", keys / "notary.key")
    assert "FORMATS 1.1" in run("verify", "--db", db_url).stdout


def test_a_1_1_ledger_fails_at_the_first_entry_breaking_a_1_1_rule(
    app: LedgerApplication, officers: Officers, before_amendments: None
) -> None:
    app.submit(officers.opened())  # declares 1.1; the software below still wrote v1 entries
    for name in ("registrar", "approver", "cashier"):
        app.submit(officers.register(name))
    story = Story(app, officers)
    story.household("Bản Huổi")
    story.household("Bản" + ZWSP + " Huổi")
    with pytest.raises(VerificationFailed) as failed:
        verify_ledger(app)
    assert failed.value.index == 5
    assert failed.value.reason == (
        "INVALID_FIELD: body.village: must not contain U+200B (a format character; "
        "FORMATS 1.1); the ledger declares FORMATS 1.1"
    )


def test_an_unknown_formats_version_in_ledger_opened_is_refused(officers: Officers) -> None:
    key = officers.keys["authority"]
    body = json.loads(json.dumps(officers.opened().signed.body)) | {"formats": "1.2"}
    statement = make_statement(officers.ledger_id, "ledger.opened", body, key.key_id)
    with pytest.raises(InvalidField) as refused:
        submission_from_json(sign_statement(statement, key, validate=False))
    assert refused.value.message == 'body.formats: must be "1.1"'
