"""``ansinh`` imports a command's module only when that command runs.

What a command imports is looked at in a fresh interpreter (``sys.modules``
after the command ran), not timed: the web stack, the spreadsheet reader,
the benchmarks and the PostgreSQL driver stay out of ``--help``, ``log`` and
``history`` on a SQLite ledger.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup

from api.cli import deps
from api.cli.lazy import build
from api.cli.main import COMMANDS, app
from tests.api.cli.officer import Cli

HEAVY = ("fastapi", "starlette", "openpyxl", "jinja2", "api.bench", "api.http.app", "psycopg")

RUN = """
import json, sys
from api.cli.main import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_by(*args: str) -> tuple[str, set[str]]:
    """What ``ansinh ARGS`` printed, and the modules it had imported when it was done."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    *_, modules = done.stderr.strip().splitlines()
    return done.stdout, set(json.loads(modules))


def heavy_among(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def test_help_lists_every_command_without_importing_any_command_module() -> None:
    printed, modules = loaded_by("--help")
    assert all(f"  {name} " in printed for name in COMMANDS)
    assert heavy_among(modules) == []
    assert sorted(m for m in modules if m.startswith(("api.cli.", "api.demo"))) == [
        "api.cli.lazy",
        "api.cli.main",
    ]
    assert [m for m in modules if m.startswith("ledger.")] == []


def test_log_and_history_import_neither_the_web_stack_nor_the_spreadsheet_reader(
    commune: Cli,
) -> None:
    household = commune.household()  # the command-line tests' ledger is a SQLite file
    db = os.environ["ANSINH_DB"]
    printed, modules = loaded_by("log", "--db", db)
    assert "household.registered" in printed
    assert heavy_among(modules) == []
    printed, modules = loaded_by("history", household, "--db", db)
    assert "household.registered" in printed
    assert heavy_among(modules) == []


def _first_paragraph(text: str) -> str:
    return " ".join(text.split("\n\n")[0].split())


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_table_holds_the_first_paragraph_of_each_commands_own_help(name: str) -> None:
    command: Any = build(name, COMMANDS[name].load())
    assert command.name == name
    assert COMMANDS[name].help == _first_paragraph(command.help)


def test_help_lists_the_commands_as_their_own_help_would() -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    with group.make_context("ansinh", [], resilient_parsing=True) as ctx:
        lazy_help = group.get_help(ctx)
        loaded = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    eager = TyperGroup(name="ansinh", commands=loaded, help=group.help, rich_markup_mode=None)
    with eager.make_context("ansinh", [], resilient_parsing=True) as ctx:
        assert lazy_help == eager.get_help(ctx)
    assert list(loaded) == list(COMMANDS)


def test_a_mistyped_command_is_told_the_close_name(cli: Cli) -> None:
    result = cli("hsitory", "x", code=2)
    assert "No such command 'hsitory'. Did you mean 'history'?" in result.stderr


def test_the_ledger_a_command_opened_is_closed_when_it_ends(commune: Cli) -> None:
    commune("log")
    assert deps._opened == []
