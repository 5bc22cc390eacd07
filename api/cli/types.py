"""``ansinh types``, and what ``ansinh sign`` shows of them: templates and every problem at once.

The description is the one ``GET /v1/types`` serves
(:func:`ledger.drafts.statement_types`), read from the ledger's schemas.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from api.cli.deps import JsonOpt, err, out, refusals
from ledger.drafts import statement_types
from ledger.errors import LedgerError
from ledger.formats.describe import template

FILLED = {"uuid", "date", "month", "timestamp", "enum", "set"}  # what a template fills in


def types(as_json: JsonOpt = False) -> None:
    """The statement types: who may sign each, and its body's fields (`?`: optional)."""
    with refusals():
        described = statement_types()
        if as_json:
            sys.stdout.write(json.dumps({"types": described}, ensure_ascii=False) + "\n")
            return
        table = Table("type", "signed by", "fields")
        for t in described:
            signers = " or ".join(t["roles"]) or "(self-signed)"
            table.add_row(t["type"], signers, Text(_fields(t)))  # Text: no markup in [a|b]
        out.print(table)


def _fields(described: dict[str, Any]) -> str:
    """The leaf fields of a type, ``path[?]:kind``, with an enum's or a set's values."""
    parts = []
    for field in described["fields"]:
        if field["kind"] == "object":
            continue
        kind = field["kind"]
        if "values" in field:
            kind += "[" + "|".join(field["values"]) + "]"
        parts.append(f"{field['path']}{'?' if field['optional'] else ''}:{kind}")
    return " ".join(parts)


def print_template(statement_type: str) -> None:
    """A body of the type to fill in on stdout; on stderr, what to fill in and the choices."""
    body = template(statement_type, date.today(), lambda: str(uuid.uuid4()))
    sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    described = next(t for t in statement_types() if t["type"] == statement_type)
    leaves = [f for f in described["fields"] if f["kind"] != "object"]
    notes = [f"{f['path']}: one of {', '.join(f['values'])}" for f in leaves if "values" in f]
    blank = [_bounded(f) for f in leaves if f["kind"] not in FILLED]
    if blank:
        notes.append("fill in (null): " + ", ".join(blank))
    optional = [f["path"] for f in leaves if f["optional"]]
    if optional:
        notes.append("optional, delete if not needed: " + ", ".join(optional))
    for rule in described["rules"]:
        if rule["rule"] == "exactly_one_of":
            named = ", ".join(rule["fields"])
            notes.append(f"name exactly one of {named} (delete the other)")
    ids = [f["path"] for f in leaves if f["id"] and f["kind"] == "uuid"]
    if ids:
        notes.append(f"fresh ids in {', '.join(ids)}: put the existing one where it names one")
    if any(f["path"] == "pii" for f in leaves):
        notes.append("pii: sign with --pii RECORD and it is filled in")
    for note in notes:
        err.print(f"note: {note}", markup=False)


def _bounded(field: dict[str, Any]) -> str:
    bounds = [field["kind"]]
    if "max_chars" in field:
        bounds.append(f"at most {field['max_chars']} characters")
    if "min" in field:
        bounds.append(f"{field['min']}..{field['max']}")
    return f"{field['path']} ({', '.join(bounds)})"


def refuse_all(found: Sequence[LedgerError]) -> None:
    """Every problem on stderr, ``CODE: field: problem`` a line, and exit 1; none: nothing."""
    if not found:
        return
    for problem in found:
        err.print(f"{problem.code}: {problem.message}", markup=False)
    raise typer.Exit(1)
