"""Does a printed list match the log? Recompute it from a bundle, offline.

A notice posted in a village carries the digest of the list it shows
(:mod:`api.pages.docs`: SHA-256 of the JCS of ``{"ledger", "on", "as_of",
"root", "village", "program", "rows"}``). Here the bundle is verified first
(every signature, the Merkle root, the notary's checkpoint); then the
snapshot of its first ``as_of`` entries is replayed from it and the list
document is built by the very code the pages use, with names from the
bundle's vault records when it has them. A server without the vault key
prints the list with names withheld: both forms are tried, and the one
that matches is said.

The printed digest may be given whole (64 hex) or by its first 8 hex digits
or more; spaces and dashes are ignored (a notice may group the digits).

:func:`check_served` asks the same of a served ledger, at the entry count the
notice prints: what a signed-in inspector's screen asks the server, before
taking a bundle away to check offline.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from api.pages.docs import PublicList, check_filters, list_fields, public_of
from api.reading import Names, Read, name_lists, vault_field
from ledger.audit.bundle import open_bundle
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import Outcome
from ledger.errors import InvalidField
from ledger.formats.merkle import RootAccumulator, leaf_hash
from ledger.formats.vault import commitment
from projections.model import Snapshot
from projections.reports.entitlements import check_date
from projections.reports.lists import lists
from projections.tables.replay import apply

MIN_DIGEST_HEX = 8
_HEX = re.compile(r"[0-9a-f]+")


def printed_digest(given: str) -> str:
    """The digest as printed, normalised: lowercase hex, spaces and dashes dropped."""
    value = re.sub(r"[\s\-]", "", given).lower().removeprefix("sha256:")
    if not _HEX.fullmatch(value) or not MIN_DIGEST_HEX <= len(value) <= 64:
        raise InvalidField(
            "digest",
            f"{given!r}: give the printed digest, {MIN_DIGEST_HEX} to 64 hex digits "
            "(spaces and dashes are ignored)",
        )
    return value


@dataclass(frozen=True)
class Checked:
    """The outcome: whether it matched, and the list recomputed (each form tried)."""

    printed: str
    matched: PublicList | None
    named: bool | None  # the form that matched: with names (True) or withheld
    tried: tuple[tuple[PublicList, bool], ...]
    verified: Outcome
    has_vault: bool


@dataclass
class _Read:
    snap: Snapshot
    checkpoint: dict[str, Any]
    vault: dict[str, tuple[bytes, dict[str, Any]]]


def _read_bundle(path: Path, as_of: int | None) -> _Read:
    """The snapshot of the bundle's first ``as_of`` entries, its root, its vault."""
    snap = Snapshot()
    tree = RootAccumulator()
    with open_bundle(path) as bundle:
        vault = {}
        for text in bundle.vault_lines or []:
            item = json.loads(text)
            vault[item["person_id"]] = (base64.b64decode(item["salt"]), item["record"])
        for block in bundle.blocks(spans=False):
            assert isinstance(block, (bytes, bytearray, memoryview))
            for line in bytes(block).split(b"\n")[:-1]:
                if as_of is not None and tree.size >= as_of:
                    break
                tree.append(leaf_hash(line))
                leaf = orjson.loads(line)
                statement = orjson.loads(base64.b64decode(leaf["envelope"]["payload"]))
                apply(snap, leaf["index"], leaf["recorded_at"], statement)
    if as_of is not None and tree.size < as_of:
        raise InvalidField("as_of", f"the bundle holds {tree.size} entries, fewer than {as_of}")
    root = base64.b64encode(tree.root()).decode()
    return _Read(snap, {"tree_size": tree.size, "root": root, "signed": True}, vault)


def _names(read: _Read, people: set[str]) -> dict[str, str | None]:
    """A person's full name from the bundle's vault, when its record is the one the
    snapshot commits to (None otherwise: withheld or erased)."""
    found: dict[str, str | None] = {}
    for pid in people:
        record = read.vault.get(pid)
        person = read.snap.people.get(pid)
        name = None
        if record is not None and person is not None and commitment(*record) == person.pii:
            value = record[1].get("full_name")
            name = value if isinstance(value, str) and value else None
        found[pid] = name
    return found


def check_list(
    digest: str,
    bundle: Path,
    *,
    village: str | None = None,
    program: str | None = None,
    on: str | None = None,
    as_of: int | None = None,
    authority: str | None = None,
) -> Checked:
    """Verify the bundle, recompute the list, and compare with the printed digest."""
    printed = printed_digest(digest)
    if on is not None:
        check_date(on, "on")
    verified = verify_bundle(bundle, authority=authority)
    read = _read_bundle(bundle, as_of)
    check_filters(read.snap, village, program)
    names = [(True, lambda people: _names(read, people))] if read.vault else []
    matched, named, tried = _first_match(
        read.snap, read.checkpoint, printed, [*names, (False, _withheld)], (village, program, on)
    )
    return Checked(printed, matched, named, tried, verified, bool(read.vault))


def _withheld(people: set[str]) -> dict[str, str | None]:
    """No names: the list as a server without the vault key prints it."""
    return dict.fromkeys(people)


def _first_match(
    snap: Snapshot,
    checkpoint: dict[str, Any],
    printed: str,
    forms: list[tuple[bool, Names]],
    which: tuple[str | None, str | None, str | None],
) -> tuple[PublicList | None, bool | None, tuple[tuple[PublicList, bool], ...]]:
    """The list of ``which`` (village, program, on) drawn in each of ``forms`` (named or
    not, its names) in turn until one's digest starts with ``printed``: that one, whether
    it is the named form, and every form tried."""
    village, program, on = which
    tried: list[tuple[PublicList, bool]] = []
    for named, names in forms:
        doc = lists(snap, on, checkpoint)
        name_lists(snap, doc, names)
        found = public_of(snap, checkpoint, list_fields(doc, village, program))
        tried.append((found, named))
        if found.digest.startswith(printed):
            return found, named, tuple(tried)
    return None, None, tuple(tried)


@dataclass(frozen=True)
class Served:
    """The outcome against the served log: the forms recomputed, the one that matched."""

    printed: str
    matched: PublicList | None
    named: bool | None
    tried: tuple[tuple[PublicList, bool], ...]


def check_served(
    read: Read,
    digest: str,
    *,
    village: str | None = None,
    program: str | None = None,
    on: str | None = None,
) -> Served:
    """Recompute, from ``read`` (the log at the notice's entry count), the list a notice
    printed, as the pages draw it: with names from the vault, then with names withheld
    (a server without the vault key prints those), and compare with the digest."""
    printed = printed_digest(digest)
    if on is not None:
        check_date(on, "on")
    check_filters(read.snap, village, program)
    forms: list[tuple[bool, Names]] = [
        (True, lambda people: vault_field(read, people, "full_name")),
        (False, _withheld),
    ]
    matched, named, tried = _first_match(
        read.snap, read.checkpoint, printed, forms, (village, program, on)
    )
    return Served(printed, matched, named, tried)
