"""``ansinh keys`` and ``ansinh vault``: officers' signing keys, the personal-data vault."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api.cli.deps import (
    DbOpt,
    JsonOpt,
    VaultKeyOpt,
    load_key,
    open_ledger,
    out,
    refusals,
    write_new_key,
)
from ledger.domain.acceptance import Submission
from ledger.errors import InvalidField
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from ledger.formats.keys import decode_public_key, key_id

keys_app = typer.Typer(help="Officers' signing keys.", no_args_is_help=True)
vault_app = typer.Typer(help="The personal-data vault.", no_args_is_help=True)


@keys_app.command("new")
def keys_new(
    keys: Annotated[Path, typer.Option("--keys", help="Directory for the key files")],
    name: Annotated[str, typer.Option("--name", help="File name: NAME.key and NAME.pub")],
) -> None:
    """Generate a signing key (NAME.key, PKCS#8 PEM, 0600) and NAME.pub."""
    with refusals():
        keys.mkdir(parents=True, exist_ok=True, mode=0o700)
        pair = write_new_key(keys, name)
        print(json.dumps({"name": name, "id": pair.key_id, "public_key": pair.public_key_b64}))


def _public_key_arg(pub: Path) -> tuple[str, str]:
    try:
        info = json.loads(pub.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidField("key", f"cannot read public key file {pub}: {exc}") from None
    raw = decode_public_key(info.get("public_key"), "key.public_key")
    return key_id(raw), info["public_key"]


@keys_app.command("register")
def keys_register(
    key: Annotated[Path, typer.Option("--key", help="The new key's NAME.pub file")],
    holder_id: Annotated[
        str, typer.Option("--holder-id", help="Stable id of the person holding it")
    ],
    holder_name: Annotated[str, typer.Option("--holder-name", help="Their name and post")],
    role: Annotated[
        list[str],
        typer.Option("--role", help="admin|registrar|approver|cashier|inspector (repeat)"),
    ],
    admin_key: Annotated[
        Path, typer.Option("--admin-key", help="Key file of an admin (the authority)")
    ],
    db: DbOpt = None,
) -> None:
    """Register an officer's key with its roles (signed by an admin key)."""
    with refusals():
        ledger = open_ledger(db)
        kid, public_key = _public_key_arg(key)
        admin = load_key(admin_key)
        body = {
            "key": {"id": kid, "public_key": public_key},
            "holder": {"id": holder_id, "name": holder_name},
            "roles": role,
        }
        statement = make_statement(ledger.charter().ledger_id, "key.registered", body, admin.key_id)
        accepted = ledger.submit(Submission(open_envelope(sign_statement(statement, admin))))
        out.print(
            f"key {kid} registered for {holder_id} as {', '.join(role)} (entry {accepted.index})"
        )


@keys_app.command("revoke")
def keys_revoke(
    key_id: Annotated[str, typer.Argument(help="Key id to revoke")],
    reason: Annotated[str, typer.Option("--reason", help="Why, for the record")],
    admin_key: Annotated[Path, typer.Option("--admin-key", help="Key file of an admin")],
    db: DbOpt = None,
) -> None:
    """Revoke a key: statements it signs are refused from now on."""
    with refusals():
        ledger = open_ledger(db)
        admin = load_key(admin_key)
        statement = make_statement(
            ledger.charter().ledger_id,
            "key.revoked",
            {"key_id": key_id, "reason": reason},
            admin.key_id,
        )
        accepted = ledger.submit(Submission(open_envelope(sign_statement(statement, admin))))
        out.print(f"key {key_id} revoked (entry {accepted.index})")


@keys_app.command("list")
def keys_list(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """The ledger's keys: holder, roles, when registered and revoked."""
    with refusals():
        records = open_ledger(db).key_records()
        if as_json:
            for k in records:
                print(json.dumps(k.__dict__, ensure_ascii=False))
            return
        table = Table("key id", "holder", "roles", "registered", "revoked")
        for k in records:
            table.add_row(
                k.key_id[:16],
                f"{k.holder_id} ({k.holder_name})",
                ",".join(k.roles),
                str(k.registered_index),
                "" if k.revoked_index is None else f"{k.revoked_index}: {k.revoked_reason}",
            )
        out.print(table)


@vault_app.command("show")
def vault_show(person_id: str, db: DbOpt = None, vault_key: VaultKeyOpt = None) -> None:
    """A person's personal-data record (needs the vault key)."""
    with refusals():
        record = open_ledger(db, vault_key).vault_record(person_id)
        if record is None:
            raise InvalidField("person_id", "no record in the vault (erased or never stored)")
        print(json.dumps(record.to_json(), ensure_ascii=False))


@vault_app.command("erase")
def vault_erase(person_id: str, db: DbOpt = None) -> None:
    """Erase a person's records from the vault; the log stays verifiable."""
    with refusals():
        count = open_ledger(db).erase_vault(person_id)
        out.print(f"erased {count} record(s) of {person_id}")
