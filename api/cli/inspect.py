"""The inspector's commands: evidence with proofs, what changed between two
checkpoints, and whether a printed list matches the log."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.deps import DbOpt, JsonOpt, err, notary_key, open_ledger, refusals
from api.inspect.diff import Diff, diff
from api.inspect.entities import entity_ids
from api.inspect.findings import finding_evidence
from api.pages.docs import PublicList
from ledger.audit.evidence import dumps, gather
from ledger.errors import InvalidField
from ledger.formats.versions import exact_json
from projections import query


def export_evidence(
    out: Path | None,
    asked_for: tuple[str | None, list[int] | None, str | None],
    db: str | None,
    notary: Path | None,
) -> None:
    """``ansinh export evidence``: the entries of an entity, of ``--index`` es, or of a
    reconciliation finding (``asked_for``: entity, indexes, finding id), with proofs."""
    entity, indexes, finding = asked_for
    with refusals():
        if out is None:
            raise InvalidField("out", "missing: --out FILE (the evidence file to write)")
        if sum((entity is not None, bool(indexes), finding is not None)) != 1:
            raise InvalidField(
                "entity", "give one of --entity ID|CODE, --index N (repeat), --finding ID"
            )
        if out.exists():
            raise InvalidField("out", f"{out} exists: give a new file")
        ledger = open_ledger(db)
        asked = list(indexes or [])
        if entity is not None:
            for eid in entity_ids(ledger, entity):
                asked += [row[0] for row in query.history(ledger, eid)]
        if finding is not None:
            asked += finding_evidence(ledger, finding)
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

    Each is a checkpoint file (as `ansinh checkpoint` prints it), an audit
    bundle (its checkpoint) or a tree size. A file must carry the notary's
    signature; the consistency proof between them must verify and the
    entries give both roots, else it is refused. Then: counts by statement
    type, and by village the statements, payments and their sums in đồng.
    """
    with refusals():
        found = diff(open_ledger(db), first, second)
        if as_json:
            print(json.dumps(exact_json(found.to_json()), ensure_ascii=False, indent=1))
            return
        print_diff(found)


WORDS = {
    "vi": {
        "match": "khớp",
        "nomatch": "KHÔNG KHỚP",
        "printed": "mã in trên thông báo",
        "drawn": "danh sách tính lại từ gói kiểm toán",
        "named": "có tên (từ kho dữ liệu cá nhân của gói)",
        "withheld": "không tên",
        "described": "ngày {on}, thôn/bản {village}, chương trình {program}, {rows} dòng, "
        "từ {as_of} mục đầu của sổ (gốc {root})",
        "all": "(tất cả)",
        "as_of": "thông báo ghi số mục của sổ mà nó được lập từ: cho vào --as-of "
        "(gói này có {entries} mục)",
        "on": "cho ngày của danh sách trên thông báo vào --on (mặc định: ngày của mục cuối)",
        "vault": "thông báo có ghi tên thì được lập có tên: xuất gói với --with-vault",
        "filters": "cho --village và --program đúng như thông báo (mặc định: tất cả)",
    },
    "en": {
        "match": "matches",
        "nomatch": "DOES NOT MATCH",
        "printed": "digest printed on the notice",
        "drawn": "list recomputed from the bundle",
        "named": "with names (from the bundle's vault)",
        "withheld": "names withheld",
        "described": "on {on}, village {village}, program {program}, {rows} rows, "
        "as of {as_of} entries (root {root})",
        "all": "(all)",
        "as_of": "the notice says from how many entries it was drawn: give it with --as-of "
        "(this bundle holds {entries})",
        "on": "give the date the notice lists with --on (default: the last entry's day)",
        "vault": "a notice that shows names was drawn with them: export the bundle --with-vault",
        "filters": "give --village and --program as the notice names them (default: all)",
    },
}


def _described(public: PublicList, named: bool, words: dict[str, str]) -> str:
    doc = public.doc
    shown = words["described"].format(
        on=doc["on"],
        village=doc["village"] or words["all"],
        program=doc["program"] or words["all"],
        rows=len(doc["rows"]),
        as_of=doc["as_of"],
        root=doc["root"],
    )
    return shown + ", " + words["named" if named else "withheld"]


def check_list_command(
    digest: Annotated[str, typer.Argument(help="The digest printed on the notice (8+ hex)")],
    bundle: Annotated[
        Path, typer.Option("--bundle", help="An audit bundle (directory or .tar)", exists=True)
    ],
    village: Annotated[str | None, typer.Option(help="The village the notice lists")] = None,
    program: Annotated[
        str | None, typer.Option(help="The program code it lists (or households)")
    ] = None,
    on: Annotated[str | None, typer.Option(help="The date it lists, YYYY-MM-DD")] = None,
    as_of: Annotated[
        int | None,
        typer.Option("--as-of", help="The entries it was drawn from (printed on it)"),
    ] = None,
    authority: Annotated[
        str | None, typer.Option(help="The authority key id you expect (16+ hex)")
    ] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
) -> None:
    """Check a printed list's digest against the log, offline: exit 0 if it matches.

    The bundle is verified first; the list is then recomputed from it
    exactly as the notice board page draws it (default: all villages and
    programs, on the day of the last entry, from all the bundle's entries)
    and its SHA-256 digest compared with the one printed.
    """
    from api.inspect.notice import check_list
    from ledger.audit.verifier import VerificationFailed

    with refusals():
        if lang not in WORDS:
            raise InvalidField("lang", f"{lang!r}: vi or en")
        words = WORDS[lang]
        try:
            checked = check_list(
                digest,
                bundle,
                village=village,
                program=program,
                on=on,
                as_of=as_of,
                authority=authority,
            )
        except VerificationFailed as exc:
            print(f"FAILED bundle: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
    if checked.matched is not None:
        print(f"{words['match']}: {checked.matched.digest}")
        print(f"  {words['drawn']}: {_described(checked.matched, bool(checked.named), words)}")
        return
    print(f"{words['nomatch']}: {words['printed']} {checked.printed}", file=sys.stderr)
    for public, named in checked.tried:
        print(f"  {words['drawn']}: {public.digest}", file=sys.stderr)
        print(f"    {_described(public, named, words)}", file=sys.stderr)
    for hint in _hints(checked, as_of, on, words):
        print(f"  {hint}", file=sys.stderr)
    raise typer.Exit(1)


def _hints(checked: Any, as_of: int | None, on: str | None, words: dict[str, str]) -> list[str]:
    """What could make the same list print another digest, for the inspector to rule out."""
    hints = []
    if as_of is None:
        hints.append(words["as_of"].format(entries=checked.verified.entries))
    if on is None:
        hints.append(words["on"])
    if not checked.has_vault:
        hints.append(words["vault"])
    hints.append(words["filters"])
    return hints
