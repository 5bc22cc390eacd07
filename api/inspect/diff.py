"""What the log added between two checkpoints, once they are shown consistent.

Each side is a checkpoint note (a file that ``ansinh checkpoint`` wrote, or
the ``checkpoint`` of an audit bundle, directory or ``.tar``) or a tree size
of the ledger at hand: the checkpoint the notary signed at that size, or
else the ledger's own root there, marked unsigned. A note must carry the
notary's signature for this ledger. Then the RFC 9162 consistency proof
from the smaller to the larger must verify, and the entries themselves,
hashed, must give both roots. Only then are the entries between them summed
up: by statement type, and by village (statements and payments, with their
amounts; a payment reversed counts its amount as reversed), the villages as
the ledger knows them at the larger size.
"""

from __future__ import annotations

import base64
import tarfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from ledger.application import LedgerApplication
from ledger.audit.bundle import open_bundle
from ledger.errors import InvalidField, LogInconsistent
from ledger.formats.merkle import ProofError, RootAccumulator, verify_consistency
from ledger.formats.notes import NoteError, open_checkpoint
from ledger.tlog.merkle_log import MerkleLog
from projections import query
from projections.model import Snapshot
from projections.reports.entitlements import beneficiary_household

NO_VILLAGE = ""  # statements about no household: keys, programs, funds


@dataclass(frozen=True)
class Side:
    """One end of the diff: its size, root, and whether the notary signed it."""

    size: int
    root: bytes
    signed: bool
    source: str

    def to_json(self) -> dict[str, Any]:
        return {
            "tree_size": self.size,
            "root": base64.b64encode(self.root).decode(),
            "signed": self.signed,
            "from": self.source,
        }


@dataclass
class Tally:
    statements: int = 0
    payments: int = 0
    paid: int = 0
    reversals: int = 0
    reversed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "statements": self.statements,
            "payments": self.payments,
            "paid": self.paid,
            "reversals": self.reversals,
            "reversed": self.reversed,
        }


@dataclass
class Diff:
    first: Side
    second: Side
    by_type: dict[str, int] = field(default_factory=dict)
    by_village: dict[str, Tally] = field(default_factory=dict)
    proof: list[bytes] = field(default_factory=list)  # the consistency proof checked

    @property
    def added(self) -> int:
        return self.second.size - self.first.size

    def to_json(self) -> dict[str, Any]:
        return {
            "first": self.first.to_json(),
            "second": self.second.to_json(),
            "added": self.added,
            "by_type": dict(sorted(self.by_type.items())),
            "by_village": [
                {"village": v or None, **t.to_json()} for v, t in sorted(self.by_village.items())
            ],
            "consistency_proof": [base64.b64encode(h).decode() for h in self.proof],
        }


def side(ledger: LedgerApplication, mlog: MerkleLog, given: str, field_name: str) -> Side:
    """A checkpoint file, or a tree size of this ledger."""
    text = given.strip()
    if text.isdigit():
        size = int(text)
        if not 0 < size <= mlog.size():
            raise InvalidField(field_name, f"tree size {size}: the log has {mlog.size()} entries")
        stored = mlog.checkpoint_at(size)
        if stored is not None:
            return Side(size, stored.root, True, f"checkpoint {size} stored in the ledger")
        return Side(size, mlog.root(size), False, f"tree size {size} (no checkpoint signed)")
    path = Path(given)
    if not path.exists():
        raise InvalidField(
            field_name, f"{given!r} is neither a checkpoint file, a bundle nor a tree size"
        )
    charter = ledger.charter()
    notary = base64.b64decode(charter.notary_public_key)
    try:
        if path.is_dir() or tarfile.is_tarfile(path):
            with open_bundle(path) as bundle:  # an audit bundle: its checkpoint
                note = bundle.checkpoint
        else:
            note = path.read_text(encoding="utf-8")
        cp = open_checkpoint(note, charter.ledger_id, notary, origin=charter.ledger_id)
    except (NoteError, UnicodeDecodeError) as exc:
        raise InvalidField(field_name, f"{path}: {exc}") from None
    return Side(cp.size, cp.root, True, str(path))


def diff(
    ledger: LedgerApplication,
    first: str,
    second: str,
    names: tuple[str, str] = ("first", "second"),
    mlog: MerkleLog | None = None,
) -> Diff:
    """The entries between two checkpoints, after proving the second extends the first.

    ``names``: what a refusal calls each side (the CLI's arguments, or the
    query parameters of a request); ``mlog``: the Merkle log of a served
    ledger, caught up (else one is built)."""
    if mlog is None:
        mlog = MerkleLog(ledger)
        mlog.catch_up()
    a = side(ledger, mlog, first, names[0])
    b = side(ledger, mlog, second, names[1])
    if a.size > b.size:
        a, b = b, a
    if b.size > mlog.size():
        raise InvalidField(names[1], f"checkpoint of {b.size} entries: the log has {mlog.size()}")
    try:
        proof = mlog.consistency_proof(a.size, b.size)
        verify_consistency(a.size, b.size, a.root, b.root, proof)
    except ProofError as exc:
        raise LogInconsistent(
            f"the checkpoints of {a.size} and {b.size} entries are not consistent: {exc}"
        ) from None
    found = summarise(ledger, a, b)
    found.proof = proof
    return found


def summarise(ledger: LedgerApplication, a: Side, b: Side) -> Diff:
    """Hash the entries up to ``b`` (both roots must come out) and sum up ``[a, b)``."""
    snap = query.snapshot(ledger, b.size)
    found = Diff(a, b)
    tree = RootAccumulator()
    for entry in ledger.entries(0, b.size):
        tree.append(entry.leaf_hash)
        if tree.size == a.size and tree.root() != a.root:
            raise LogInconsistent(f"the entries do not give the root of checkpoint {a.size}")
        if entry.index < a.size:
            continue
        statement = orjson.loads(base64.b64decode(entry.envelope["payload"]))
        kind = statement["type"]
        found.by_type[kind] = found.by_type.get(kind, 0) + 1
        village = village_of(snap, statement["body"])
        tally = found.by_village.setdefault(village, Tally())
        tally.statements += 1
        if kind == "payment.recorded":
            tally.payments += 1
            tally.paid += int(statement["body"]["amount"])
        elif kind == "payment.reversed":
            tally.reversals += 1
            payment = snap.payments.get(statement["body"]["payment_id"])
            tally.reversed += payment.amount if payment is not None else 0
    if tree.root() != b.root:
        raise LogInconsistent(f"the entries do not give the root of checkpoint {b.size}")
    return found


def village_of(snap: Snapshot, body: dict[str, Any]) -> str:
    """The village a statement is about, through the household it names (or none)."""
    if isinstance(body.get("village"), str):
        return str(body["village"])
    household = body.get("household_id")
    if household is None and body.get("proposal_id") in snap.proposals:
        household = snap.proposals[body["proposal_id"]].household_id
    if household is None and body.get("payment_id") in snap.payments:
        body = {"benefit_id": snap.payments[body["payment_id"]].benefit_id}
    if household is None and body.get("benefit_id") in snap.benefits:
        benefit = snap.benefits[body["benefit_id"]]
        household = beneficiary_household(snap, benefit, snap.as_of)
    if household is None and body.get("person_id") in snap.people:
        household = snap.people[body["person_id"]].household_id
    found = snap.households.get(household or "")
    return found.village if found is not None else NO_VILLAGE
