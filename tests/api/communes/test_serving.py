"""``ansinh init --schema`` and ``ansinh serve --ledgers``: a province's communes on one server."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli
from api.client.remote import AnsinhClient
from ledger.storage.schemas import ledger_schemas
from tests.conftest import PG_URL, scratch_schema
from tests.support.communes import Province
from tests.support.paths import ROOT

runner = CliRunner()


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def new_schema() -> Iterator[str]:
    """A schema name no one uses, dropped afterwards (with scratch_schema, PG must be up)."""
    with scratch_schema():
        name = f"xa_{uuid.uuid4().hex[:10]}"
        yield name
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def test_init_with_a_schema_makes_it_and_opens_the_communes_ledger_in_it(
    new_schema: str, tmp_path: Path
) -> None:
    args = ["init", "--db", PG_URL, "--schema", new_schema, "--keys", str(tmp_path / "k")]
    opened = runner.invoke(cli, [*args, "--ledger-id", "ansinh.vn/thu/xa-moi", "--name", "Xã Mới"])
    assert opened.exit_code == 0, opened.output
    assert f"opened at entry 0 in {PG_URL}?schema={new_schema}" in one_line(opened.stdout)
    assert new_schema in ledger_schemas(PG_URL)
    again = runner.invoke(cli, [*args, "--ledger-id", "ansinh.vn/thu/xa-moi", "--name", "Xã Mới"])
    assert again.exit_code == 1 and "already holds a ledger" in one_line(again.stderr)


@pytest.mark.parametrize(
    ("schema", "db", "expected"),
    [
        ("Xa_Hoa", PG_URL, "'Xa_Hoa' is not a schema name"),
        ("1xa", PG_URL, "'1xa' is not a schema name"),
        ("pg_catalog", PG_URL, "is PostgreSQL's own or the default schema"),
        ("public", PG_URL, "is PostgreSQL's own or the default schema"),
        ("xa_hoa", f"{PG_URL}?schema=xa_khac", "--db names schema 'xa_khac' already"),
        ("xa_hoa", "ledger.db", "a schema is only for a PostgreSQL --db"),
    ],
)
def test_init_refuses_a_schema_it_cannot_use_and_writes_nothing(
    schema: str, db: str, expected: str, tmp_path: Path
) -> None:
    keys = tmp_path / "k"
    args = ["init", "--db", db, "--schema", schema, "--keys", str(keys)]
    refused = runner.invoke(cli, [*args, "--ledger-id", "x/y", "--name", "Xã Hoa"])
    assert refused.exit_code == 1
    assert one_line(refused.stderr).startswith("INVALID_FIELD: schema: "), refused.stderr
    assert expected in one_line(refused.stderr)
    assert not keys.exists()


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (["--db", "ledger.db", "--ledgers", "all"], 1, "INVALID_FIELD: ledgers: many ledgers"),
        (
            ["--db", PG_URL, "--ledgers", "xa_khong_co"],
            1,
            "NOT_OPENED: no ledger in schema xa_khong_co",
        ),
        (
            ["--db", PG_URL, "--ledgers", "Xa"],
            1,
            "INVALID_FIELD: ledgers: 'Xa' is not a schema name",
        ),
        (
            ["--db", f"{PG_URL}?schema=xa_a", "--ledgers", "all"],
            1,
            "INVALID_FIELD: db: --ledgers serves",
        ),
        (
            ["--db", PG_URL, "--ledgers", "all", "--notary-key", "n.key"],
            2,
            "--notary-key: with --ledgers",
        ),
    ],
)
def test_serve_with_ledgers_refuses_what_it_cannot_serve_and_says_why(
    args: list[str], code: int, expected: str
) -> None:
    with scratch_schema():
        refused = runner.invoke(cli, ["serve", *args, "--port", "0"])
    assert refused.exit_code == code, refused.output
    assert expected in one_line(refused.stderr)


def test_serve_with_ledgers_serves_each_commune_under_its_schema_until_stopped(
    province: Province,
) -> None:
    schemas = province.schemas
    args = ["serve", "--db", PG_URL, "--ledgers", f"{schemas['a']},{schemas['b']}", "--port", "0"]
    args += [
        "--keys-root",
        str(province.keys_root),
        "--pool-size",
        "6",
        "--checkpoint-every",
        "0.2",
    ]
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.cli.main import main; main()", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    banner = [process.stdout.readline().rstrip("\n") for _ in range(6)]
    try:
        assert banner[0].startswith("serving 2 commune ledgers from PostgreSQL at 127.0.0.1:5432/")
        url = banner[1].split()[0].rstrip("/")
        for label, line in zip(("a", "b"), banner[2:4], strict=True):
            assert line.split()[0] == f"{url}/c/{schemas[label]}/"
            assert f"UBND xã xa-{label} (5 entries; keys: notary, vault)" in line
        assert banner[4] == "at most 6 connections to PostgreSQL, shared by all of them"
        for label, story in province.stories.items():
            with AnsinhClient(f"{url}/c/{schemas[label]}") as client:
                note = client.checkpoint()
            assert note.splitlines()[0] == story.o.ledger_id
        with AnsinhClient(url) as client:
            index = client.request("GET", "/")
        assert index.status_code == 200
        assert f'href="/c/{schemas["a"]}/lists"' in index.text
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
