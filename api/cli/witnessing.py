"""One witness, many logs: ``ansinh witness cosign --config FILE`` (or several ``--url``).

Each log gets its own state directory under ``--state``, named after the
log's origin, so a log is checked for consistency against what this witness
cosigned of *that* log. A log that fails is reported and the others are
still cosigned; the exit status is 1 when any failed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import typer

from api.cli.deps import open_ledger
from ledger.errors import InvalidField, LedgerError
from ledger.formats.keys import KeyPair
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.witness import Cosigned, DatabaseSource, LogSource, cosign_latest, verifier_key


def read_config(path: Path) -> list[str]:
    """The logs a config file lists: one address a line (a server URL or a database)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidField("config", f"cannot read {path}: {exc}") from None
    logs = []
    for number, line in enumerate(text.split("\n"), start=1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 1:
            raise InvalidField("config", f"line {number}: one log address a line, got {line!r}")
        logs.append(words[0])
    if not logs:
        raise InvalidField("config", f"{path} lists no log")
    return logs


def state_for(state: Path, origin: str) -> Path:
    """The state directory of one log: its origin, with every '/' escaped."""
    return state / quote(origin, safe="")


@contextlib.contextmanager
def log_source(address: str, pair: KeyPair, name: str) -> Iterator[LogSource]:
    """The log at ``address``: a server (http:// or https://) or a database."""
    if address.startswith(("http://", "https://")):
        from api.client.remote import AnsinhClient, HttpLogSource

        with AnsinhClient(address) as client:
            yield HttpLogSource(client, verifier_key(name, pair))
    else:
        yield DatabaseSource(MerkleLog(open_ledger(address)))


def cosign_one(address: str, pair: KeyPair, name: str, state: Path) -> tuple[str, Cosigned]:
    """Cosign the newest checkpoint of one log, in that log's own state directory."""
    with log_source(address, pair, name) as source:
        origin = source.origin()
        return origin, cosign_latest(source, pair, name, state_for(state, origin))


def cosign_many(addresses: list[str], pair: KeyPair, name: str, state: Path) -> None:
    """Cosign every log; one line each; exit 1 after all if any failed."""
    failed = 0
    for address in addresses:
        try:
            origin, done = cosign_one(address, pair, name, state)
        except LedgerError as exc:
            failed += 1
            print(f"FAILED {address}: {exc.code}: {exc.message}")
            continue
        except Exception as exc:  # a database that cannot be read as a ledger
            failed += 1
            print(f"FAILED {address}: ERROR: {type(exc).__name__}: {exc}")
            continue
        since = f" (extends {done.previous_size})" if done.previous_size else ""
        print(f"OK {origin}: cosigned checkpoint of size {done.size}{since} as {name}")
    print(f"{len(addresses) - failed} of {len(addresses)} logs cosigned")
    if failed:
        raise typer.Exit(1)
