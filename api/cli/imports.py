"""``ansinh import``: a commune's spreadsheet checked, signed and recorded as one batch.

The file is previewed against the ledger (:func:`api.imports.preview.parse`;
with ``--url``, by the server, ``POST /v1/imports/{layout}``). If any row is
bad, every problem is printed and nothing is recorded (exit 1). Otherwise
each statement is signed here with the officer's key and all are submitted
as one all-or-nothing batch. ``--dry-run`` prints what would be signed.
``ansinh import --template L --out FILE`` writes the blank list.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.deps import DbOpt, UrlOpt, VaultKeyOpt, err, load_key, open_ledger, out, refusals
from api.demo.statements import sign
from api.imports.preview import Preview, layout_of, parse
from api.imports.settlements import as_agent
from api.imports.sheets import format_of
from api.imports.templates import template_csv, template_xlsx
from ledger.domain.acceptance import Accepted, Submission
from ledger.domain.charter import KeyRecord
from ledger.errors import BatchError, InvalidField
from ledger.formats.dsse import make_statement, open_envelope
from ledger.formats.keys import KeyPair, read_key_file
from ledger.formats.schemas import validate_statement
from ledger.formats.vault import VaultRecord, parse_vault_items

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WORDS = {
    "vi": ("Dòng", "{bad} dòng có lỗi trong {rows} dòng; không ghi gì vào sổ cái."),
    "en": ("Row", "{bad} bad rows of {rows}; nothing recorded."),
}
DEATH_WORDS = {  # a death list's matched row: who, and what the death stops
    "vi": ("mất {date}", "hưởng đến hết tháng {month}", "đã chi sau khi mất", "không hưởng"),
    "en": ("died {date}", "payable through {month}", "paid after the death", "no benefit"),
}


@dataclass(frozen=True)
class Planned:
    """What a previewed row asks to sign: its row, the statement's type and body, its vault."""

    row: int
    type: str
    body: dict[str, Any]
    vault: tuple[VaultRecord, ...]


@dataclass(frozen=True)
class Checked:
    """A preview as the command reads it, from the ledger or from a server's JSON."""

    doc: dict[str, Any]
    planned: list[Planned]


def checked_here(preview: Preview) -> Checked:
    planned = [
        Planned(r.number, t, b, tuple(r.vault) if i == 0 else ())
        for r in preview.rows
        for i, (t, b) in enumerate(r.statements)
    ]
    return Checked(preview.to_json(), planned)


def checked_by_server(doc: dict[str, Any]) -> Checked:
    planned = []
    for row in doc["rows"]:
        vault = tuple(parse_vault_items(row["vault"]))
        for i, st in enumerate(row["statements"]):
            planned.append(Planned(row["row"], st["type"], st["body"], vault if i == 0 else ()))
    return Checked(doc, planned)


def sign_all(planned: list[Planned], key: KeyPair, ledger_id: str) -> list[Submission]:
    """Each planned statement checked and signed with ``key``, in row order.

    Signed by :func:`api.demo.statements.sign` (the bytes
    :func:`~ledger.formats.dsse.sign_statement` makes, without the reference
    canonicaliser's cost); :func:`~ledger.formats.dsse.open_envelope` then
    checks each payload is canonical and valid, as the ledger will.
    """
    subs = []
    for p in planned:
        statement = make_statement(ledger_id, p.type, p.body, key.key_id)
        validate_statement(statement)
        subs.append(Submission(open_envelope(sign(statement, key)), p.vault))
    return subs


def problems(doc: dict[str, Any], lang: str, kind: str = "errors") -> list[str]:
    """Every problem of the preview (``kind="notes"``: what it only tells), one line each."""
    word = WORDS[lang][0]
    return [
        f"{word} {row['row']}: {e['code']}: {e['message']}"
        for row in doc["rows"]
        for e in row.get(kind, [])
    ]


def deaths(doc: dict[str, Any], lang: str) -> list[str]:
    """Each death matched (a death list), one line: who, and the benefits it stops."""
    died, until, after, none = DEATH_WORDS[lang]
    lines = []
    for row in doc["rows"]:
        if (d := row.get("death")) is None:
            continue
        day = "/".join(reversed(d["date"].split("-")))
        stops = [
            f"{b['program_code']} {until.format(month=_month(b['last_month']))}"
            + (
                f" ({after}: {', '.join(_month(p['month']) for p in b['paid_after_death'])})"
                if b["paid_after_death"]
                else ""
            )
            for b in d["benefits"]
        ]
        who = f"{d['person_code']} {d['full_name']}, {died.format(date=day)}"
        lines.append(f"{WORDS[lang][0]} {row['row']}: {who}: {'; '.join(stops) or none}")
    return lines


def _month(iso: str) -> str:
    return f"{iso[5:7]}/{iso[:4]}"


