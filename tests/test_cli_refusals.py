"""Input the commands cannot use: one line ``CODE: message`` and exit 1.

A file to submit that is not UTF-8 text is malformed input.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import api.cli_keys
import api.cli_log
import api.cli_projections
import api.cli_reports  # noqa: F401  (each registers its commands, as the entry point does)
from api.cli import app
from tests.conftest import Story

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
DEAD_POSTGRES = "postgresql://postgres@127.0.0.1:1/ledger"  # nothing listens on port 1
WAIT_S = 60.0  # against hanging only: a refused connection is answered at once


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_statement_file_that_is_not_utf8_is_malformed_input(
    story: Story, db_url: str, tmp_path: Path, source: str
) -> None:
    body = {"household_id": "5f0e7d1c-8a8b-4c47-9d51-0d6c7f0b1a21", "code": "X", "village": "Y"}
    envelope = json.dumps(story.o.envelope("registrar", "household.registered", body))
    utf16 = envelope.encode("utf-16")  # as a Windows editor may save it: 0xFF 0xFE first
    path = tmp_path / "statement.json"
    path.write_bytes(utf16)
    if source == "file":
        refused = runner.invoke(app, ["submit", str(path), "--db", db_url])
    else:
        refused = runner.invoke(app, ["submit", "-", "--db", db_url], input=utf16)
    assert refused.exit_code == 1
    where = str(path) if source == "file" else "stdin"
    assert refused.stderr.splitlines() == [f"MALFORMED: source: {where} is not UTF-8 text (byte 0)"]
    assert story.app.size() == 5
