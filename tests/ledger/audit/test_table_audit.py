"""Every table the ledger decides or answers from is checked against its log.

An insider who can write to the database can change the tables beside the
log without touching an entry: a nonce claim, an aggregate's event, the
Merkle node cache, a read model, a vault record, a tracking position. Each
test makes one such edit with plain SQL (on SQLite and on PostgreSQL),
shows what it would do, and that ``verify --db`` names the table and row,
and that the notary refuses to sign a log that statements accepted on such
an edit have broken.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
import rfc8785
from eventsourcing.utils import get_topic
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.audit.verifier import VerificationFailed
from ledger.domain.benefits import Benefit
from ledger.errors import LogTampered
from ledger.formats.vault import VaultKey
from ledger.tlog.merkle_log import MerkleLog
from projections.tables.audit import check_read_models
from projections.tables.runner import Projections
from tests.conftest import Story, new_id
from tests.ledger.audit.test_tamper import RawStore, failure, verify


@dataclass
class Audited:
    """A small ledger, checkpointed, with its node cache and read models caught up."""

    story: Story
    raw: RawStore
    db_url: str
    person_id: str
    benefit_id: str
    approval: int  # the entry approving the benefit
    payments: list[int]

    def stored_id(self, entity_id: str) -> Any:
        """An aggregate id as the events table stores it (hex text on SQLite, uuid on PG)."""
        return UUID(entity_id) if self.raw.postgres else UUID(entity_id).hex

    def checkpoint(self) -> None:
        MerkleLog(self.story.app).issue(self.story.o.keys["notary"])


@pytest.fixture
def audited(story: Story, db_url: str) -> Audited:
    hid = story.household()
    pid = story.person(hid)
    bid = story.benefit(story.program(), pid)
    approval = story.app.size() - 1
    payments = [story.pay(bid, pid, month=f"2022-0{m}").index for m in (1, 2, 3)]
    mlog = MerkleLog(story.app)
    mlog.catch_up()
    mlog.issue(story.o.keys["notary"])
    Projections(story.app).catch_up()
    return Audited(story, RawStore(db_url, story.app), db_url, pid, bid, approval, payments)


def test_an_untouched_ledger_verifies_every_table_and_says_what_it_covered(
    audited: Audited,
) -> None:
    result = CliRunner().invoke(cli_app, ["verify", "--db", audited.db_url, "--processes", "1"])
    assert result.exit_code == 0, result.stderr
    for table in (
        audited.raw.events,
        "ansinh_nonces",
        "ansinh_merkle_nodes",
        "ansinh_vault",
        "checkpoints",
        "proj_payments",
        "proj_benefits",
        "proj_entry_meta",
    ):
        assert f"checked {table}" in result.stdout, table
    assert "not checked: vault contents" in result.stdout


def read_model_failure(db_url: str) -> VerificationFailed:
    """What checking the read models of a freshly opened ledger fails with."""
    app = LedgerApplication(db_url)
    try:
        with pytest.raises(VerificationFailed) as failed:
            check_read_models(app)
    finally:
        app.close()
    return failed.value


# -- the two attacks: an edit, then a statement the edit let in ------------------------


def test_a_deleted_nonce_claim_lets_a_replay_in_but_the_notary_will_not_sign_it(
    audited: Audited,
) -> None:
    story = audited.story
    original = story.o.sub(
        "cashier", "payment.recorded", story.payment_body(audited.benefit_id, audited.person_id)
    )
    first = story.submit(original)
    audited.checkpoint()
    nonce = original.signed.nonce
    audited.raw.sql("DELETE FROM ansinh_nonces WHERE entry=?", (first.index,))
    # The attack: the same author and nonce, another payment. With its claim
    # gone, acceptance cannot tell.
    app = LedgerApplication(audited.db_url, vault_key=VaultKey(b"\x07" * 32))
    try:
        replayed = story.o.sub(
            "cashier",
            "payment.recorded",
            story.payment_body(audited.benefit_id, audited.person_id, month="2022-05"),
            nonce=nonce,
        )
        accepted = app.submit(replayed)
        assert accepted.created
        with pytest.raises(LogTampered) as refused:
            MerkleLog(app).issue(story.o.keys["notary"])
    finally:
        app.close()
    assert refused.value.code == "LOG_TAMPERED"
    assert f"entry {accepted.index}: REPLAYED_NONCE" in refused.value.message
    assert len(MerkleLog(story.app).checkpoints()) == 2  # nothing signed over it
    failed = failure(audited.db_url)
    assert failed.index == accepted.index
    assert "REPLAYED_NONCE" in failed.reason


def test_a_deleted_approval_event_lets_a_second_approval_in_but_the_notary_will_not_sign_it(
    audited: Audited,
) -> None:
    story = audited.story
    audited.raw.sql(
        f"DELETE FROM {audited.raw.events} WHERE originator_id=? AND topic=?",
        (audited.stored_id(audited.benefit_id), get_topic(Benefit.Approved)),
    )
    app = LedgerApplication(audited.db_url, vault_key=VaultKey(b"\x07" * 32))
    try:
        again = story.o.sub(
            "authority",
            "benefit.approved",
            {
                "benefit_id": audited.benefit_id,
                "decision": {"number": "99/QĐ", "date": "2022-02-01"},
            },
        )
        accepted = app.submit(again)  # the benefit looks proposed again
        assert accepted.created
        with pytest.raises(LogTampered) as refused:
            MerkleLog(app).issue(story.o.keys["notary"])
    finally:
        app.close()
    assert f"entry {accepted.index}: decides {audited.benefit_id}" in refused.value.message
    assert "not an open proposal" in refused.value.message


def test_a_server_whose_log_was_tampered_refuses_to_sign_and_to_write(
    audited: Audited, client: Any
) -> None:
    story = audited.story
    audited.raw.sql("DELETE FROM ansinh_nonces WHERE entry=?", (audited.payments[0],))
    paid = audited.raw.entry_event(audited.payments[0]).envelope
    nonce = json.loads(base64.b64decode(paid["payload"]))["nonce"]
    replayed = story.o.envelope(
        "cashier",
        "payment.recorded",
        story.payment_body(audited.benefit_id, audited.person_id, month="2022-06"),
        nonce=nonce,
    )
    assert client.post("/v1/statements", json=replayed).status_code == 201
    answer = client.get("/v1/log/checkpoint")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "LOG_TAMPERED"
    health = client.get("/healthz").json()
    assert health["status"] == "log_tampered"
    assert "REPLAYED_NONCE" in health["problem"]
    household = {"household_id": new_id(), "code": "CE-99-001", "village": "Bản Mòn"}
    later = story.o.envelope("registrar", "household.registered", household)
    refused = client.post("/v1/statements", json=later)
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "LOG_TAMPERED"


# -- direct edits, each named by verify --db -------------------------------------------

Edit = Callable[[Audited], str]  # makes the edit, returns what the failure must say


def _deleted_claim(a: Audited) -> str:
    a.raw.sql("DELETE FROM ansinh_nonces WHERE entry=?", (a.payments[1],))
    return f"ansinh_nonces (entry {a.payments[1]}): missing"


def _changed_claim_digest(a: Audited) -> str:
    a.raw.sql("UPDATE ansinh_nonces SET digest=? WHERE entry=?", (bytes(32), a.payments[1]))
    return f"ansinh_nonces (entry {a.payments[1]}): records another envelope digest"


def _deleted_approval(a: Audited) -> str:
    a.raw.sql(
        f"DELETE FROM {a.raw.events} WHERE originator_id=? AND topic=?",
        (a.stored_id(a.benefit_id), get_topic(Benefit.Approved)),
    )
    return f"({a.benefit_id}): has no event for entry {a.approval} (benefit.approved)"


def _approval_turned_rejection(a: Audited) -> str:
    a.raw.sql(
        f"UPDATE {a.raw.events} SET topic=? WHERE originator_id=? AND topic=?",
        (get_topic(Benefit.Rejected), a.stored_id(a.benefit_id), get_topic(Benefit.Approved)),
    )
    return f"({a.benefit_id}, version 2): is a Rejected event, but entry {a.approval}"


def _zeroed_node(a: Audited) -> str:
    a.raw.sql("UPDATE ansinh_merkle_nodes SET hash=? WHERE level=0 AND idx=?", (bytes(32), 4))
    return "ansinh_merkle_nodes (level 0, index 4): does not match entries 4..4"


def _deleted_node(a: Audited) -> str:
    a.raw.sql("DELETE FROM ansinh_merkle_nodes WHERE level=1 AND idx=1")
    return "ansinh_merkle_nodes (level 1, index 1): missing"


def _moved_node_tracking(a: Audited) -> str:
    a.raw.sql(
        f"UPDATE {a.raw.tracking} SET notification_id = notification_id - 3 "
        "WHERE application_name=?",
        ("Ledger",),
    )
    return f"{a.raw.tracking} (Ledger): the Merkle node cache tracks notification"


def _vault_row_for_nobody(a: Audited) -> str:
    a.raw.sql("UPDATE ansinh_vault SET commitment=? WHERE person_id=?", ("ab" * 32, a.person_id))
    return f"ansinh_vault ({a.person_id}, abababababababab): no statement commits to this record"


def _no_checkpoint(a: Audited) -> str:
    a.raw.sql("DELETE FROM ansinh_checkpoints")
    return "no signed checkpoint"


TABLE_EDITS: dict[str, Edit] = {
    "deleted nonce claim": _deleted_claim,
    "changed nonce digest": _changed_claim_digest,
    "deleted approval event": _deleted_approval,
    "approval event turned rejection": _approval_turned_rejection,
    "zeroed node": _zeroed_node,
    "deleted node": _deleted_node,
    "moved node tracking": _moved_node_tracking,
    "vault row for nobody": _vault_row_for_nobody,
    "no checkpoint": _no_checkpoint,
}


@pytest.mark.parametrize("edit", list(TABLE_EDITS))
def test_verify_db_names_the_table_and_row_of_each_direct_edit(audited: Audited, edit: str) -> None:
    assert verify(audited.db_url).entries == audited.story.app.size()
    expected = TABLE_EDITS[edit](audited)
    failed = failure(audited.db_url)
    assert expected in str(failed), str(failed)


def test_a_vault_record_whose_contents_were_changed_is_found_with_the_vault_key(
    audited: Audited,
) -> None:
    rows = audited.raw.sql(
        "SELECT sealed FROM ansinh_vault WHERE person_id=?", (audited.person_id,)
    )
    sealed = bytearray(bytes(rows[0][0]))
    sealed[-1] ^= 1
    audited.raw.sql(
        "UPDATE ansinh_vault SET sealed=? WHERE person_id=?", (bytes(sealed), audited.person_id)
    )
    assert verify(audited.db_url).entries > 0  # without the key only commitments are compared
    failed = failure(audited.db_url, vault_key=VaultKey(b"\x07" * 32))
    assert f"ansinh_vault ({audited.person_id}," in str(failed)
    assert "cannot be opened with the vault key" in str(failed)


def test_an_edited_payment_amount_in_a_read_model_is_named_by_its_row(audited: Audited) -> None:
    index = audited.payments[1]
    audited.raw.sql("UPDATE proj_payments SET amount=? WHERE idx=?", (99_000_000, index))
    failed = read_model_failure(audited.db_url)
    assert f"proj_payments (idx {index}): amount is 99000000, the log says 1624000" in str(failed)
    result = CliRunner().invoke(cli_app, ["verify", "--db", audited.db_url, "--processes", "1"])
    assert result.exit_code == 1
    assert "FAILED proj_payments (idx" in result.stderr


def test_a_moved_read_model_tracking_position_is_named(audited: Audited) -> None:
    name = "Ledger/proj/payments"
    audited.raw.sql(
        f"UPDATE {audited.raw.tracking} SET notification_id = notification_id - 2 "
        "WHERE application_name=?",
        (name,),
    )
    failed = read_model_failure(audited.db_url)
    assert f"{audited.raw.tracking} ({name}): tracks notification" in str(failed)


def test_a_deleted_read_model_row_is_named_and_the_others_listed(audited: Audited) -> None:
    audited.raw.sql("DELETE FROM proj_entry_meta WHERE idx=?", (audited.payments[0],))
    audited.raw.sql(
        "UPDATE proj_people SET died_on=? WHERE person_id=?", ("2022-01-01", audited.person_id)
    )
    failed = read_model_failure(audited.db_url)
    everything = [str(failed), *failed.more]
    assert any(
        "proj_people (idx" in line and "died_on is '2022-01-01'" in line for line in everything
    )
    assert any(
        f"proj_entry_meta (idx {audited.payments[0]}): missing" in line for line in everything
    )


# -- the server's notary: what it accepted itself, it takes as checked ------------------


def test_a_server_signs_what_it_accepted_without_checking_it_again(
    audited: Audited, service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger.tlog import notary

    story = audited.story
    checked_in_full: list[int] = []
    real = notary.check_chunk

    def counting(start: int, block: Any, keys: Any) -> Any:
        checked_in_full.append(start)
        return real(start, block, keys)

    monkeypatch.setattr(notary, "check_chunk", counting)
    first_new = story.app.size()
    for month in ("2022-04", "2022-05"):
        body = story.payment_body(audited.benefit_id, audited.person_id, month=month)
        service.submit(story.o.sub("cashier", "payment.recorded", body))
    signed = service.sign_checkpoint()
    assert signed is not None and signed.size == first_new + 2
    # The entries recorded before the server started are checked in full, its own are not.
    assert checked_in_full == list(range(first_new))


def test_a_server_notices_an_entry_it_accepted_changed_in_the_database_before_signing(
    audited: Audited, service: Any
) -> None:
    story = audited.story
    service.sign_checkpoint()
    body = story.payment_body(audited.benefit_id, audited.person_id, month="2022-04")
    index = service.submit(story.o.sub("cashier", "payment.recorded", body)).index
    envelope = audited.raw.entry_event(index).envelope
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement["body"]["amount"] = 99_000_000
    forged = {**envelope, "payload": base64.b64encode(rfc8785.dumps(statement)).decode()}
    audited.raw.rewrite(index, envelope=forged)
    with pytest.raises(LogTampered) as refused:
        service.sign_checkpoint()
    assert f"entry {index}: BAD_SIGNATURE" in refused.value.message
