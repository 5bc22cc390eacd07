"""Province commands: the provincial log of the communes' logs (docs/formats.md §13)."""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated

import typer

from api.cli.deps import load_key, open_ledger, refusals
from ledger.audit.verifier import VerificationFailed
from ledger.errors import InvalidField, LedgerError, MalformedError
from ledger.formats.keys import decode_public_key
from ledger.province.log import ProvinceLog
from ledger.province.store import ProvinceStore
from ledger.province.verify import verify_province
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.witness import DatabaseSource, LogSource

province_app = typer.Typer(
    help="The province's log of the communes' checkpoints.", no_args_is_help=True
)

ProvinceDbOpt = Annotated[
    str,
    typer.Option(
        "--db", envvar="ANSINH_PROVINCE_DB", help="The province log: SQLite file or postgresql://"
    ),
]
KeyOpt = Annotated[Path, typer.Option("--key", help="The province's signing key file")]


@contextmanager
def _open(db: str) -> Iterator[ProvinceLog]:
    store = ProvinceStore(db)
    try:
        yield ProvinceLog(store)
    finally:
        store.close()


@province_app.command("init")
def province_init(
    db: ProvinceDbOpt,
    key: KeyOpt,
    origin: Annotated[str, typer.Option("--origin", help="The province log's name")],
) -> None:
    """Open a province log signed by KEY, named ORIGIN (e.g. ansinh.vn/son-la)."""
    with refusals():
        log = ProvinceLog.init(db, load_key(key), origin)
        log.store.close()
        print(f"province log {log.origin} opened, key {base64.b64encode(log.public_key).decode()}")


@province_app.command("add-commune")
def province_add_commune(
    db: ProvinceDbOpt,
    key: KeyOpt,
    origin: Annotated[str, typer.Option("--origin", help="The commune ledger's id")],
    notary_vkey: Annotated[
        str, typer.Option("--notary-vkey", help="The commune notary's public key (base64)")
    ],
) -> None:
    """Follow a commune: its checkpoints must be signed by this notary key."""
    with refusals(), _open(db) as log:
        vkey = decode_public_key(notary_vkey, "notary_vkey")
        note = log.add_commune(origin, vkey, load_key(key))
        sys.stdout.write(note)


@province_app.command("collect")
def province_collect(
    db: ProvinceDbOpt,
    key: KeyOpt,
    url: Annotated[
        list[str] | None, typer.Option("--url", help="A commune's server (repeat)")
    ] = None,
    commune_db: Annotated[
        list[str] | None,
        typer.Option("--commune-db", help="A commune ledger's database (repeat)"),
    ] = None,
    server: Annotated[
        list[str] | None,
        typer.Option(
            "--server", help="A server of many communes (serve --ledgers): each of them (repeat)"
        ),
    ] = None,
) -> None:
    """Log each commune's latest checkpoint once checked; sign a new province checkpoint.

    A checkpoint whose notary signature fails, or that does not extend the
    one logged before for its commune, is refused and named (exit 1); the
    others are logged all the same.
    """
    if not url and not commune_db and not server:
        raise typer.BadParameter("give --url, --server or --commune-db", param_hint="--url")
    with refusals(), ExitStack() as stack:
        log = stack.enter_context(_open(db))
        pair = load_key(key)
        sources: list[LogSource] = [
            DatabaseSource(MerkleLog(open_ledger(one))) for one in commune_db or []
        ]
        urls = list(url or [])
        for one in server or []:
            urls += communes_of(one)
        if urls:
            from api.client.remote import AnsinhClient, HttpLogSource

            for one in urls:
                sources.append(HttpLogSource(stack.enter_context(AnsinhClient(one))))
        done = log.collect(sources, pair, [*(commune_db or []), *urls])
        for line in done.logged:
            print(f"logged {line}")
        for origin in done.unchanged:
            print(f"unchanged {origin}")
        for refusal in done.refused:
            print(f"REFUSED {refusal.message}", file=sys.stderr)
        signed = f", signed size {done.size}" if done.checkpoint else ""
        print(f"province log: {done.size} entries{signed}")
        if done.refused:
            raise typer.Exit(1)


def communes_of(server: str) -> list[str]:
    """The address of each commune a server of many serves (its ``/v1/ledgers``)."""
    from api.client.errors import ServerUnreachable
    from api.client.remote import AnsinhClient

    try:
        with AnsinhClient(server) as client:
            listed = client.request("GET", "/v1/ledgers").json()["ledgers"]
    except ServerUnreachable:
        raise
    except (LedgerError, KeyError, TypeError, ValueError) as exc:
        said = exc.message if isinstance(exc, LedgerError) else f"no list of ledgers ({exc})"
        raise InvalidField(
            "server", f"{server} is no server of many communes (GET /v1/ledgers: {said})"
        ) from None
    return [server.rstrip("/") + str(row["path"]).rstrip("/") for row in listed]


@province_app.command("checkpoint")
def province_checkpoint(db: ProvinceDbOpt) -> None:
    """Print the province's latest signed checkpoint."""
    with refusals(), _open(db) as log:
        sys.stdout.write(log.latest())


@province_app.command("export")
def province_export(
    bundle: Annotated[Path, typer.Argument(help="A new directory")], db: ProvinceDbOpt
) -> None:
    """Write the province bundle for `ansinh verify --province`."""
    with refusals():
        if bundle.exists() and any(bundle.iterdir()):
            raise InvalidField("bundle", f"{bundle} exists and is not empty")
        with _open(db) as log:
            size = log.export(bundle)
        print(f"wrote {bundle}: {size} entries and the province checkpoint")


def verify_province_bundle(
    bundle: Path, checkpoints: list[Path], province_key: str | None = None
) -> None:
    """``ansinh verify --province``: print OK and what was checked, or FAILED and exit 1."""
    pinned = decode_public_key(province_key, "province_key") if province_key else None
    try:
        held = [path.read_text(encoding="utf-8") for path in checkpoints]
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedError(f"checkpoint: {exc}") from None
    try:
        outcome = verify_province(bundle, held, pinned)
    except VerificationFailed as exc:
        print(f"FAILED {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    print(
        f"OK province {outcome.origin}: {outcome.size} entries, root "
        f"{base64.b64encode(outcome.root).decode()}, key {outcome.public_key}, "
        f"{len(outcome.communes)} communes"
    )
    for origin, size in sorted(outcome.communes.items()):
        print(f"  commune {origin}: checkpoints consistent up to size {size}, no split view")
    for line in outcome.held:
        print(f"  checked checkpoint held: {line} is in the province log")
