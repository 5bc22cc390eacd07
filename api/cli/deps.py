"""What the commands share: their options, consoles, keys, refusals and the ledgers they open.

As FastAPI's dependencies are to its routes: each command module takes what
it needs from here, and :mod:`api.cli.main` composes the commands.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ledger.application import LedgerApplication
from ledger.errors import InvalidField, LedgerError, MalformedError
from ledger.formats.jsontext import loads_exact
from ledger.formats.keys import KeyPair, read_key_file, write_key_file

err = Console(stderr=True, highlight=False, soft_wrap=True)  # one message, one line
# Piped output is not wrapped at 80 columns: tables stay one row per line.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
_progress_console = Console(stderr=True, highlight=False)

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or postgresql://... [env ANSINH_DB; ./ansinh.db]"),
]
VaultKeyOpt = Annotated[
    Path | None,
    typer.Option(
        "--vault-key", help="Vault key file [env ANSINH_VAULT_KEY or ANSINH_VAULT_KEY_FILE]"
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url", help="Work against a server (`ansinh serve`), e.g. http://127.0.0.1:8000"
    ),
]
NotaryOpt = Annotated[
    Path | None,
    typer.Option("--notary-key", help="The notary's key file [env ANSINH_NOTARY_KEY]"),
]
PASSPHRASE_ENV = "ANSINH_KEY_PASSPHRASE"


@contextmanager
def refusals() -> Iterator[None]:
    """Turn a ledger refusal into exit code 1 with ``CODE: message`` on stderr."""
    try:
        yield
    except LedgerError as exc:
        err.print(f"{exc.code}: {exc.message}", markup=False)
        raise typer.Exit(1) from None


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


def load_key(path: Path) -> KeyPair:
    """Read a private key file, asking for its passphrase on a terminal if needed."""
    try:
        return read_key_file(path, _passphrase())
    except InvalidField:
        if _passphrase() is None and sys.stdin.isatty():
            secret = typer.prompt(f"Passphrase for {path}", hide_input=True)
            return read_key_file(path, secret.encode())
        raise


def notary_key(path: Path | None) -> KeyPair | None:
    """The notary's key given (or named by ANSINH_NOTARY_KEY); None when there is none."""
    path = path or (
        Path(os.environ["ANSINH_NOTARY_KEY"]) if os.environ.get("ANSINH_NOTARY_KEY") else None
    )
    return load_key(path) if path is not None else None


def write_new_key(directory: Path, name: str) -> KeyPair:
    """A new key pair written as NAME.key (0600, under the passphrase if set) and NAME.pub."""
    pair = KeyPair.generate()
    path = directory / f"{name}.key"
    if path.exists():
        raise InvalidField("name", f"{path} already exists; keys are never overwritten")
    write_key_file(path, pair, _passphrase())
    (directory / f"{name}.pub").write_text(
        json.dumps({"name": name, "id": pair.key_id, "public_key": pair.public_key_b64}) + "\n"
    )
    return pair


_opened: list[LedgerApplication] = []


def open_ledger(
    db: str | None, vault_key: Path | None = None, *, create: bool = False
) -> LedgerApplication:
    """The ledger a command works on; closed (its connections too) when the command ends.

    Only ``init`` makes a new database (``create``): any other command given a
    file that does not exist refuses it and makes nothing, not even a directory.
    """
    ledger = LedgerApplication(db, vault_key=vault_key, create=create)
    _opened.append(ledger)
    return ledger


def close_opened() -> None:
    """Close every ledger the command opened, with its connections."""
    while _opened:
        _opened.pop().close()


def read_text(path: str, field: str) -> str:
    """A file's text, ``-`` for stdin; a missing or unreadable file is a usage error (exit 2).

    Text that is not UTF-8 is malformed input, refused as the ledger refuses
    such a body (exit 1, ``MALFORMED``).
    """
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc.strerror}", param_hint=field) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = "stdin" if path == "-" else path
        raise MalformedError(
            f"{field}: {where} is not UTF-8 text (byte {exc.start})", field=field
        ) from None


def json_arg(text: str, field: str) -> Any:
    """A JSON argument given inline, as @file, or - for stdin."""
    if text == "-":
        text = read_text("-", field)
    elif text.startswith("@"):
        text = read_text(text[1:], field)
    try:
        return loads_exact(text, field, at=field)  # an object repeating a key is MALFORMED
    except json.JSONDecodeError as exc:
        raise InvalidField(field, f"not valid JSON ({exc.msg} at char {exc.pos})") from None
    except RecursionError:
        raise InvalidField(field, "nested too deeply") from None


def progress_bar(total: int | None, what: str) -> Progress:
    """A progress bar on stderr, shown only on a terminal, gone when done."""
    return Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_progress_console,
        transient=True,
        disable=not err.is_terminal,
    )
