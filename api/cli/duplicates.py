"""``ansinh report duplicates``: the queue of suspected duplicate identities (FORMATS 1.2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api import reading
from api.cli.deps import DbOpt, JsonOpt, open_ledger, out, refusals
from api.duplicates import duplicate_queue

WHY = {"national_id": "same national id", "name": "same name, birth year, village"}


def duplicates_command(
    vault_key: Annotated[
        Path,
        typer.Option("--vault-key", help="Vault key file: national ids and names are compared"),
    ],
    as_json: JsonOpt = False,
    db: DbOpt = None,
) -> None:
    """Suspected duplicates (same national id, or same name, birth year and village),
    each with its identity.reviewed decision or "to review"; an approver decides a pair
    by signing identity.reviewed (docs/formats.md 10.3)."""
    with refusals():
        ledger = open_ledger(db, vault_key)
        ledger.charter()  # a clear refusal when there is no ledger here
        rows = duplicate_queue(reading.read_at(reading.Direct(ledger), None))
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("person", "first person", "why", "decision")
    for row in rows:
        table.add_row(
            row["person_code"] or row["person_id"],
            row["first_person_code"] or row["first_person_id"],
            WHY[row["why"]],
            row["decision"] or "to review",
        )
    out.print(table)
    out.print(f"{sum(r['decision'] is None for r in rows)} of {len(rows)} pairs to review")