def import_sheet(
    file: Annotated[Path | None, typer.Argument(help="The spreadsheet: .xlsx or .csv")] = None,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout", help="households, persons, benefits, payroll, deaths or settlement"
        ),
    ] = None,
    key: Annotated[Path | None, typer.Option("--key", help="The signer's private key file")] = None,
    passphrase_env: Annotated[
        str | None,
        typer.Option("--passphrase-env", help="Environment variable holding the key's passphrase"),
    ] = None,
    db: DbOpt = None,
    vault_key: VaultKeyOpt = None,
    url: UrlOpt = None,
    month: Annotated[str | None, typer.Option("--month", help="Payroll month YYYY-MM")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and print what would be signed; record nothing")
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="vi or en: the language of problems")] = "vi",
    template: Annotated[
        str | None, typer.Option("--template", help="Write the blank list of this layout instead")
    ] = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Where --template writes (.xlsx or .csv)")
    ] = None,
) -> None:
    """Import a spreadsheet: every row checked, then all signed and recorded as one batch."""
    if lang not in WORDS:
        raise typer.BadParameter("vi or en", param_hint="--lang")
    with refusals():
        if template is not None:
            _write_template(template, out_path, lang)
            return
        if file is None or layout is None or key is None:
            raise typer.BadParameter("give FILE, --layout and --key (or --template and --out)")
        if url is not None and (db is not None or vault_key is not None):
            raise InvalidField(
                "url", "the server reads its own ledger and vault: drop --db and --vault-key"
            )
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise typer.BadParameter(
                f"cannot read {file}: {exc.strerror}", param_hint="FILE"
            ) from None
        fmt = format_of(file.name, lang)
        pair = _key(key, passphrase_env)
        if url is not None:
            _over_http(url, pair, layout, data, fmt, month, lang, dry_run)
            return
        from api import reading

        ledger = open_ledger(db, vault_key)
        with err.status(f"checking {file.name}"):
            preview = parse(
                layout, data, fmt, reading.read_at(reading.Direct(ledger), None), month, lang
            )
        checked = _as_signer(checked_here(preview), ledger.charter().keys.get(pair.key_id))
        if not _report(checked, lang):
            raise typer.Exit(1)
        if dry_run:
            _dry_run(checked, pair)
            return
        subs = sign_all(checked.planned, pair, ledger.charter().ledger_id)
        if not subs:
            _recorded([], checked.doc)
            return
        try:
            with err.status(f"recording {len(subs)} statements in one transaction"):
                results = ledger.submit_batch(subs)
        except BatchError as exc:
            row = checked.planned[exc.position].row
            exc.message = f"{WORDS[lang][0]} {row}: {exc.cause.message} (nothing recorded)"
            raise
        _recorded(results, checked.doc)


def _as_signer(checked: Checked, key: KeyRecord | None) -> Checked:
    """A paying agent's own key signs its settlement as its own word (``payroll.settled``,
    docs/formats.md 11.3), and no payment; any other key, as the cashier who transcribed it."""
    if key is None or "agent" not in key.roles:
        return checked
    planned = [(p, as_agent(p.type)) for p in checked.planned]
    return Checked(checked.doc, [replace(p, type=kind) for p, kind in planned if kind])


def _over_http(
    url: str,
    pair: KeyPair,
    layout: str,
    data: bytes,
    fmt: str,
    month: str | None,
    lang: str,
    dry_run: bool,
) -> None:
    from api.client.remote import AnsinhClient

    with AnsinhClient(url, key=pair) as client:
        client.sign_in()
        params = {"lang": lang} | ({"month": month} if month else {})
        kind = XLSX if fmt == "xlsx" else "text/csv"
        with err.status(f"checking the file at {url}"):
            doc = client.request(
                "POST", f"/v1/imports/{layout}", params=params, content=data, content_type=kind
            ).json()
        checked = checked_by_server(doc)
        if not _report(checked, lang):
            raise typer.Exit(1)
        if dry_run:
            _dry_run(checked, pair)
            return
        subs = sign_all(checked.planned, pair, client.ledger_id())
        if not subs:
            _recorded([], doc)
            return
        with err.status(f"sending {len(subs)} statements to {url}"):
            results = client.submit_batch(subs)
        _recorded(results, doc)


def _key(path: Path, passphrase_env: str | None) -> KeyPair:
    if passphrase_env is None:
        return load_key(path)
    secret = os.environ.get(passphrase_env)
    if secret is None:
        raise InvalidField("passphrase_env", f"the environment holds no {passphrase_env}")
    return read_key_file(path, secret.encode())


def _report(checked: Checked, lang: str) -> bool:
    """Print every problem, and every note (not a problem) and death matched; whether there
    were no problems."""
    for line in [*deaths(checked.doc, lang), *problems(checked.doc, lang, "notes")]:
        err.print(line, markup=False)
    lines = problems(checked.doc, lang)
    for line in lines:
        err.print(line, markup=False)
    summary = checked.doc["summary"]
    if lines:
        err.print(
            WORDS[lang][1].format(bad=summary["bad_rows"], rows=summary["rows"]), markup=False
        )
    if not checked.doc.get("vault_checked", True):
        err.print("the vault was not checked (no vault key): id numbers may repeat the vault's")
    return not lines


def _dry_run(checked: Checked, pair: KeyPair) -> None:
    for p in checked.planned:
        sys.stdout.write(
            json.dumps({"row": p.row, "type": p.type, "body": p.body}, ensure_ascii=False) + "\n"
        )
    skipped = checked.doc["summary"]["skipped"]
    err.print(
        f"dry run: {len(checked.planned)} statements would be signed by {pair.key_id[:16]}; "
        f"{skipped} rows skipped; nothing recorded"
    )


def _recorded(results: list[Accepted], doc: dict[str, Any]) -> None:
    skipped = doc["summary"]["skipped"]
    if not results:
        out.print(f"nothing to record; {skipped} rows skipped")
        return
    out.print(
        f"{len(results)} statements recorded (entries {results[0].index}-{results[-1].index}); "
        f"{skipped} rows skipped"
    )


def _write_template(layout: str, path: Path | None, lang: str) -> None:
    if path is None:
        raise typer.BadParameter("where to write it", param_hint="--out")
    chosen = layout_of(layout, lang)
    data = (
        template_csv(chosen, lang) if path.suffix.lower() == ".csv" else template_xlsx(chosen, lang)
    )
    path.write_bytes(data)
    out.print(f"{path}: the blank list of {chosen.name}")
