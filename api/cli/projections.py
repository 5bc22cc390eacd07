"""``ansinh projections``: rebuild the read models, or see how far behind they are."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from api.cli.deps import DbOpt, JsonOpt, open_ledger, progress_bar, refusals
from projections.tables.runner import Projections
from projections.tables.schema import MODELS

projections_app = typer.Typer(
    help="Read models (lists, reports): rebuild them from the log, see their lag.",
    no_args_is_help=True,
)
out = Console(highlight=False)


@projections_app.command("rebuild")
def rebuild(
    only: Annotated[
        str | None,
        typer.Option("--only", help=f"Rebuild one read model: {', '.join(MODELS)}"),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Drop the read models' tables (all, or one) and replay the whole log into them."""
    if only is not None and only not in MODELS:
        raise typer.BadParameter(
            f"no read model {only!r}; one of {', '.join(MODELS)}", param_hint="--only"
        )
    with refusals():
        ledger = open_ledger(db)
        projections = Projections(ledger)
        size = ledger.size()
        started = time.perf_counter()
        with progress_bar(size, f"rebuilding {only or 'every read model'}") as bar:
            task = bar.add_task("rebuild", total=size)
            done = projections.rebuild(only, progress=lambda n: bar.update(task, completed=n))
        seconds = time.perf_counter() - started
        out.print(f"rebuilt {only or 'every read model'}: {done} entries in {seconds:.1f} s")


@projections_app.command("status")
def status(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """How many entries each read model holds, and how far behind the log they are."""
    with refusals():
        projections = Projections(open_ledger(db))
        position, size = projections.lag()
        models = projections.positions()
    if as_json:
        report = {"position": position, "log_size": size, "lag": size - position, "models": models}
        print(json.dumps(report))
        return
    out.print(f"position {position} of {size} entries (lag {size - position})")
    table = Table("read model", "entries", "lag")
    for model, entries in models.items():
        table.add_row(model, str(entries), str(size - entries))
    out.print(table)
