"""Input and databases the commands cannot use: one line ``CODE: message`` and exit 1.

A file to submit that is not UTF-8 text is malformed input. A ``--db`` that
is not a database, a PostgreSQL server that is not there, a path that does
not exist: each is refused naming ``db``, never with a traceback or a long
wait. Only ``init`` (and ``demo``) make a new database; every other command
refuses a path that does not exist and makes nothing, not even its directory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from tests.conftest import Story
from tests.support.paths import ROOT

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


def test_a_file_that_is_not_a_database_is_refused_in_one_line(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# ansinh\n\nNot a database.\n" * 100, encoding="utf-8")
    refused = runner.invoke(app, ["log", "--db", str(readme)])
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"INVALID_FIELD: db: {readme} is not a SQLite database (file is not a database)"
    ]
    assert readme.read_text(encoding="utf-8").startswith("# ansinh")


MAIN = "from api.cli.main import main; main()"


def test_a_postgresql_server_that_is_not_there_is_refused_in_one_line() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from api.cli.main import main; main()",
            "log",
            "--db",
            DEAD_POSTGRES,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith("DB_UNREACHABLE: db: cannot connect to PostgreSQL at 127.0.0.1:1/ledger")
    assert "refused" in line.lower()


READING = [
    ["log"],
    ["history", "5f0e7d1c-8a8b-4c47-9d51-0d6c7f0b1a21"],
    ["verify"],
    ["report", "lists"],
    ["report", "payroll", "--month", "2022-03"],
    ["report", "reconciliation", "--from", "2022-01", "--to", "2022-06"],
    ["checkpoint"],
    ["proof", "inclusion", "--index", "0"],
    ["proof", "consistency", "--first", "1"],
    ["keys", "list"],
    ["vault", "show", "5f0e7d1c-8a8b-4c47-9d51-0d6c7f0b1a21"],
    ["projections", "status"],
]


@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_a_reading_command_refuses_a_path_that_does_not_exist_and_makes_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "archive" / "2022" / "ansinh.db"
    refused = runner.invoke(app, [*command, "--db", str(missing)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"INVALID_FIELD: db: {missing}: no such file")
    assert list(tmp_path.iterdir()) == []


def test_the_default_database_is_not_made_by_a_reading_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSINH_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    refused = runner.invoke(app, ["log"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("INVALID_FIELD: db: ./ansinh.db: no such file")
    assert list(tmp_path.iterdir()) == []


def test_submit_refuses_a_database_that_does_not_exist_and_makes_nothing(
    story: Story, tmp_path: Path
) -> None:
    statement = tmp_path / "statement.json"
    body = {"household_id": "5f0e7d1c-8a8b-4c47-9d51-0d6c7f0b1a21", "code": "X", "village": "Y"}
    envelope = story.o.envelope("registrar", "household.registered", body)
    statement.write_text(json.dumps(envelope), encoding="utf-8")
    missing = tmp_path / "elsewhere" / "ansinh.db"
    refused = runner.invoke(app, ["submit", str(statement), "--db", str(missing)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"INVALID_FIELD: db: {missing}: no such file")
    assert not missing.parent.exists()


def test_a_directory_is_not_a_database(tmp_path: Path) -> None:
    refused = runner.invoke(app, ["log", "--db", str(tmp_path)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"INVALID_FIELD: db: {tmp_path} is a directory")


def test_init_still_makes_a_new_database_and_its_directory(tmp_path: Path) -> None:
    new = tmp_path / "commune" / "ansinh.db"
    opening = ["--ledger-id", "ansinh.vn/test", "--name", "UBND xã Thử"]
    keys = tmp_path / "keys"
    made = runner.invoke(app, ["init", *opening, "--keys", str(keys), "--db", str(new)])
    assert made.exit_code == 0, made.stderr
    assert new.is_file()
    assert runner.invoke(app, ["log", "--db", str(new)]).exit_code == 0


def test_init_on_a_file_that_is_not_a_database_makes_no_keys(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a ledger\n" * 200, encoding="utf-8")
    keys = tmp_path / "keys"
    opening = ["--ledger-id", "ansinh.vn/test", "--name", "UBND xã Thử"]
    refused = runner.invoke(app, ["init", *opening, "--keys", str(keys), "--db", str(notes)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"INVALID_FIELD: db: {notes} is not a SQLite database")
    assert not keys.exists()


@pytest.mark.parametrize("command", READING, ids=" ".join)
def test_a_reading_command_leaves_an_empty_file_as_it_found_it(
    tmp_path: Path, command: list[str]
) -> None:
    empty = tmp_path / "ansinh.db"
    empty.touch()
    refused = runner.invoke(app, [*command, "--db", str(empty)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"NOT_OPENED: no ledger here yet: {empty} holds none")
    assert list(tmp_path.iterdir()) == [empty]
    assert empty.stat().st_size == 0


def test_serve_refuses_an_empty_file_and_leaves_it_as_it_found_it(tmp_path: Path) -> None:
    empty = tmp_path / "ansinh.db"
    empty.touch()
    refused = runner.invoke(app, ["serve", "--db", str(empty), "--port", "0"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"NOT_OPENED: no ledger here yet: {empty} holds none")
    assert list(tmp_path.iterdir()) == [empty]
    assert empty.stat().st_size == 0
