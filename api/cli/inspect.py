"""The inspector's commands: evidence with proofs, what changed between two
checkpoints, and whether a printed list matches the log."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.deps import DbOpt, JsonOpt, err, notary_key, open_ledger, refusals
from api.inspect.diff import Diff, diff
from api.inspect.entities import entity_ids
from ledger.audit.evidence import dumps, gather
from ledger.errors import InvalidField
from projections import query


def export_evidence(
    out: Path | None,
    entity: str | None,
    indexes: list[int] | None,
    db: str | None,
    notary: Path | None,
) -> None:
    """``ansinh export evidence``: the entries of ``entity`` or ``indexes``, with proofs."""
    with refusals():
        if out is None:
            raise InvalidField("out", "missing: --out FILE (the evidence file to write)")
        if (entity is None) == (not indexes):
            raise InvalidField("entity", "give --entity ID|CODE or --index N (repeat), not both")
        if out.exists():
            raise InvalidField("out", f"{out} exists: give a new file")
        ledger = open_ledger(db)
        asked = list(indexes or [])
        if entity is not None:
            for eid in entity_ids(ledger, entity):
                asked += [row[0] for row in query.history(ledger, eid)]
        doc = gather(ledger, asked, notary_key(notary))
        out.write_text(dumps(doc), encoding="utf-8")
        shown = sum(1 for e in doc["entries"] if e["why"] == "asked")
        context = len(doc["entries"]) - shown
        size = doc["checkpoint"].split("\n")[1]
        print(
            f"wrote {shown} entries (and {context} that name their keys) with inclusion proofs "
            f"against the checkpoint of {size} entries to {out}"
        )
        if sys.stderr.isatty():
            err.print(f"check it offline: ansinh verify {out} --authority <key id>")


def print_diff(found: Diff) -> None:
    """The diff as an inspector reads it: both ends, then counts and sums."""
    a, b = found.first, found.second
    for name, end in (("from", a), ("to", b)):
        root = base64.b64encode(end.root).decode()
        signed = "signed by the notary" if end.signed else "NOT SIGNED: the database's own root"
        print(f"{name} {end.size} entries, root {root} ({signed}; {end.source})")
    print(f"consistent: the log of {b.size} entries extends the log of {a.size}")
    print(f"added {found.added} entries")
    if not found.added:
        return
    print("\nby statement type")
    width = max(len(t) for t in found.by_type)
    for kind, count in sorted(found.by_type.items()):
        print(f"  {kind.ljust(width)}  {count:>7,}")
    print(
        "\nby village              statements  payments            paid  reversals        reversed"
    )
    for village, t in sorted(found.by_village.items()):
        name = (village or "(no village)")[:22].ljust(22)
        print(
            f"  {name}  {t.statements:>9,}  {t.payments:>8,}  {t.paid:>14,}"
            f"  {t.reversals:>9,}  {t.reversed:>14,}"
        )


def diff_command(
    first: Annotated[str, typer.Argument(help="A checkpoint file, or a tree size")],
    second: Annotated[str, typer.Argument(help="A later checkpoint file, or a tree size")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What the log added between two checkpoints, once proved consistent.

    Each is a checkpoint file (as `ansinh checkpoint` prints it) or a tree
    size. A file must carry the notary's signature; the consistency proof
    between them must verify and the entries give both roots, else it is
    refused. Then: counts by statement type, and by village the statements,
    payments and their sums in đồng.
    """
    with refusals():
        found = diff(open_ledger(db), first, second)
        if as_json:
            print(json.dumps(found.to_json(), ensure_ascii=False, indent=1))
            return
        print_diff(found)
