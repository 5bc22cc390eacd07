"""Audit commands: export the audit bundle, verify a bundle or a database."""

from __future__ import annotations

import base64
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from api.cli.deps import (
    DbOpt,
    NotaryOpt,
    VaultKeyOpt,
    notary_key,
    open_ledger,
    progress_bar,
    refusals,
)
from api.cli.evidence import is_evidence, verify_evidence_file
from ledger.audit.bundle import export_bundle
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import MIN_AUTHORITY_HEX, Amendments, VerificationFailed
from ledger.errors import InvalidField, VaultKeyMissing
from ledger.formats.vault import VaultKey
from ledger.formats.versions import V1
from ledger.tlog.policy import Policy, PolicyInvalid, parse_policy
from projections.tables.audit import verify_database


def export(
    out: Annotated[
        Path,
        typer.Argument(help="A new directory, or a file ending in .tar; or the word evidence"),
    ],
    as_of: Annotated[int | None, typer.Option("--as-of", help="Only the first N entries")] = None,
    with_vault: Annotated[
        bool,
        typer.Option("--with-vault", help="Include personal data (authorised inspectors only)"),
    ] = False,
    db: DbOpt = None,
    notary: NotaryOpt = None,
    vault_key: VaultKeyOpt = None,
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="evidence: the entries naming this id or household code"),
    ] = None,
    index: Annotated[
        list[int] | None, typer.Option("--index", help="evidence: this entry (repeat)")
    ] = None,
    finding: Annotated[
        str | None,
        typer.Option("--finding", help="evidence: the entries proving a reconciliation finding"),
    ] = None,
    evidence_out: Annotated[
        Path | None, typer.Option("--out", help="evidence: the file to write")
    ] = None,
) -> None:
    """Write the audit bundle (FORMATS §7), or with `evidence` an evidence file.

    Without --with-vault the bundle can be published.

    `ansinh export evidence --entity ID|CODE --out FILE` (or `--index N`,
    repeated, or `--finding ID`, a reconciliation finding's id as its
    report prints it) writes instead the entries asked for with their
    inclusion proofs against the latest signed checkpoint, for `ansinh
    verify FILE` to check offline (docs/formats.md section 8).
    """
    asked = (entity, index, finding)
    wants_evidence = entity is not None or bool(index) or finding is not None
    if str(out) == "evidence" and (wants_evidence or evidence_out is not None):
        from api.cli.inspect import export_evidence

        export_evidence(evidence_out, asked, db, notary)
        return
    if wants_evidence or evidence_out is not None:
        raise typer.BadParameter(
            "--entity, --index, --finding and --out are for `ansinh export evidence`",
            param_hint="--out",
        )
    with refusals():
        ledger = open_ledger(db, vault_key)
        with progress_bar(None, "exporting") as bar:
            task = bar.add_task("export", total=as_of or ledger.size())
            done = export_bundle(
                ledger,
                out,
                as_of=as_of,
                with_vault=with_vault,
                notary=notary_key(notary),
                progress=lambda n: bar.advance(task, n),
            )
        print(
            f"exported {done.entries} entries to {done.path}"
            + (f" with {done.vault_records} vault records" if with_vault else "")
        )


