"""Changing the database behind the ledger's back is caught, and the verifier says where.

Each test builds a small ledger, checkpoints it, edits the stored events (or
checkpoints) with plain SQL as an insider with database access could, and
then verifies the database afresh.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import psycopg
import pytest
import rfc8785
from eventsourcing.persistence import StoredEvent
from nacl.signing import SigningKey
from psycopg import sql
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.audit.ledger import verify_ledger
from ledger.audit.verifier import Outcome, VerificationFailed
from ledger.domain.log import LOG_ID, Log
from ledger.formats.notes import sign_checkpoint
from ledger.formats.vault import VaultKey
from ledger.tlog.merkle_log import ENTRY_TOPIC, MerkleLog
from tests.conftest import LEDGER_ID, Story


class RawStore:
    """The ledger's tables edited directly: a SQLite file or a PostgreSQL schema.

    Log entry ``i`` is the event at version ``i + 1`` of the Log stream. Event
    state is decoded and re-encoded with the application's own mapper, so the
    edits do not depend on how events are serialised.
    """

    def __init__(self, db_url: str, app: LedgerApplication) -> None:
        self.db_url = db_url
        self.app = app
        self.postgres = db_url.startswith(("postgresql://", "postgres://"))
        self.events = app.recorder.events_table_name  # type: ignore[attr-defined]
        self.events = self.events.split(".")[-1].strip('"')
        rows = self.sql(
            f"SELECT originator_id FROM {self.events} WHERE topic=? LIMIT 1", (ENTRY_TOPIC,)
        )
        assert rows, "no log entry event found in the events table"
        self.log_key = rows[0][0]  # the stored form of LOG_ID (hex text on SQLite, uuid on PG)
        assert str(self.log_key).replace("-", "") == LOG_ID.hex
        # eventsourcing's tracking table: "tracking" on SQLite, named by the recorder on PG
        self.tracking = str(getattr(MerkleLog(app).store, "tracking_table_name", "tracking"))

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self.postgres:
            base, _, query = self.db_url.partition("?")
            schema = parse_qs(query)["schema"][0]
            with psycopg.connect(base) as conn, conn.cursor() as cur:
                cur.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
                yield cur
            return
        with closing(sqlite3.connect(self.db_url)) as conn, conn:
            yield conn.cursor()

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """One statement in its own committed transaction (``?`` placeholders)."""
        with self._cursor() as cur:
            cur.execute(statement.replace("?", "%s") if self.postgres else statement, params)
            return list(cur.fetchall()) if cur.description else []

    def entry_event(self, index: int) -> Log.EntryAppended:
        rows = self.sql(
            f"SELECT topic, state FROM {self.events} "
            "WHERE originator_id=? AND originator_version=?",
            (self.log_key, index + 1),
        )
        assert len(rows) == 1, f"no stored event for entry {index}"
        topic, state = rows[0]
        event = self.app.mapper.to_domain_event(StoredEvent(LOG_ID, index + 1, topic, bytes(state)))
        assert isinstance(event, Log.EntryAppended) and event.index == index
        return event

    def state_of(self, event: Log.EntryAppended) -> bytes:
        return bytes(self.app.mapper.to_stored_event(event).state)

    def rewrite(self, index: int, **changes: Any) -> None:
        """Store entry ``index`` again with some attributes changed."""
        event = dataclasses.replace(self.entry_event(index), **changes)
        self.set_state(index, self.state_of(event))

    def set_state(self, index: int, state: bytes) -> None:
        self.sql(
            f"UPDATE {self.events} SET state=? WHERE originator_id=? AND originator_version=?",
            (state, self.log_key, index + 1),
        )

    def swap(self, i: int, j: int) -> None:
        a, b = self.state_of(self.entry_event(i)), self.state_of(self.entry_event(j))
        self.set_state(i, b)
        self.set_state(j, a)

    def delete(self, index: int) -> None:
        self.sql(
            f"DELETE FROM {self.events} WHERE originator_id=? AND originator_version=?",
            (self.log_key, index + 1),
        )

    def append(self, index: int, recorded_at: str, envelope: dict[str, Any]) -> None:
        stored = self.app.mapper.to_stored_event(
            Log.EntryAppended(  # type: ignore[call-arg]
                originator_id=LOG_ID,
                originator_version=index + 1,
                timestamp=Log.EntryAppended.create_timestamp(),
                index=index,
                recorded_at=recorded_at,
                envelope=envelope,
            )
        )
        self.sql(
            f"INSERT INTO {self.events} (originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?)",
            (self.log_key, index + 1, stored.topic, bytes(stored.state)),
        )

    def truncate(self, index: int) -> None:
        """Delete entry ``index`` and everything recorded after it, in every ledger table:
        what a careful insider would do to make a log forget its last entries."""
        position = "notification_id" if self.postgres else "rowid"
        self.sql(
            f"DELETE FROM {self.events} WHERE {position} > (SELECT {position} FROM {self.events} "
            "WHERE originator_id=? AND originator_version=?)",
            (self.log_key, index),
        )
        self.sql("DELETE FROM ansinh_nonces WHERE entry >= ?", (index,))

    def set_checkpoint_note(self, size: int, note: str) -> None:
        self.sql("UPDATE ansinh_checkpoints SET note=? WHERE tree_size=?", (note, size))


@dataclass
class Sealed:
    story: Story
    raw: RawStore
    db_url: str
    payments: list[int]
    checkpoint: str

    @property
    def size(self) -> int:
        return self.story.app.size()


@pytest.fixture
def sealed(story: Story, db_url: str) -> Sealed:
    """Household, person, program, approved benefit, three payments; then a checkpoint."""
    _, person_id, benefit_id = story.beneficiary()
    payments = [story.pay(benefit_id, person_id, month=f"2022-0{m}").index for m in (1, 2, 3)]
    mlog = MerkleLog(story.app)
    mlog.catch_up()
    issued = mlog.issue(story.o.keys["notary"])
    assert issued.size == story.app.size() == payments[-1] + 1
    return Sealed(story, RawStore(db_url, story.app), db_url, payments, issued.note)


def verify(db_url: str, **kw: Any) -> Outcome:
    """verify_ledger on a freshly opened application: nothing cached from before the edit."""
    ledger = LedgerApplication(db_url, vault_key=VaultKey(b"\x07" * 32))
    try:
        return verify_ledger(ledger, processes=1, **kw)
    finally:
        ledger.close()


def failure(db_url: str, **kw: Any) -> VerificationFailed:
    with pytest.raises(VerificationFailed) as failed:
        verify(db_url, **kw)
    return failed.value


def test_the_untouched_ledger_verifies(sealed: Sealed) -> None:
    outcome = verify(sealed.db_url, authority=sealed.story.o.keys["authority"].key_id)
    assert (outcome.entries, outcome.checkpoint_size) == (sealed.size, sealed.size)


def test_a_changed_amount_in_a_signed_payment_fails_its_signature(sealed: Sealed) -> None:
    index = sealed.payments[1]
    envelope = sealed.raw.entry_event(index).envelope
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert statement["type"] == "payment.recorded"
    statement["body"]["amount"] = 16_240_000
    forged = {**envelope, "payload": base64.b64encode(rfc8785.dumps(statement)).decode()}
    sealed.raw.rewrite(index, envelope=forged)
    assert sealed.raw.entry_event(index).envelope == forged
    failed = failure(sealed.db_url)
    assert failed.index == index
    assert "BAD_SIGNATURE" in failed.reason


def test_a_changed_recorded_at_breaks_the_checkpoint_and_is_located(sealed: Sealed) -> None:
    index = sealed.payments[1]
    original = sealed.raw.entry_event(index).recorded_at
    # A time between its neighbours' keeps the log in time order: only the root changes.
    neighbours = [sealed.raw.entry_event(index + d).recorded_at for d in (-1, 1)]
    moved = next(t for t in neighbours if t != original)
    sealed.raw.rewrite(index, recorded_at=moved)
    failed = failure(sealed.db_url)
    assert failed.index is None
    assert f"stored checkpoint of size {sealed.size}" in str(failed)
    assert "does not match the entries" in str(failed)
    assert f"entry {index} differs from what the checkpoint committed to" in str(failed)


def test_a_deleted_entry_is_named_by_its_index(sealed: Sealed) -> None:
    index = sealed.payments[0]
    sealed.raw.delete(index)
    failed = failure(sealed.db_url)
    assert failed.index == index
    assert f"leaf says index {index + 1} at position {index}" in failed.reason


def test_reading_past_a_deleted_entry_yields_every_other_entry_once(sealed: Sealed) -> None:
    index = sealed.payments[0]
    sealed.raw.delete(index)
    ledger = LedgerApplication(sealed.db_url, vault_key=VaultKey(b"\x07" * 32))
    try:
        read = [entry.index for entry in ledger.entries()]
    finally:
        ledger.close()
    assert read == [i for i in range(sealed.size) if i != index]


def test_a_deleted_last_entry_leaves_fewer_entries_than_the_checkpoint(sealed: Sealed) -> None:
    sealed.raw.delete(sealed.payments[-1])
    failed = failure(sealed.db_url)
    assert failed.index is None
    assert (
        f"stored checkpoint of size {sealed.payments[-1] + 1}: checkpoint of size "
        f"{sealed.payments[-1] + 1} but the log has only {sealed.payments[-1]} entries"
    ) in str(failed)


def test_two_swapped_entries_are_named_by_the_first_of_them(sealed: Sealed) -> None:
    first, second = 6, sealed.payments[1]
    sealed.raw.swap(first, second)
    failed = failure(sealed.db_url)
    assert failed.index == first
    assert f"leaf says index {second} at position {first}" in failed.reason


def test_an_appended_entry_signed_by_a_revoked_key_is_refused(sealed: Sealed) -> None:
    story = sealed.story
    cashier = story.o.keys["cashier"].key_id
    revoked_at = story.submit(
        story.o.sub("authority", "key.revoked", {"key_id": cashier, "reason": "nghỉ hưu"})
    ).index
    MerkleLog(story.app).issue(story.o.keys["notary"])
    paid = sealed.raw.entry_event(sealed.payments[0]).envelope
    payment = json.loads(base64.b64decode(paid["payload"]))
    benefit_id, recipient = payment["body"]["benefit_id"], payment["body"]["recipient"]
    envelope = story.o.envelope(
        "cashier", "payment.recorded", story.payment_body(benefit_id, recipient, month="2022-04")
    )
    index = revoked_at + 1
    last = sealed.raw.entry_event(revoked_at).recorded_at
    sealed.raw.append(index, last, envelope)
    assert story.app.size() == index + 1
    failed = failure(sealed.db_url)
    assert failed.index == index
    assert f"KEY_REVOKED: key {cashier[:16]} was revoked at entry {revoked_at}" in failed.reason


@pytest.mark.parametrize("forgery", ["signature", "root"])
def test_a_forged_checkpoint_is_refused(sealed: Sealed, forgery: str) -> None:
    text, _, line = sealed.checkpoint.partition("\n\n")
    origin, size, root = text.split("\n")[:3]
    if forgery == "signature":
        # The inspector's key, under the ledger's name: a well-formed note, wrong signer.
        forged = sign_checkpoint(
            LEDGER_ID,
            int(size),
            base64.b64decode(root),
            LEDGER_ID,
            SigningKey(sealed.story.o.keys["inspector"].seed),
        )
    else:
        other_root = base64.b64encode(bytes(32)).decode()
        forged = f"{origin}\n{size}\n{other_root}\n\n{line}"
    assert forged != sealed.checkpoint
    sealed.raw.set_checkpoint_note(int(size), forged)
    failed = failure(sealed.db_url)
    assert failed.index is None
    assert f"stored checkpoint of size {size}: checkpoint:" in str(failed)
    assert "no valid signature" in str(failed)


def test_a_truncated_log_with_a_resigned_checkpoint_fails_against_a_kept_checkpoint(
    sealed: Sealed, tmp_path: Path
) -> None:
    kept = sealed.checkpoint
    sealed.raw.truncate(sealed.payments[1])
    sealed.raw.sql("DELETE FROM ansinh_checkpoints")
    sealed.raw.sql("DELETE FROM ansinh_merkle_nodes")
    ledger = LedgerApplication(sealed.db_url)
    try:
        mlog = MerkleLog(ledger)
        assert mlog.rebuild() == sealed.payments[1]
        assert mlog.issue(sealed.story.o.keys["notary"]).size == sealed.payments[1]
    finally:
        ledger.close()
    assert verify(sealed.db_url).entries == sealed.payments[1]
    failed = failure(sealed.db_url, since=kept)
    assert failed.index is None
    assert (
        f"checkpoint of size {sealed.payments[-1] + 1} but the log has only "
        f"{sealed.payments[1]} entries (truncated or rewritten history)"
    ) in str(failed)
    (tmp_path / "kept").write_text(kept, encoding="utf-8")
    args = ["verify", "--db", sealed.db_url, "--since", str(tmp_path / "kept")]
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"FAILED checkpoint of size {sealed.payments[-1] + 1} but")


def test_cli_verify_exits_1_and_names_the_tampered_entry(sealed: Sealed) -> None:
    index = sealed.payments[2]
    envelope = sealed.raw.entry_event(index).envelope
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["body"]["recipient"] = statement["body"]["benefit_id"]
    forged = {**envelope, "payload": base64.b64encode(rfc8785.dumps(statement)).decode()}
    sealed.raw.rewrite(index, envelope=forged)
    result = CliRunner().invoke(cli_app, ["verify", "--db", sealed.db_url, "--processes", "1"])
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"FAILED entry {index}: BAD_SIGNATURE"), result.stderr
    assert "OK" not in result.stdout
