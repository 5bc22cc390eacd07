"""The inspector's commands: evidence with proofs, what changed between two
checkpoints, and whether a printed list matches the log."""

from __future__ import annotations

import sys
from pathlib import Path

from api.cli.deps import err, notary_key, open_ledger, refusals
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
