"""Commands of the transparency log: checkpoints, proofs, export, verify, witnesses."""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from api.cli.main import DbOpt, UrlOpt, VaultKeyOpt, app, load_key, open_ledger, refusals
from ledger.audit.bundle import export_bundle
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import MIN_AUTHORITY_HEX, Amendments, VerificationFailed
from ledger.errors import InvalidField, VaultKeyMissing
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey
from ledger.formats.versions import V1
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.witness import DatabaseSource, LogSource, cosign_latest, verifier_key
from projections.tables.audit import verify_database

witness_app = typer.Typer(
    help="Witnesses: cosign checkpoints that extend what you saw.", no_args_is_help=True
)
proof_app = typer.Typer(help="Inclusion and consistency proofs (RFC 9162).", no_args_is_help=True)
app.add_typer(witness_app, name="witness")
app.add_typer(proof_app, name="proof")
err = Console(stderr=True, highlight=False)

NotaryOpt = Annotated[
    Path | None,
    typer.Option("--notary-key", help="The notary's key file [env ANSINH_NOTARY_KEY]"),
]


def notary_key(path: Path | None) -> KeyPair | None:
    path = path or (
        Path(os.environ["ANSINH_NOTARY_KEY"]) if os.environ.get("ANSINH_NOTARY_KEY") else None
    )
    return load_key(path) if path is not None else None


def progress_bar(total: int | None, what: str) -> Progress:
    return Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command()
def checkpoint(
    db: DbOpt = None,
    notary: NotaryOpt = None,
    size: Annotated[int | None, typer.Option(help="Tree size (default: the whole log)")] = None,
    url: UrlOpt = None,
) -> None:
    """Print the latest checkpoint; with the notary key, first sign one for the log as it is."""
    with refusals():
        if url is not None:
            if notary is not None or size is not None:
                raise InvalidField("url", "the server signs its own checkpoints: drop --notary-key")
            from api.client.remote import AnsinhClient

            with AnsinhClient(url) as client:
                sys.stdout.write(client.checkpoint())
            return
        mlog = MerkleLog(open_ledger(db))
        key = notary_key(notary)
        issued = mlog.issue(key, size) if key is not None else mlog.latest()
        sys.stdout.write(issued.note)


@proof_app.command("inclusion")
def proof_inclusion(
    index: Annotated[int, typer.Option(help="Entry index")],
    tree_size: Annotated[
        int | None, typer.Option(help="Tree size (default: latest checkpoint)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Prove an entry is in the tree of a given size."""
    with refusals():
        mlog = MerkleLog(open_ledger(db))
        mlog.catch_up()
        size = tree_size if tree_size is not None else mlog.latest().size
        proof = mlog.inclusion_proof(index, size)
        print(
            json.dumps(
                {
                    "index": index,
                    "tree_size": size,
                    "leaf_hash": base64.b64encode(mlog.leaf_hash(index)).decode(),
                    "proof": [base64.b64encode(p).decode() for p in proof],
                }
            )
        )


@proof_app.command("consistency")
def proof_consistency(
    first: Annotated[int, typer.Option(help="The smaller tree size")],
    second: Annotated[
        int | None, typer.Option(help="The larger (default: latest checkpoint)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Prove the tree of size FIRST is a prefix of the tree of size SECOND."""
    with refusals():
        mlog = MerkleLog(open_ledger(db))
        mlog.catch_up()
        size = second if second is not None else mlog.latest().size
        proof = mlog.consistency_proof(first, size)
        print(
            json.dumps(
                {
                    "first": first,
                    "second": size,
                    "proof": [base64.b64encode(p).decode() for p in proof],
                }
            )
        )


@app.command()
def export(
    out: Annotated[Path, typer.Argument(help="A new directory, or a file ending in .tar")],
    as_of: Annotated[int | None, typer.Option("--as-of", help="Only the first N entries")] = None,
    with_vault: Annotated[
        bool,
        typer.Option("--with-vault", help="Include personal data (authorised inspectors only)"),
    ] = False,
    db: DbOpt = None,
    notary: NotaryOpt = None,
    vault_key: VaultKeyOpt = None,
) -> None:
    """Write the audit bundle (FORMATS §7). Without --with-vault it can be published."""
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


@app.command()
def verify(
    path: Annotated[
        Path | None, typer.Argument(help="A bundle directory or .tar", exists=True)
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
) -> None:
    """Verify everything; exit 0 only if it all holds, else print the first failure and exit 1.

    With --db, also every table the ledger decides or answers from (entity
    events, nonce claims, the Merkle node cache, the read models, the vault),
    each rebuilt from the entries and compared; with the vault key, the
    contents of the vault too. It prints what it covered and what it did not.
    """
    authority = _authority_id(authority)
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
        + _counted(outcome.amendments.count, "warning")
    )
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


@witness_app.command("cosign")
def witness_cosign(
    key: Annotated[Path, typer.Option("--key", help="The witness's (inspector's) key file")],
    state: Annotated[
        Path,
        typer.Option("--state", help="Directory where this witness remembers what it cosigned"),
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="Witness name (default: witness/<key id>)")
    ] = None,
    db: DbOpt = None,
    url: UrlOpt = None,
) -> None:
    """Cosign the newest checkpoint if it is consistent with the last one cosigned.

    With --url the checkpoint and proofs come from the server and the
    cosignature goes back to it; the ledger id and notary key are read from
    its signed opening statement, and pinned in --state the first time.
    """
    with refusals():
        pair = load_key(key)
        witness_name = name or f"witness/{pair.key_id[:16]}"
        if url is None:
            source: LogSource = DatabaseSource(MerkleLog(open_ledger(db)))
            done = cosign_latest(source, pair, witness_name, state)
        else:
            from api.client.remote import AnsinhClient, HttpLogSource

            with AnsinhClient(url) as client:
                source = HttpLogSource(client, verifier_key(witness_name, pair))
                done = cosign_latest(source, pair, witness_name, state)
        since = f" (extends {done.previous_size})" if done.previous_size else ""
        print(f"cosigned checkpoint of size {done.size}{since} as {witness_name}")


@witness_app.command("vkey")
def witness_vkey(
    key: Annotated[Path, typer.Option("--key", help="The witness's key file")],
    name: Annotated[
        str | None, typer.Option("--name", help="Witness name (default: witness/<key id>)")
    ] = None,
) -> None:
    """Print the verifier key to give `ansinh verify --witness`."""
    with refusals():
        pair = load_key(key)
        print(verifier_key(name or f"witness/{pair.key_id[:16]}", pair))
