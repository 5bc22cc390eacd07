"""The audit bundle (FORMATS §7): what an inspector takes away.

``entries.jsonl`` (line i = the leaf bytes of entry i), ``checkpoint`` (a
signed checkpoint of exactly that many entries, with any witness
cosignatures), optionally ``vault.jsonl`` (personal data: only in bundles
for authorised inspectors) and ``reports/``. A directory, or the same files
in a ``.tar``.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ledger.application import LedgerApplication
from ledger.audit.entry import Span
from ledger.domain.base import read_statement
from ledger.errors import InvalidField, NoCheckpoint
from ledger.formats.keys import KeyPair
from ledger.storage.private_files import open_private, private_dir
from ledger.tlog.merkle_log import IssuedCheckpoint, MerkleLog

ENTRIES = "entries.jsonl"
CHECKPOINT = "checkpoint"
VAULT = "vault.jsonl"
REPORTS = "reports"
BLOCK = 1 << 20  # bytes of entries.jsonl a verifying worker checks at once


@dataclass(frozen=True)
class Exported:
    path: Path
    entries: int
    checkpoint: str
    vault_records: int


def export_bundle(
    ledger: LedgerApplication,
    out: Path,
    *,
    as_of: int | None = None,
    with_vault: bool = False,
    notary: KeyPair | None = None,
    progress: Callable[[int], None] | None = None,
) -> Exported:
    """Write the bundle of the first ``as_of`` entries (default: all, or the latest checkpoint).

    The bundle's checkpoint is one the notary signed for exactly that size:
    a stored one, or a new one when ``notary`` is given.
    """
    mlog = MerkleLog(ledger)
    mlog.catch_up()
    checkpoint = _checkpoint_for(mlog, as_of, notary)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InvalidField("out", f"{out} exists and is not an empty directory")
    as_tar = out.suffix == ".tar"
    directory = Path(tempfile.mkdtemp(prefix="ansinh-bundle-")) if as_tar else out
    if with_vault:
        private_dir(directory)
    else:
        directory.mkdir(parents=True, exist_ok=True)
    opener = open_private if with_vault else _open
    try:
        people = _write_entries(
            ledger, opener(directory / ENTRIES, "wb"), checkpoint.size, with_vault, progress
        )
        with opener(directory / CHECKPOINT, "w", encoding="utf-8") as f:
            f.write(checkpoint.note)
        vault_count = (
            _write_vault(ledger, opener(directory / VAULT, "w", encoding="utf-8"), people)
            if with_vault
            else 0
        )
        if as_tar:
            with opener(out, "wb") as f, tarfile.open(fileobj=f, mode="w") as tar:
                for name in (ENTRIES, CHECKPOINT, VAULT):
                    if (directory / name).exists():
                        tar.add(directory / name, arcname=name)
    finally:
        if as_tar:
            shutil.rmtree(directory, ignore_errors=True)
    return Exported(out, checkpoint.size, checkpoint.note, vault_count)


def _checkpoint_for(mlog: MerkleLog, as_of: int | None, notary: KeyPair | None) -> IssuedCheckpoint:
    if as_of is not None:
        found = mlog.checkpoint_at(as_of)
        if found is not None:
            return found
        if notary is None:
            raise NoCheckpoint(
                f"no checkpoint was issued at size {as_of}: give the notary key to issue one"
            )
        return mlog.issue(notary, as_of)
    return mlog.issue(notary) if notary is not None else mlog.latest()


def _open(path: Path, mode: str, **kwargs: Any) -> IO[Any]:
    return path.open(mode, **kwargs)


def _write_entries(
    ledger: LedgerApplication,
    f: IO[bytes],
    size: int,
    track_people: bool,
    progress: Callable[[int], None] | None,
) -> dict[str, str]:
    """Write leaf bytes, one per line; returns each person's latest commitment."""
    people: dict[str, str] = {}
    written = 0
    with f:
        for entry in ledger.entries(0, size):
            f.write(entry.leaf + b"\n")
            written += 1
            if track_people:
                statement = read_statement(entry.envelope)
                if statement["type"] in ("person.registered", "person.pii.updated"):
                    people[statement["body"]["person_id"]] = statement["body"]["pii"]
            if progress is not None and written % 1000 == 0:
                progress(1000)
    if written != size:
        raise InvalidField("as_of", f"the log holds {written} entries, fewer than {size}")
    return people


