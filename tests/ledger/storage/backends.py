"""What the writer tests share: the backend they run on, and what they check of the log."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ledger.application import LedgerApplication
from ledger.domain.log import Entry
from ledger.formats.dsse import open_envelope
from ledger.formats.vault import VaultKey
from tests.conftest import Story
from tests.support.workers import VAULT_KEY


@dataclass(frozen=True)
class Backend:
    name: str
    url: str
    writers: int  # concurrent writer processes


def fresh(url: str) -> LedgerApplication:
    """A new application on the database: nothing cached from before."""
    return LedgerApplication(url, vault_key=VaultKey(VAULT_KEY))


def payment(story: Story, benefit_id: str, person_id: str, **kw: Any) -> str:
    """A signed payment envelope, as JSON text."""
    body = story.payment_body(benefit_id, person_id, **kw)
    return json.dumps(story.o.envelope("cashier", "payment.recorded", body))


def payment_id(envelope_json: str) -> str:
    pid: str = open_envelope(json.loads(envelope_json)).body["payment_id"]
    return pid


def check_dense(app: LedgerApplication) -> list[Entry]:
    """The entries, after checking that their indexes are exactly 0..size-1."""
    entries = list(app.entries())
    assert [e.index for e in entries] == list(range(app.size()))
    return entries


def recorded_payments(entries: list[Entry]) -> Counter[str]:
    """How many times each payment id is recorded in the log."""
    counts: Counter[str] = Counter()
    for e in entries:
        signed = open_envelope(e.envelope)
        if signed.type == "payment.recorded":
            counts[signed.body["payment_id"]] += 1
    return counts
