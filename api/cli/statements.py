"""The commands on statements: open a ledger, sign, submit; the log and an entity's history."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from api.cli.deps import (
    DbOpt,
    JsonOpt,
    UrlOpt,
    VaultKeyOpt,
    err,
    json_arg,
    load_key,
    open_ledger,
    out,
    read_text,
    refusals,
    write_new_key,
)
from api.cli.types import print_template, refuse_all
from api.http.wire import Batch, parse_submissions, read_submissions
from ledger.domain.acceptance import Accepted, Submission
from ledger.errors import BatchError, InvalidField
from ledger.formats.describe import check_type
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from ledger.formats.problems import problems
from ledger.formats.schemas import TYPES_IN_ORDER
from ledger.formats.vault import VaultKey, VaultRecord
from ledger.formats.versions import V1, V1_1
from ledger.storage.schemas import create_schema, with_schema
from ledger.storage.settings import resolve_db


def init(
    ledger_id: Annotated[
        str, typer.Option("--ledger-id", help="Log origin, e.g. ansinh.vn/son-la/song-ma/chieng-en")
    ],
    name: Annotated[str, typer.Option("--name", help="The commune, e.g. 'UBND xã Chiềng En'")],
    keys: Annotated[Path, typer.Option("--keys", help="Directory for the new keys (0600 files)")],
    db: DbOpt = None,
    timezone: Annotated[str, typer.Option(help="The commune's time zone")] = "Asia/Ho_Chi_Minh",
    schema: Annotated[
        str | None,
        typer.Option(
            "--schema",
            help="PostgreSQL: the commune's own schema in a province's database (made if "
            "missing), e.g. chieng_en; `serve --ledgers` serves it under /c/SCHEMA/",
        ),
    ] = None,
) -> None:
    """Open a new ledger: writes the authority, notary and vault keys to KEYS."""
    with refusals():
        if schema is not None:
            db = with_schema(resolve_db(db), schema)
            create_schema(db, schema)
        ledger = open_ledger(db, create=True)
        if ledger.size() > 0:
            raise InvalidField("db", f"{ledger.db} already holds a ledger")
        keys.mkdir(parents=True, exist_ok=True, mode=0o700)
        authority = write_new_key(keys, "authority")
        notary = write_new_key(keys, "notary")
        vault_path = keys / "vault.key"
        VaultKey.write(vault_path, VaultKey.generate())
        body = {
            "name": name,
            "authority_key": {"id": authority.key_id, "public_key": authority.public_key_b64},
            "notary_key": {"public_key": notary.public_key_b64},
            "currency": "VND",
            "timezone": timezone,
            "formats": V1_1,  # a new ledger is held to FORMATS 1.1 in every entry
        }
        statement = make_statement(ledger_id, "ledger.opened", body, authority.key_id)
        accepted = ledger.submit(Submission(open_envelope(sign_statement(statement, authority))))
        out.print(f"ledger {ledger_id} opened at entry {accepted.index} in {ledger.db}")
        out.print(f"authority key {authority.key_id}  ({keys / 'authority.key'})")
        out.print(f"notary key    {notary.key_id}  ({keys / 'notary.key'})")
        out.print(f"vault key     {vault_path}")


TYPES_HELP = "Statement type: " + ", ".join(TYPES_IN_ORDER)


def sign(
    type_: Annotated[str, typer.Option("--type", help=TYPES_HELP)],
    key: Annotated[Path | None, typer.Option("--key", help="The signer's private key file")] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="Body as JSON, @file, or - for stdin")
    ] = None,
    ledger_id: Annotated[
        str | None, typer.Option("--ledger", help="Ledger id (default: read from --db)")
    ] = None,
    pii: Annotated[
        str | None,
        typer.Option("--pii", help="Personal-data record (JSON or @file) to commit to as body.pii"),
    ] = None,
    template: Annotated[
        bool,
        typer.Option("--template", help="Print a body of the type to fill in (no key needed)"),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Sign a statement; prints its DSSE envelope (or {envelope, vault} with --pii).

    Every problem of the body is listed at once, one `CODE: field: problem`
    line each, and nothing is signed. `ansinh types` lists the types and
    their fields; `--template` prints a body to fill in.
    """
    with refusals():
        check_type(type_)
        if template:
            print_template(type_)
            return
        if key is None or body is None:
            missing = "key" if key is None else "body"
            raise InvalidField(missing, f"missing: --{missing} (--template prints a body)")
        pair = load_key(key)
        body_obj = json_arg(body, "body")
        if not isinstance(body_obj, dict):
            raise InvalidField("body", "must be a JSON object")
        vault: list[VaultRecord] = []
        if pii is not None:
            record = json_arg(pii, "pii")
            if not isinstance(record, dict) or "person_id" not in body_obj:
                raise InvalidField("pii", "a JSON object, for a statement with body.person_id")
            vr = VaultRecord.new(str(body_obj["person_id"]), record)
            body_obj["pii"] = vr.commitment
            vault.append(vr)
        lid = ledger_id or open_ledger(db).charter().ledger_id
        statement = make_statement(lid, type_, body_obj, pair.key_id)
        refuse_all(problems(statement))
        envelope = sign_statement(statement, pair)
        doc: Any = (
            {"envelope": envelope, "vault": [v.to_json() for v in vault]} if vault else envelope
        )
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")