def _write_vault(ledger: LedgerApplication, f: IO[str], people: dict[str, str]) -> int:
    count = 0
    with f:
        for sealed in ledger.recorder.vault_all():
            if people.get(sealed.person_id) != sealed.commitment:
                continue  # an older record, superseded by a later commitment
            record = ledger.vault_key.open(sealed)
            f.write(json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count


@dataclass
class Bundle:
    """An opened bundle: stream its entries, read its checkpoint and vault.

    ``region`` is where ``entries.jsonl`` lies as plain bytes (file, offset,
    size) when it does (a directory, an uncompressed ``.tar``): verifying
    workers then read their blocks there themselves.
    """

    checkpoint: str
    _entries: Callable[[], IO[bytes]]
    vault_lines: list[str] | None
    region: tuple[Path, int, int] | None = None

    def blocks(self, size: int = BLOCK, spans: bool = True) -> Iterator[bytes | Span]:
        """``entries.jsonl`` in blocks of whole lines, about ``size`` bytes each.

        A block ends with a newline and holds one line or more, however long;
        it is a :class:`Span` of ``region`` if there is one and ``spans``, else
        the bytes themselves.
        """
        in_place = self.region is not None and spans
        with self._entries() as f:
            rest = b""  # the start of a line that the last read cut
            number = 0  # lines before ``rest``
            offset = 0  # bytes of entries.jsonl before ``rest``
            while data := f.read(size):
                end = data.rfind(b"\n") + 1
                if not end:
                    rest += data
                    continue
                lines = data.count(b"\n", 0, end)
                length = len(rest) + end
                if in_place:
                    assert self.region is not None
                    yield Span(str(self.region[0]), self.region[1] + offset, length, lines)
                else:
                    yield rest + memoryview(data)[:end]
                number += lines
                offset += length
                rest = data[end:]
            if rest:
                raise InvalidField(ENTRIES, f"line {number} does not end with a newline")


@contextmanager
def open_bundle(path: Path) -> Iterator[Bundle]:
    """Open a bundle directory or ``.tar`` for reading."""
    if path.is_dir():
        entries = path / ENTRIES
        for name in (ENTRIES, CHECKPOINT):
            if not (path / name).is_file():
                raise InvalidField("bundle", f"{path} has no {name}")
        vault = path / VAULT
        yield Bundle(
            checkpoint=(path / CHECKPOINT).read_text(encoding="utf-8"),
            _entries=lambda: entries.open("rb"),
            vault_lines=vault.read_text(encoding="utf-8").splitlines() if vault.exists() else None,
            region=(entries, 0, entries.stat().st_size),
        )
        return
    if not tarfile.is_tarfile(path):
        raise InvalidField("bundle", f"{path} is neither a bundle directory nor a .tar")
    with tarfile.open(path) as tar:
        names = set(tar.getnames())
        for name in (ENTRIES, CHECKPOINT):
            if name not in names:
                raise InvalidField("bundle", f"{path} has no {name}")

        def member(name: str) -> IO[bytes]:
            f = tar.extractfile(name)
            if f is None:
                raise InvalidField("bundle", f"{name} in {path} is not a file")
            return f

        stored = tar.getmember(ENTRIES)
        plain = type(tar.fileobj) is io.BufferedReader and stored.isreg() and not stored.sparse
        yield Bundle(
            checkpoint=member(CHECKPOINT).read().decode("utf-8"),
            _entries=lambda: member(ENTRIES),
            vault_lines=member(VAULT).read().decode("utf-8").splitlines()
            if VAULT in names
            else None,
            region=(path, stored.offset_data, stored.size) if plain else None,
        )
