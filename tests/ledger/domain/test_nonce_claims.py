"""Nonce claims live in their own table; a ledger that kept them as events moves them there.

A nonce may be used once per key: a different statement with a used nonce is
refused (REPLAYED_NONCE), the same statement again gets its entry back. Older
ledgers kept each claim as an event in the event store; opening one copies
the claims into the table, so neither rule is lost across the upgrade.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid5

import psycopg
import pytest

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.domain.log import NONCE_NAMESPACE, NonceClaim, claim_key
from ledger.errors import LedgerError
from ledger.formats.vault import VaultKey
from ledger.storage.recorder import NONCE_TABLE
from tests.conftest import Officers, Story, new_id


def _household(o: Officers, nonce: str | None = None) -> Submission:
    body = {"household_id": new_id(), "code": "CE-9", "village": "Bản Huổi"}
    kw = {"nonce": nonce} if nonce else {}
    return o.sub("registrar", "household.registered", body, **kw)


def test_the_claim_key_is_the_uuid_older_ledgers_stored_claims_under() -> None:
    for by, nonce in [("ab" * 32, "00" * 16), ("cd" * 32, "f" * 32), ("0" * 64, "1" * 32)]:
        assert claim_key(by, nonce) == uuid5(NONCE_NAMESPACE, f"{by}/{nonce}").bytes


def test_a_used_nonce_is_refused_and_its_statement_answered_again(story: Story) -> None:
    first = _household(story.o, nonce="a1" * 16)
    accepted = story.submit(first)
    again = story.submit(first)
    assert (again.index, again.leaf_hash, again.created) == (
        accepted.index,
        accepted.leaf_hash,
        False,
    )
    with pytest.raises(LedgerError) as refused:
        story.submit(_household(story.o, nonce="a1" * 16))
    assert refused.value.code == "REPLAYED_NONCE"


def _to_older_layout(app: LedgerApplication) -> None:
    """Rewrite the ledger's claims as an older version stored them: events, no table."""
    recorder = app.recorder
    if app.db.startswith("postgresql://"):
        table = f'"{recorder.datastore.schema}"."{NONCE_TABLE}"'  # type: ignore[union-attr]
        url, schema = app.db.split("?")[0], recorder.datastore.schema  # type: ignore[union-attr]
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            rows = conn.execute(f"SELECT claim, entry, digest FROM {table}").fetchall()
            conn.execute(f"DROP TABLE {table}")
    else:
        with recorder.datastore.transaction(commit=True) as c:  # type: ignore[union-attr]
            c.execute(f"SELECT claim, entry, digest FROM {NONCE_TABLE}")
            rows = c.fetchall()
            c.execute(f"DROP TABLE {NONCE_TABLE}")
    now = datetime.now(UTC)
    events = [
        NonceClaim.claim(UUID(bytes=bytes(key)), entry, bytes(digest).hex(), now)
        for key, entry, digest in rows
    ]
    recorder.insert_events([app.mapper.to_stored_event(e) for e in events])


def test_a_ledger_that_kept_claims_as_events_keeps_refusing_used_nonces(story: Story) -> None:
    used = _household(story.o, nonce="b2" * 16)
    accepted = story.submit(used)
    _to_older_layout(story.app)
    db = story.app.db
    story.app.close()
    reopened = LedgerApplication(db, vault_key=VaultKey(b"\x01" * 32))
    try:
        with pytest.raises(LedgerError) as refused:
            reopened.submit(_household(story.o, nonce="b2" * 16))
        assert refused.value.code == "REPLAYED_NONCE"
        again = reopened.submit(used)
        assert (again.index, again.created) == (accepted.index, False)
        assert reopened.submit(_household(story.o)).created
    finally:
        reopened.close()