def submit(
    source: Annotated[
        str, typer.Argument(help="Envelope, {envelope, vault}, or JSON lines; - for stdin")
    ],
    db: DbOpt = None,
    vault_key: VaultKeyOpt = None,
    notary_key: Annotated[
        Path | None,
        typer.Option("--notary-key", help="Sign a checkpoint afterwards [env ANSINH_NOTARY_KEY]"),
    ] = None,
    url: UrlOpt = None,
) -> None:
    """Record one statement, or a JSON-lines batch as one all-or-nothing transaction."""
    with refusals():
        text = read_text(source, "source")
        if url is not None:
            if vault_key is not None or notary_key is not None:
                raise InvalidField(
                    "url", "the server holds the vault and notary keys: drop them with --url"
                )
            subs, lines = parse_submissions(text)  # refused here already if malformed
            _print_accepted(_submit_to(url, text, len(subs), lines is not None))
            return
        read = read_submissions(text)
        ledger = open_ledger(db, vault_key)
        if not isinstance(read, Batch):
            results = [ledger.submit(read)]
        else:
            try:
                with err.status("recording the statements in one transaction"):
                    results = ledger.submit_batch(read)  # read as it is recorded
            except BatchError as exc:
                line = read.numbers[exc.position]
                exc.message = f"line {line}: {exc.cause.message} (nothing recorded)"
                raise
        _print_accepted(results)
        notary_path = notary_key or os.environ.get("ANSINH_NOTARY_KEY")
        if notary_path:
            from ledger.tlog.merkle_log import MerkleLog

            issued = MerkleLog(ledger).issue(load_key(Path(notary_path)))
            err.print(f"checkpoint signed at tree size {issued.size}")


def _submit_to(url: str, text: str, count: int, batch: bool) -> list[Accepted]:
    """Send the file as it was read (a refusal names the same line), to a server."""
    from api.client.remote import AnsinhClient

    with AnsinhClient(url) as client, err.status(f"sending {count} statement(s) to {url}"):
        return client.submit_body(text.encode("utf-8"), json_lines=batch)


def _print_accepted(results: list[Accepted]) -> None:
    for r in results:
        sys.stdout.write(
            json.dumps({"index": r.index, "leaf_hash": r.leaf_hash, "created": r.created}) + "\n"
        )


