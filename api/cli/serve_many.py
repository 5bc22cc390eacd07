"""``ansinh serve --ledgers``: one server for many commune ledgers of one PostgreSQL database.

Every ledger is served under ``/c/{schema}/`` (:mod:`api.http.communes`);
``--ledgers all`` serves each schema of the database that holds one, or a
comma-separated list names them. Keys come from ``--keys-root``, one folder
per schema as ``ansinh init --keys`` wrote it.
"""

from __future__ import annotations

from pathlib import Path

from api.cli.deps import err, load_key, refusals
from api.http.forwarded import PublicAddress
from api.http.limits import Limits
from ledger.errors import InvalidField, NotOpened
from ledger.storage.schemas import check_schema, ledger_schemas, schema_of
from ledger.storage.settings import describe_db, eventsourcing_env, is_postgres, resolve_db
from ledger.tlog.policy import Policy


def chosen(db: str, ledgers: str) -> list[str]:
    """The schemas ``--ledgers`` names: all that hold a ledger, or the list given."""
    if not is_postgres(db):
        raise InvalidField(
            "ledgers", "many ledgers are served from PostgreSQL (--db postgresql://...)"
        )
    if "schema=" in db:
        raise InvalidField(
            "db", f"--ledgers serves the database's schemas; --db names {schema_of(db)!r}"
        )
    from ledger.storage.postgres import check_reachable

    check_reachable(eventsourcing_env(db))
    found = ledger_schemas(db)
    if ledgers.strip() == "all":
        if not found:
            raise NotOpened(
                f"no commune ledger in {describe_db(db)} yet: make one with "
                "`ansinh init --db ... --schema NAME`",
                field="ledgers",
            )
        return found
    names = [check_schema(n.strip(), "ledgers") for n in ledgers.split(",") if n.strip()]
    if not names:
        raise InvalidField("ledgers", "name the schemas to serve, comma-separated, or all")
    missing = [n for n in names if n not in found]
    if missing:
        raise NotOpened(
            f"no ledger in schema {', '.join(missing)} of {describe_db(db)}", field="ledgers"
        )
    return list(dict.fromkeys(names))


def serve_communes(
    db: str | None,
    ledgers: str,
    *,
    keys_root: Path | None,
    pool_size: int,
    warm: int,
    limits: Limits,
    public: PublicAddress,
    checkpoint_every_s: float,
    policy: Policy | None,
    host: str,
    port: int,
) -> None:

    from api.cli.listening import base_url, bind, run_until_stopped
    from api.http.communes import Communes, create_communes_app

    where = resolve_db(db)
    with refusals():
        schemas = chosen(where, ledgers)
        communes = Communes(
            where,
            schemas,
            keys_root=keys_root,
            limits=limits,
            public=public,
            checkpoint_every_s=checkpoint_every_s,
            pool_size=pool_size,
            warm=warm,
            policy=policy,
            load_key=load_key,
        )
    try:
        sock = bind(host, port)
    except BaseException:
        communes.close()
        raise
    url = base_url(host, sock.getsockname()[1])
    print(f"serving {len(schemas)} commune ledgers from {describe_db(where)}")
    print(f"  {url + '/':<40} the communes, with links to each one's lists and console")
    for row in communes.listing():
        keys = ", ".join(communes.served[row["schema"]].keys) or "none"
        print(f"  {url + row['path']:<40} {row['name']} ({row['log_size']} entries; keys: {keys})")
    print(f"at most {pool_size} connections to PostgreSQL, shared by all of them")
    print("Ctrl-C stops it.", flush=True)
    run_until_stopped(
        create_communes_app(communes), sock, lambda said: err.print(said, markup=False)
    )
