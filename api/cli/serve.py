"""``ansinh serve``: the HTTP API and the public pages over one ledger.

One process, one worker: the :class:`~api.service.LedgerService` holds the
group-commit writer, the Merkle log and the read models' snapshots in memory,
so a second worker would only fight it for the database. Request logs go to
stderr as one JSON line each; the addresses to open go to stdout.
"""

from __future__ import annotations

from base64 import b64decode
from pathlib import Path
from typing import Annotated

import typer

from api.cli.deps import DbOpt, NotaryOpt, VaultKeyOpt, err, load_key, notary_key, refusals
from api.cli.listening import base_url, bind, run_until_stopped
from api.cli.serve_many import serve_communes
from api.http.communes import DEFAULT_POOL, DEFAULT_WARM
from api.http.forwarded import LOOPBACK, PublicAddress, check_public_url, parse_trusted
from api.http.limits import MIB, Limits
from api.service import LedgerService
from ledger.errors import InvalidField, VaultKeyMissing, WrongNotaryKey
from ledger.formats.vault import VaultKey
from ledger.storage.settings import check_ledger_file, resolve_db, sqlite_file
from ledger.tlog.policy import Policy, parse_policy

PAGES = (
    ("/", "public lists (Vietnamese; ?lang=en for English)"),
    ("/lists", "approved lists by village and program"),
    ("/checkpoints", "signed checkpoints, to check a printed list"),
    ("/officer", "the officers' console: sign in with your key file"),
    ("/docs", "the HTTP API (OpenAPI)"),
)

CheckpointEveryOpt = Annotated[
    float,
    typer.Option(
        "--checkpoint-every",
        min=0.1,
        help="With the notary key: sign a checkpoint this many seconds after new entries",
    ),
]
_MAX_BODY_HELP = (
    "Largest body of POST /v1/statements, in MiB (a batch of 1,000 statements with personal "
    "data is about 1.2 MB); larger ones are refused before they are read"
)
IntakeOpt = Annotated[
    Path | None,
    typer.Option(
        "--intake-key",
        help="The key (role intake, FORMATS 1.3) the lookup page /xac-nhan signs beneficiaries' "
        "confirmations with; without it the page takes none",
    ),
]
_POLICY_HELP = (
    "A witness policy file: the public pages and GET /v1/log/policy say whether the newest "
    "checkpoint is cosigned by enough witnesses"
)
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help=_POLICY_HELP, exists=True, dir_okay=False)
]
_LEDGERS_HELP = (
    "PostgreSQL: serve many commune ledgers of the database, each under /c/SCHEMA/: "
    "all (every schema holding one) or SCHEMA,SCHEMA,..."
)
LedgersOpt = Annotated[str | None, typer.Option("--ledgers", help=_LEDGERS_HELP)]
_KEYS_ROOT_HELP = (
    "With --ledgers: a folder holding, per schema, the folder `ansinh init --keys` wrote "
    "(notary.key, vault.key, intake.key, each optional)"
)
KeysRootOpt = Annotated[
    Path | None,
    typer.Option("--keys-root", help=_KEYS_ROOT_HELP, exists=True, file_okay=False),
]
_POOL_HELP = "With --ledgers: the most PostgreSQL connections the server holds, for all of them"
PoolSizeOpt = Annotated[int, typer.Option("--pool-size", min=2, max=1000, help=_POOL_HELP)]
_WARM_HELP = (
    "With --ledgers: how many communes, the most recently read, keep their read models in "
    "memory (about 60 MB each at 40,000 entries); the others load theirs again when read"
)
WarmOpt = Annotated[int, typer.Option("--warm", min=1, help=_WARM_HELP)]
MaxBodyOpt = Annotated[float, typer.Option("--max-body-mb", min=0.001, help=_MAX_BODY_HELP)]
_RATE_HELP = "Sign-in requests (challenge, token) each client address may make a minute"
SigninRateOpt = Annotated[float, typer.Option("--signin-per-minute", min=0.01, help=_RATE_HELP)]
_BURST_HELP = "Sign-in requests each client address may make at once, before that rate"
SigninBurstOpt = Annotated[int, typer.Option("--signin-burst", min=1, help=_BURST_HELP)]
_BATCHES_HELP = (
    "Batches (statement bodies over 16 KB) read and recorded at once; "
    "the others wait their turn unread"
)
BatchesOpt = Annotated[int, typer.Option("--batches-at-once", min=1, help=_BATCHES_HELP)]


def _public_url(value: str | None) -> str | None:
    try:
        return check_public_url(value) if value is not None else None
    except InvalidField as exc:
        raise typer.BadParameter(exc.message.removeprefix("public_url: ")) from None


def _allow_ips(value: str) -> str:
    try:
        parse_trusted(value)
    except InvalidField as exc:
        raise typer.BadParameter(exc.message.removeprefix("forwarded_allow_ips: ")) from None
    return value


_PUBLIC_HELP = (
    "The address readers use (https://xa-chieng-en.example.vn): QR codes and links on "
    "printed notices carry it. Without it, the address each request was made to"
)
PublicUrlOpt = Annotated[
    str | None, typer.Option("--public-url", help=_PUBLIC_HELP, callback=_public_url)
]
_ALLOW_HELP = (
    "Proxies (addresses or networks, comma-separated; * for any) whose X-Forwarded-For, "
    "-Proto and -Host are believed; from any other client they are ignored"
)
AllowIpsOpt = Annotated[
    str,
    typer.Option(
        "--forwarded-allow-ips", envvar="FORWARDED_ALLOW_IPS", help=_ALLOW_HELP, callback=_allow_ips
    ),
]