def log(
    start: Annotated[int, typer.Option(help="First index")] = 0,
    end: Annotated[int | None, typer.Option(help="Stop before this index")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Signed by this holder id, or key id (4+ hex)")
    ] = None,
    type_: Annotated[str | None, typer.Option("--type", help="Of this statement type")] = None,
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="Naming this entity: an id, or a household code"),
    ] = None,
    first_day: Annotated[
        str | None, typer.Option("--from", help="Signed on or after this day, YYYY-MM-DD")
    ] = None,
    last_day: Annotated[
        str | None, typer.Option("--to", help="Signed on or before this day, YYYY-MM-DD")
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The log's entries: index, recorded time, type, who signed, when they signed.

    The filters combine (AND); days are the ledger's time zone's. --json
    prints each entry's leaf bytes, one a line.
    """
    from api.inspect.log_filter import log_filter, rows
    from api.inspect.log_table import write_table

    with refusals():
        ledger = open_ledger(db)
        asked = (by, type_, entity, first_day, last_day)
        flt = log_filter(
            ledger, by=by, type_=type_, entity=entity, first_day=first_day, last_day=last_day
        )
        if as_json and all(a is None for a in asked):
            for entry in ledger.entries(start, end):
                sys.stdout.buffer.write(entry.leaf + b"\n")
            return
        found = rows(ledger, flt, start, end)
        if as_json:
            for row in found:
                sys.stdout.buffer.write(row.entry.leaf + b"\n")
            return
        write_table(sys.stdout, found, ledger.size())


def history(
    entity_id: Annotated[
        str,
        typer.Argument(
            help="A household, person, benefit, payment... id; a household code (CE-10-001); "
            "a person code (CE-10-001/2); with the vault key a national id (CCCD)",
            metavar="ID_OR_CODE",
        ),
    ],
    db: DbOpt = None,
    as_json: JsonOpt = False,
    vault_key: VaultKeyOpt = None,
) -> None:
    """Every statement that touched an entity: what, who signed, when.

    Name it by its id, or as the public lists and reports do: a household by
    its code (CE-10-001), a person by their person code, the household code,
    a slash and their order of registration in it (CE-10-001/2, as the
    reconciliation's findings print it); with the vault key, a person by
    their national id (CCCD).

    By an id: the statements naming it. By a code, what belongs to it too: a
    household's history is its registration, its members' registrations and
    moves, its status proposals and their decisions, its household benefits
    with their approvals and payments; its members follow in a table with
    their person codes, to follow each (`ansinh history CE-10-001/2`). A
    person's is their registration, moves, death, and their benefits with
    their approvals and payments. With --json: the statements only, one a
    line.
    """
    from api import reading  # the read models and reports: history only
    from projections.query import history as entity_history

    with refusals():
        ledger = open_ledger(db, vault_key)
        holders = {k.key_id: k.holder_id for k in ledger.key_records()}
        entries = [ledger.entry(item[0]) for item in entity_history(ledger, entity_id)]
        members: list[dict[str, Any]] = []
        if not entries:
            read = reading.read_at(reading.Direct(ledger), None)
            found = reading.entity_of(read, entity_id, national_ids=True)
            if found is None:
                raise InvalidField(
                    "entity_id",
                    f"no statement names {entity_id}, and no household or person has this code",
                )
            kind, resolved = found
            entries = [ledger.entry(item[0]) for item in reading.code_history(read, kind, resolved)]
            if kind == "household":
                members = reading.household_members(read, resolved)
        table = Table("index", "type", "by", "signed at", "recorded at", "what")
        for entry in entries:
            s = open_envelope(entry.envelope, formats=V1)
            if as_json:
                record = {
                    "index": entry.index,
                    "recorded_at": entry.recorded_at,
                    "statement": s.statement,
                }
                print(json.dumps(record, ensure_ascii=False))
                continue
            table.add_row(
                str(entry.index),
                s.type,
                holders.get(s.by, s.by[:16]),
                str(s.statement["at"]),
                entry.recorded_at[:19] + "Z",
                _summary(s.body),
            )
        if not as_json:
            out.print(table)
            if members:
                out.print(_members_table(members))


def _members_table(members: list[dict[str, Any]]) -> Table:
    table = Table("person code", "relation", "died", "person id", title="members (nhân khẩu)")
    for m in members:
        died = "yes" if m["died"] else ""
        table.add_row(m["person_code"] or "", m["relation"], died, m["person_id"])
    return table


def _summary(body: dict[str, Any]) -> str:
    """The body in one line, ids shortened to their first 8 characters."""
    parts = []
    for key, value in body.items():
        if isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
            value = value[:8]
        elif isinstance(value, dict):
            value = ",".join(f"{k}={v}" for k, v in value.items() if len(str(v)) < 40)
        parts.append(f"{key}={value}")
    return " ".join(parts)
