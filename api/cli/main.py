"""The ``ansinh`` command line: every command module's commands, composed.

Exit codes: 0 ok, 1 the ledger refused the input (the error code and message
go to stderr), 2 usage.

A command's module is imported only when the command runs (or prints its own
help): :data:`COMMANDS` names where each lives, with the first paragraph of
its help for ``ansinh --help`` (a test holds it equal to the command's own).
"""

from __future__ import annotations

import sys

import typer

from api.cli.lazy import Lazy, LazyGroup

# The commands, in the order `ansinh --help` lists them.
COMMANDS: dict[str, Lazy] = {
    "init": Lazy(
        "api.cli.statements:init",
        "Open a new ledger: writes the authority, notary and vault keys to KEYS.",
    ),
    "sign": Lazy(
        "api.cli.statements:sign",
        "Sign a statement; prints its DSSE envelope (or {envelope, vault} with --pii).",
    ),
    "types": Lazy(
        "api.cli.types:types",
        "The statement types: who may sign each, and its body's fields (`?`: optional).",
    ),
    "submit": Lazy(
        "api.cli.statements:submit",
        "Record one statement, or a JSON-lines batch as one all-or-nothing transaction.",
    ),
    "log": Lazy(
        "api.cli.statements:log",
        "The log's entries: index, recorded time, type, who signed, when they signed.",
    ),
    "history": Lazy(
        "api.cli.statements:history",
        "Every statement that touched an entity: what, who signed, when.",
    ),
    "checkpoint": Lazy(
        "api.cli.log:checkpoint",
        "Print the latest checkpoint; with the notary key, first sign one for the log as it is.",
    ),
    "export": Lazy(
        "api.cli.audit:export",
        "Write the audit bundle (FORMATS §7), or with `evidence` an evidence file.",
    ),
    "verify": Lazy(
        "api.cli.audit:verify",
        "Verify everything; exit 0 only if it all holds, else print the first failure and exit 1.",
    ),
    "serve": Lazy(
        "api.cli.serve:serve",
        "Serve the ledger: the API under /v1 (docs at /docs) and the public pages.",
    ),
    "demo": Lazy(
        "api.demo.build:demo",
        "Build the Chiềng En demo ledger (January 2022 - December 2024) in --db, keys in --keys.",
    ),
    "import": Lazy(
        "api.cli.imports:import_sheet",
        "Import a spreadsheet: every row checked, then all signed and recorded as one batch.",
    ),
    "diff": Lazy(
        "api.cli.inspect:diff_command",
        "What the log added between two checkpoints, once proved consistent.",
    ),
    "check-list": Lazy(
        "api.cli.inspect:check_list_command",
        "Check a printed list's digest against the log, offline: exit 0 if it matches.",
    ),
    "bench": Lazy(
        "api.bench.main:bench_app",
        "Benchmarks: ratios against a baseline measured in the same run.",
    ),
    "keys": Lazy("api.cli.keys:keys_app", "Officers' signing keys."),
    "vault": Lazy("api.cli.keys:vault_app", "The personal-data vault."),
    "formats": Lazy(
        "api.cli.formats:formats_app",
        "The FORMATS version this ledger follows (docs/formats.md).",
    ),
    "witness": Lazy(
        "api.cli.log:witness_app",
        "Witnesses: cosign checkpoints that extend what you saw.",
    ),
    "proof": Lazy("api.cli.log:proof_app", "Inclusion and consistency proofs (RFC 9162)."),
    "projections": Lazy(
        "api.cli.projections:projections_app",
        "Read models (lists, reports): rebuild them from the log, see their lag.",
    ),
    "report": Lazy(
        "api.cli.reports:report_app",
        "Reports: reconciliation (đối soát), approved lists, payroll.",
    ),
    "agents": Lazy(
        "api.cli.agents:agents_app",
        "Paying agents: send a month's list, see what each agent settled.",
    ),
    "province": Lazy(
        "api.cli.province:province_app",
        "The province's log of the communes' checkpoints.",
    ),
}


class Ansinh(LazyGroup):
    table = COMMANDS


app = typer.Typer(
    name="ansinh",
    cls=Ansinh,
    help="A tamper-evident ledger for social-welfare money.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _each_command(ctx: typer.Context) -> None:
    # Whatever the command, when it ends (also on an error), the ledgers it
    # opened are closed with their connections: a program that runs commands
    # in process (tests, scripts) must not collect PostgreSQL connections.
    ctx.call_on_close(_close_opened)


def _close_opened() -> None:
    deps = sys.modules.get("api.cli.deps")  # not imported: no ledger was opened
    if deps is not None:
        deps.close_opened()


def main() -> None:
    app()
