"""The ``ansinh`` command line: every command module's commands, composed.

Exit codes: 0 ok, 1 the ledger refused the input (the error code and message
go to stderr), 2 usage.
"""

from __future__ import annotations

import typer

from api.bench.main import bench_app
from api.cli import (
    audit,
    imports,
    inspect,
    keys,
    log,
    projections,
    reports,
    serve,
    statements,
    types,
)
from api.cli.deps import close_opened
from api.demo import build as demo

app = typer.Typer(
    name="ansinh",
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
    ctx.call_on_close(close_opened)


# The commands, in the order `ansinh --help` lists them.
for command in (
    statements.init,
    statements.sign,
    types.types,
    statements.submit,
    statements.log,
    statements.history,
    log.checkpoint,
    audit.export,
    audit.verify,
    serve.serve,
    demo.demo,
):
    app.command()(command)
app.command("import")(imports.import_sheet)
app.command("diff")(inspect.diff_command)
app.command("check-list")(inspect.check_list_command)
app.add_typer(bench_app, name="bench")
app.add_typer(keys.keys_app, name="keys")
app.add_typer(keys.vault_app, name="vault")
app.add_typer(log.witness_app, name="witness")
app.add_typer(log.proof_app, name="proof")
app.add_typer(projections.projections_app, name="projections")
app.add_typer(reports.report_app, name="report")


def main() -> None:
    app()