def open_service(
    db: str | None, vault_key: Path | None, notary: Path | None, checkpoint_every_s: float
) -> LedgerService:
    """The service over an opened ledger, or a clear refusal (nothing is created)."""
    where = resolve_db(db)
    path = sqlite_file(where)
    if path is not None:
        check_ledger_file(path)  # (opening it would make the file, or tables in it)
    key = notary_key(notary)
    vault = VaultKey.load(vault_key) if vault_key is not None else None
    service = LedgerService(
        where, vault_key=vault, notary=key, checkpoint_every_s=checkpoint_every_s, manage_gc=True
    )
    try:
        charter = service.ledger.charter()  # NOT_OPENED when the database holds no ledger
        if key is not None and key.public_key_b64 != charter.notary_public_key:
            raise WrongNotaryKey(
                "notary_key: not the notary key this ledger was opened with", field="notary_key"
            )
    except BaseException:
        service.close()
        service.ledger.close()
        raise
    return service


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: any free port)")
    ] = 8000,
    vault_key: VaultKeyOpt = None,
    notary: NotaryOpt = None,
    checkpoint_every: CheckpointEveryOpt = 2.0,
    max_body_mb: MaxBodyOpt = Limits.statements_body_bytes / MIB,
    signin_per_minute: SigninRateOpt = Limits.signin_per_minute,
    signin_burst: SigninBurstOpt = Limits.signin_burst,
    batches_at_once: BatchesOpt = Limits.batches_at_once,
    public_url: PublicUrlOpt = None,
    forwarded_allow_ips: AllowIpsOpt = LOOPBACK,
    intake_key: IntakeOpt = None,
    policy: PolicyOpt = None,
    ledgers: LedgersOpt = None,
    keys_root: KeysRootOpt = None,
    pool_size: PoolSizeOpt = DEFAULT_POOL,
    warm: WarmOpt = DEFAULT_WARM,
) -> None:
    """Serve the ledger: the API under /v1 (docs at /docs) and the public pages.

    With --ledgers: every commune ledger of a PostgreSQL database, each under /c/SCHEMA/.
    """

    from api.http.app import create_app

    limits = Limits(
        statements_body_bytes=int(max_body_mb * MIB),
        signin_per_minute=signin_per_minute,
        signin_burst=signin_burst,
        batches_at_once=batches_at_once,
    )
    public = PublicAddress.of(public_url, forwarded_allow_ips)
    with refusals():
        rules = read_policy(policy) if policy is not None else None
    if ledgers is not None:
        one_only = {"--vault-key": vault_key, "--notary-key": notary, "--intake-key": intake_key}
        given = [name for name, value in one_only.items() if value is not None]
        if given:
            raise typer.BadParameter(
                f"{', '.join(given)}: with --ledgers, each commune's keys are in "
                "--keys-root/SCHEMA/ (notary.key, vault.key, intake.key)",
                param_hint="--ledgers",
            )
        serve_communes(
            db,
            ledgers,
            keys_root=keys_root,
            pool_size=pool_size,
            warm=warm,
            limits=limits,
            public=public,
            checkpoint_every_s=checkpoint_every,
            policy=rules,
            host=host,
            port=port,
        )
        return

    with refusals():
        service = open_service(db, vault_key, notary, checkpoint_every)
        service.policy = rules
        intake = load_key(intake_key) if intake_key is not None else None
    try:
        sock = bind(host, port)
    except BaseException:
        service.close()
        service.ledger.close()
        raise
    port = sock.getsockname()[1]
    url = base_url(host, port)
    charter = service.ledger.charter()
    print(
        f"serving {charter.ledger_id} ({charter.name}): {service.size()} entries "
        f"from {service.ledger.db}"
    )
    for path, what in PAGES:
        print(f"  {url + path:<40} {what}")
    if public.url is not None:
        print(f"  printed notices carry {public.url}")
    if service.notary is None:
        err.print("note: no --notary-key: checkpoints are only those signed before", markup=False)
    if intake is None:
        err.print("note: no --intake-key: the lookup page takes no confirmations", markup=False)
    elif intake.key_id not in charter.keys or "intake" not in charter.keys[intake.key_id].roles:
        err.print("note: the --intake-key is not registered with the role intake", markup=False)
    if rules is not None and not any(
        log.name == charter.ledger_id and log.public_key == b64decode(charter.notary_public_key)
        for log in rules.logs
    ):
        err.print("note: the --policy names no log key of this ledger: never met", markup=False)
    if not _has_vault_key(vault_key):
        err.print("note: no vault key: statements with personal data will be refused", markup=False)
    print("Ctrl-C stops it.", flush=True)
    try:
        run_until_stopped(
            create_app(service, limits, public, intake),
            sock,
            lambda said: err.print(said, markup=False),
        )
    finally:
        service.ledger.close()


def _has_vault_key(path: Path | None) -> bool:
    if path is not None:
        return True
    try:
        VaultKey.load(None)
    except (VaultKeyMissing, InvalidField):
        return False
    return True


def read_policy(path: Path) -> Policy:
    """The witness policy file, or a refusal naming its code and line."""
    try:
        return parse_policy(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InvalidField("policy", f"{path} is not UTF-8 text") from None
