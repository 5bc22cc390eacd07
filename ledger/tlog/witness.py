"""Witnessing: cosign a log's checkpoint only if it extends what we cosigned before.

A witness (an inspector's key) keeps, in its state directory, the ledger's
origin and notary key (pinned the first time) and the last checkpoint it
cosigned. A new checkpoint is cosigned only when its notary signature holds
and a consistency proof shows it extends the old one; otherwise the log has
forked (a split view) or rewritten its history, and the witness refuses.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nacl.signing import SigningKey

from ledger.errors import LedgerError, LogInconsistent
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import ProofError, verify_consistency
from ledger.formats.notes import SIG_COSIGNATURE_V1, NoteError, cosign, key_id4, open_checkpoint
from ledger.tlog.merkle_log import MerkleLog


class WitnessRefused(LedgerError):
    code = "WITNESS_REFUSED"
    status = 409


class LogSource(Protocol):
    """Where a witness reads a log: a local database or a server."""

    def latest_checkpoint(self) -> str: ...
    def notary_public_key(self) -> bytes: ...
    def origin(self) -> str: ...
    def consistency_proof(self, first: int, second: int) -> list[bytes]: ...
    def add_cosignature(self, size: int, line: str) -> None: ...


def verifier_key(name: str, key: KeyPair) -> str:
    """The witness's verifier key, ``name+keyid4+base64(0x04 || key)``, for ``verify --witness``."""
    kid = key_id4(name, key.public_key, SIG_COSIGNATURE_V1).hex()
    blob = base64.b64encode(bytes([SIG_COSIGNATURE_V1]) + key.public_key).decode()
    return f"{name}+{kid}+{blob}"


@dataclass(frozen=True)
class Cosigned:
    size: int
    line: str
    previous_size: int | None


def cosign_latest(source: LogSource, key: KeyPair, name: str, state: Path) -> Cosigned:
    """Fetch the newest checkpoint, check it, cosign it, remember it."""
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    pinned_path = state / "log.json"
    origin, notary = source.origin(), source.notary_public_key()
    if pinned_path.exists():
        pinned = json.loads(pinned_path.read_text())
        if pinned["origin"] != origin or base64.b64decode(pinned["notary_key"]) != notary:
            raise WitnessRefused(
                f"this witness follows {pinned['origin']} with another notary key; "
                f"refusing {origin}"
            )
    note = source.latest_checkpoint()
    try:
        checkpoint = open_checkpoint(note, origin, notary, origin=origin)
    except NoteError as exc:
        raise WitnessRefused(f"checkpoint: {exc}") from None
    last_path = state / "checkpoint"
    previous_size = None
    if last_path.exists():
        last = open_checkpoint(last_path.read_text(), origin, notary, origin=origin)
        previous_size = last.size
        if checkpoint.size < last.size:
            raise LogInconsistent(
                f"the log now claims {checkpoint.size} entries; this witness already "
                f"cosigned {last.size} (history was truncated or rewritten)"
            )
        if checkpoint.size == last.size and checkpoint.root != last.root:
            raise LogInconsistent(f"two different roots for size {last.size}: a split view")
        if checkpoint.size > last.size:
            proof = source.consistency_proof(last.size, checkpoint.size)
            try:
                verify_consistency(last.size, checkpoint.size, last.root, checkpoint.root, proof)
            except ProofError as exc:
                raise LogInconsistent(
                    f"size {checkpoint.size} does not extend the size {last.size} this witness "
                    f"cosigned ({exc}): a split view or rewritten history"
                ) from None
    line = cosign(note, name, SigningKey(key.seed), int(time.time()))
    source.add_cosignature(checkpoint.size, line)
    if not pinned_path.exists():
        pinned_path.write_text(
            json.dumps({"origin": origin, "notary_key": base64.b64encode(notary).decode()}) + "\n"
        )
    last_path.write_text(note + line if line not in note else note)
    return Cosigned(checkpoint.size, line, previous_size)


class DatabaseSource:
    """A log read straight from its database (the witness runs beside it)."""

    def __init__(self, mlog: MerkleLog) -> None:
        self.mlog = mlog
        self.charter = mlog.ledger.charter()

    def latest_checkpoint(self) -> str:
        return self.mlog.latest().note

    def notary_public_key(self) -> bytes:
        return base64.b64decode(self.charter.notary_public_key)

    def origin(self) -> str:
        return self.charter.ledger_id

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        self.mlog.catch_up()
        return self.mlog.consistency_proof(first, second)

    def add_cosignature(self, size: int, line: str) -> None:
        self.mlog.add_cosignature(size, line)
