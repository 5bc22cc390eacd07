"""Commands of the transparency log: checkpoints, proofs, witnesses."""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.deps import DbOpt, NotaryOpt, UrlOpt, load_key, notary_key, open_ledger, refusals
from ledger.errors import InvalidField
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.policy import note_vkey
from ledger.tlog.witness import DatabaseSource, LogSource, cosign_latest, verifier_key

witness_app = typer.Typer(
    help="Witnesses: cosign checkpoints that extend what you saw.", no_args_is_help=True
)
proof_app = typer.Typer(help="Inclusion and consistency proofs (RFC 9162).", no_args_is_help=True)


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
        mlog, size = _tree(db, tree_size)
        proof = mlog.inclusion_proof(index, size)
        leaf_hash = base64.b64encode(mlog.leaf_hash(index)).decode()
        doc = {"index": index, "tree_size": size, "leaf_hash": leaf_hash, "proof": _b64(proof)}
        print(json.dumps(doc))


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
        mlog, size = _tree(db, second)
        proof = mlog.consistency_proof(first, size)
        print(json.dumps({"first": first, "second": size, "proof": _b64(proof)}))


def _tree(db: str | None, size: int | None) -> tuple[MerkleLog, int]:
    """The log's tree, caught up, and the size asked for (default: the latest checkpoint's)."""
    mlog = MerkleLog(open_ledger(db))
    mlog.catch_up()
    return mlog, size if size is not None else mlog.latest().size


def _b64(hashes: list[bytes]) -> list[str]:
    return [base64.b64encode(h).decode() for h in hashes]


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
    url: Annotated[
        list[str] | None,
        typer.Option("--url", help="A server to cosign (repeat for several logs)"),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="A file listing the logs to cosign, one address a line"),
    ] = None,
) -> None:
    """Cosign the newest checkpoint if it is consistent with the last one cosigned.

    With --url the checkpoint and proofs come from the server and the
    cosignature goes back to it; the ledger id and notary key are read from
    its signed opening statement, and pinned in --state the first time.

    With --config (or --url repeated), every log listed, each with its own
    state under --state/<origin>; a line per log, exit 1 if any failed.
    """
    from api.cli.witnessing import cosign_many, read_config

    with refusals():
        pair = load_key(key)
        witness_name = name or f"witness/{pair.key_id[:16]}"
        many = (read_config(config) if config is not None else []) + (
            list(url or []) if config is not None or len(url or []) > 1 else []
        )
        if many:
            if db is not None:
                raise InvalidField("db", "list the databases in --config with the other logs")
            cosign_many(many, pair, witness_name, state)
            return
        address = url[0] if url else None
        if address is None:
            source: LogSource = DatabaseSource(MerkleLog(open_ledger(db)))
            done = cosign_latest(source, pair, witness_name, state)
        else:
            from api.client.remote import AnsinhClient, HttpLogSource

            with AnsinhClient(address) as client:
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


@witness_app.command("log-key")
def witness_log_key(db: DbOpt = None, url: UrlOpt = None) -> None:
    """Print the `log` line of a witness policy: the log's origin and notary verifier key."""
    with refusals():
        if url is None:
            source: LogSource = DatabaseSource(MerkleLog(open_ledger(db)))
            print(f"log {note_vkey(source.origin(), source.notary_public_key())}")
            return
        from api.client.remote import AnsinhClient, HttpLogSource

        with AnsinhClient(url) as client:
            source = HttpLogSource(client)
            print(f"log {note_vkey(source.origin(), source.notary_public_key())}")