def verify(
    path: Annotated[
        Path | None,
        typer.Argument(help="A bundle directory or .tar, or an evidence file", exists=True),
    ] = None,
    db: DbOpt = None,
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority",
            help="The authority key id you expect (64 hex, or its first 16 or more)",
        ),
    ] = None,
    witness: Annotated[
        list[str] | None,
        typer.Option(
            "--witness", help="A witness verifier key whose cosignature is required (repeat)"
        ),
    ] = None,
    since: Annotated[
        Path | None,
        typer.Option(
            "--since",
            help="A checkpoint you kept earlier: the log must extend it",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    processes: Annotated[
        int | None, typer.Option(help="Worker processes (default: all cores)")
    ] = None,
    vault_key: VaultKeyOpt = None,
    evidence: Annotated[
        Path | None,
        typer.Option("--evidence", help="An evidence file (`ansinh export evidence`)", exists=True),
    ] = None,
    province: Annotated[
        Path | None,
        typer.Option("--province", help="A province bundle (`ansinh province export`)"),
    ] = None,
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option("--checkpoint", help="With --province: a commune checkpoint held (repeat)"),
    ] = None,
    province_key: Annotated[
        str | None,
        typer.Option(
            "--province-key",
            help="With --province: the province's public key (base64) you expect; "
            "a bundle signed by another fails",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="A witness policy file: the checkpoint's cosignatures must meet its quorum",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Verify everything; exit 0 only if it all holds, else print the first failure and exit 1.

    An evidence file is checked on its own: each entry's signature and
    inclusion proof, and the notary's signature on the checkpoint.

    With --db, also every table the ledger decides or answers from (entity
    events, nonce claims, the Merkle node cache, the read models, the vault),
    each rebuilt from the entries and compared; with the vault key, the
    contents of the vault too. It prints what it covered and what it did not.

    With --province, a province bundle: its entries, root and signature, each
    commune's chain of checkpoints, and that each --checkpoint given is logged.
    """
    if province is not None:
        from api.cli.province import verify_province_bundle

        with refusals():
            verify_province_bundle(province, checkpoint or [], province_key)
        return
    authority = _authority_id(authority)
    rules = _policy(policy)
    if evidence is not None or (path is not None and is_evidence(path)):
        verify_evidence_file(evidence or path, authority, witness or [], rules)  # type: ignore[arg-type]
        return
    kept = since.read_text(encoding="utf-8") if since is not None else None
    try:
        with progress_bar(None, "verifying") as bar:
            task = bar.add_task("verify", total=None)
            tick = lambda n: bar.advance(task, n)  # noqa: E731
            if path is not None:
                outcome = verify_bundle(
                    path,
                    authority=authority,
                    witnesses=witness,
                    since=kept,
                    processes=processes,
                    progress=tick,
                    policy=rules,
                )
            else:
                with refusals():
                    ledger = open_ledger(db)
                    key = _vault_key_if_any(vault_key)
                outcome = verify_database(
                    ledger,
                    authority=authority,
                    witnesses=witness,
                    since=kept,
                    processes=processes,
                    progress=tick,
                    vault_key=key,
                    policy=rules,
                )
                outcome = replace(outcome, uncovered=(*outcome.uncovered, *NOT_LEDGER_DATA))
    except VerificationFailed as exc:
        print(f"FAILED {exc}", file=sys.stderr)
        for line in exc.more:
            print(f"also: {line}", file=sys.stderr)
        raise typer.Exit(1) from None
    except InvalidField as exc:
        print(f"FAILED {exc.code}: {exc.message}", file=sys.stderr)
        raise typer.Exit(1) from None
    if authority is None:
        # Whoever made the ledger signed every check above: without the authority
        # the inspector expects, the checks show only that it is self-consistent.
        print(
            "WARNING: the authority key was not pinned: anyone could have made this ledger. "
            f"It was opened by authority key {outcome.authority}; if that is the commune's, "
            "pass --authority <key id>",
            file=sys.stderr,
        )
    print(
        f"OK {outcome.entries} entries of {outcome.ledger_id}, root "
        f"{base64.b64encode(outcome.root).decode()}, authority {outcome.authority[:16]}"
        + (" (NOT PINNED)" if authority is None else "")
        + (f", checkpoint {outcome.checkpoint_size}" if outcome.checkpoint_size else "")
        + (f", witnesses {', '.join(outcome.witnesses)}" if outcome.witnesses else "")
        + (f", {outcome.vault_records} vault records" if outcome.vault_records else "")
        + f", FORMATS {_version(outcome.amendments.formats)}"
        + _adopted(outcome.amendments.formats, outcome.amendments.follows)
        + _counted(outcome.amendments.count, "warning")
    )
    if rules is not None:
        print(f"  checked witness policy {policy}: quorum {rules.quorum} met")
    for line in outcome.covered:
        print(f"  checked {line}")
    for line in outcome.uncovered:
        print(f"  not checked: {line}")
    _print_warnings(outcome.amendments)


def _authority_id(given: str | None) -> str | None:
    """``--authority``: the authority's key id, whole (64 hex) or its first 16 hex or more."""
    if given is None:
        return None
    key_id = given.strip().lower()
    if not re.fullmatch(f"[0-9a-f]{{{MIN_AUTHORITY_HEX},64}}", key_id):
        raise typer.BadParameter(
            f"{given!r}: give at least {MIN_AUTHORITY_HEX} hex of the authority key id "
            "(all 64 pin it best)",
            param_hint="--authority",
        )
    return key_id


NOT_LEDGER_DATA = (
    "sign-in challenges and sessions: the server's, not the ledger's (no answer reads them)",
    "times stored beside what is signed (a checkpoint's issued_at, a vault record's "
    "recorded_at): nothing signs them",
    "checkpoints deleted from the table: the others still verify; keep one and pass --since",
)


def _vault_key_if_any(path: Path | None) -> VaultKey | None:
    """The vault key given (or set in the environment); None when there is none."""
    try:
        return VaultKey.load(path)
    except VaultKeyMissing:
        if path is not None:
            raise
        return None


def _counted(n: int, what: str) -> str:
    return "" if n == 0 else f", {n} {what}" + ("s" if n > 1 else "")


def _version(formats: str) -> str:
    return "v1" if formats == V1 else formats


def _print_warnings(amendments: Amendments) -> None:
    """Entries of a v1 ledger that break a FORMATS 1.1 rule: reported, not failed."""
    for index, why in amendments.warnings:
        print(f"warning entry {index}: {why}", file=sys.stderr)
    unlisted = amendments.count - len(amendments.warnings)
    if unlisted:
        print(f"warning: {unlisted} more entries break a FORMATS 1.1 rule", file=sys.stderr)


def _policy(path: Path | None) -> Policy | None:
    """The witness policy file parsed, or FAILED naming its code and line."""
    if path is None:
        return None
    try:
        return parse_policy(path.read_text(encoding="utf-8"))
    except (PolicyInvalid, UnicodeDecodeError) as exc:
        code = getattr(exc, "code", "POLICY_SYNTAX")
        print(f"FAILED {code}: {path}: {getattr(exc, 'message', exc)}", file=sys.stderr)
        raise typer.Exit(1) from None


def _adopted(declared: str, follows: str | None) -> str:
    """What a ledger adopted since entry 0 declared ``declared`` (docs/formats.md 10.1)."""
    return "" if follows in (None, declared) else f" (FORMATS {follows} adopted since)"
