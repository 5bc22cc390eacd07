"""The demo's scribe: statements collected with their business dates, signed in date order.

Ids, receipts' evidence and nonces come from the story's ``random.Random``;
each statement is signed at 08:00 (01:00Z) of its day plus a second per
statement already signed that day, so the same seed gives byte-identical
statements whatever the wall clock says.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections import Counter
from typing import Any

from api.demo import data as d
from api.demo.statements import sign
from ledger.domain.acceptance import Submission
from ledger.formats.dsse import make_statement, open_envelope
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultRecord

Pending = tuple[str, int, str, str, dict[str, Any], tuple[VaultRecord, ...]]


class Scribe:
    """Collects statements with their business dates; signs them in date order."""

    def __init__(self, rng: random.Random, keys: dict[str, KeyPair]) -> None:
        self.rng = rng
        self.keys = keys
        self._pending: list[Pending] = []

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def evidence(self) -> str:
        """The SHA-256 of a (generated) scan of the signed payroll page."""
        return hashlib.sha256(self.rng.randbytes(64)).hexdigest()

    def add(
        self, day: str, who: str, type_: str, vault: tuple[VaultRecord, ...] = (), **body: Any
    ) -> None:
        self._pending.append((day, len(self._pending), who, type_, body, vault))

    def sign_all(self) -> list[Submission]:
        """Every statement collected, signed, by date and then in the order added."""
        subs = []
        seconds: Counter[str] = Counter()
        for day, _, who, type_, body, vault in sorted(self._pending, key=lambda p: (p[0], p[1])):
            key = self.keys[who]
            n = seconds[day]
            seconds[day] += 1
            assert n < 16 * 3600, f"too many statements on {day} for one working day"
            at = f"{day}T{1 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z"
            nonce = f"{self.rng.getrandbits(128):032x}"
            statement = make_statement(d.LEDGER_ID, type_, body, key.key_id, at=at, nonce=nonce)
            subs.append(Submission(open_envelope(sign(statement, key)), vault))
        return subs
