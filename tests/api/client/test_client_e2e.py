"""The Python client against a real server: uvicorn on a loopback port, in a thread.

Everything here goes over HTTP, and every statement is signed on the
client's side: the demo's whole story is told to a server, then its
database is exported and verified offline and its figures compared with the
demo built in process; the client signs in, reads, submits, is refused,
fetches proofs.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.client.remote import AnsinhClient, ClientError, HttpLogSource, ServerUnreachable
from api.demo.build import build, summarize
from api.demo.story import generate, submit_all
from api.service import LedgerService
from ledger.application import LedgerApplication
from ledger.audit.bundle import export_bundle
from ledger.audit.ledger import verify_bundle
from ledger.domain.log import Entry
from ledger.errors import (
    InvalidField,
    RoleNotAllowed,
    UnknownEntity,
    UnknownKey,
    WrongLedger,
)
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import leaf_hash, verify_consistency, verify_inclusion
from ledger.formats.notes import open_checkpoint
from ledger.formats.vault import VaultKey
from ledger.tlog.witness import cosign_latest, verifier_key
from projections.query import snapshot
from tests.api.client.server import client_of, closed_port, household_body, running
from tests.conftest import LEDGER_ID, Officers, Story, new_id

runner = CliRunner()


# -- the demo, told over HTTP ----------------------------------------------------------------
def test_the_demo_told_over_http_verifies_and_adds_up_as_built_in_process(
    db_url: str, tmp_path: Path
) -> None:
    demo = generate(1, later=False)
    vault_key = VaultKey(VaultKey.generate())
    witness = demo.keys["inspector"]  # the server takes cosignatures from inspectors' keys
    vkey = verifier_key("thanh-tra-huyen", witness)
    service = LedgerService(
        db_url, vault_key=vault_key, notary=demo.keys["notary"], checkpoint_every_s=0.5
    )
    try:
        with running(service) as base, AnsinhClient(base) as client:
            count = submit_all(demo, client.submit_batch)
            note = client.checkpoint()
            cosigned = cosign_latest(
                HttpLogSource(client, vkey), witness, "thanh-tra-huyen", tmp_path / "witness"
            )
    finally:
        service.ledger.close()
    assert count == len(demo.submissions)
    notary = demo.keys["notary"].public_key
    assert open_checkpoint(note, LEDGER_ID, notary, origin=LEDGER_ID).size == count
    assert cosigned.size == count

    served = LedgerApplication(db_url, vault_key=vault_key)
    try:
        exported = export_bundle(served, tmp_path / "bundle.tar")
        outcome = verify_bundle(
            exported.path, authority=demo.keys["authority"].key_id, witnesses=[vkey]
        )
        over_http = summarize(snapshot(served), demo)
        payloads = [e.envelope["payload"] for e in served.entries()]
    finally:
        served.close()
    assert outcome.entries == exported.entries == count
    assert outcome.checkpoint_size == count and outcome.witnesses

    reference = build(str(tmp_path / "in-process.db"), tmp_path / "keys", seed=1, later=False)
    assert {k: reference[k] for k in over_http} == over_http
    assert over_http["meritorious"]["total_vnd"] > 3_000_000_000
    in_process = LedgerApplication(str(tmp_path / "in-process.db"))
    try:
        assert [e.envelope["payload"] for e in in_process.entries()] == payloads
    finally:
        in_process.close()


# -- submitting ------------------------------------------------------------------------------
def test_a_statement_signed_by_the_client_is_recorded_once(
    url: str, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    with client_of(url, officers, "registrar") as client:
        assert client.ledger_id() == LEDGER_ID
        signed = client.sign("household.registered", household_body())
        first = client.submit(signed)
        again = client.submit(signed)
    assert (first.index, first.created) == (size, True)
    assert (again.index, again.leaf_hash, again.created) == (size, first.leaf_hash, False)
    assert first.leaf_hash == story.app.entry(size).leaf_hash.hex()


def test_personal_data_given_to_sign_and_submit_goes_to_the_vault(
    url: str, story: Story, officers: Officers
) -> None:
    hid = story.household()
    pid = new_id()
    body = {
        "person_id": pid,
        "household_id": hid,
        "relation": "head",
        "sex": "m",
        "birth_year": 1961,
    }
    record = {"full_name": "Quàng Văn Toản", "national_id": "014061000777"}
    with client_of(url, officers, "registrar") as client:
        client.sign_and_submit("person.registered", body, pii=record)
    stored = story.app.vault_record(pid)
    assert stored is not None and stored.record == record


def test_a_batch_is_recorded_in_order_or_not_at_all(
    url: str, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    with client_of(url, officers, "registrar") as client:
        subs = [client.sign("household.registered", household_body()) for _ in range(3)]
        accepted = client.submit_batch(subs)
        assert [a.index for a in accepted] == [size, size + 1, size + 2]
        assert all(a.created for a in accepted)
        stranger = AnsinhClient(url, key=KeyPair.from_seed(b"\x99" * 32))
        bad = stranger.sign("household.registered", household_body())
        stranger.close()
        with pytest.raises(UnknownKey) as refused:
            client.submit_batch([client.sign("household.registered", household_body()), bad])
    assert refused.value.message.startswith("line 2:")
    assert "nothing recorded" in refused.value.message
    assert story.app.size() == size + 3


def test_refusals_arrive_as_the_ledgers_own_errors_with_code_and_status(
    url: str, story: Story, officers: Officers
) -> None:
    with client_of(url, officers, "cashier") as client:
        with pytest.raises(UnknownEntity) as unknown:
            client.sign_and_submit("payment.recorded", story.payment_body(new_id(), new_id()))
        foreign = Officers("ansinh.vn/ha-giang/meo-vac/pai-lung")
        with pytest.raises(WrongLedger) as wrong:
            client.submit(foreign.envelope("registrar", "household.registered", household_body()))
        with pytest.raises(RoleNotAllowed) as role:
            client.sign_and_submit("household.registered", household_body())
        with pytest.raises(InvalidField) as field:
            client.submit({"payloadType": "x", "payload": "", "signatures": []})
    assert isinstance(unknown.value, ClientError) and unknown.value.status == 404
    assert unknown.value.code == "UNKNOWN_ENTITY" and "benefit" in unknown.value.message
    assert (wrong.value.code, wrong.value.status) == ("WRONG_LEDGER", 400)
    assert (role.value.code, role.value.status) == ("ROLE_NOT_ALLOWED", 403)
    assert field.value.field == "payloadType" and field.value.status == 400


def test_an_unreachable_server_is_a_clear_error() -> None:
    client = AnsinhClient(f"http://127.0.0.1:{closed_port()}", timeout=5)
    with client, pytest.raises(ServerUnreachable) as refused:
        client.checkpoint()
    assert refused.value.code == "UNREACHABLE"
    assert "cannot reach http://127.0.0.1" in refused.value.message


def test_an_error_answer_not_in_the_contracts_shape_still_raises_with_its_status() -> None:
    gateway = httpx.MockTransport(lambda _: httpx.Response(502, text="<h1>Bad Gateway</h1>"))
    client = AnsinhClient("http://proxy.invalid", transport=gateway)
    with client, pytest.raises(ClientError) as refused:
        client.checkpoint()
    assert (refused.value.code, refused.value.status) == ("HTTP_502", 502)
    assert "Bad Gateway" in refused.value.message


def test_an_address_that_is_not_http_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(InvalidField) as refused:
        AnsinhClient("127.0.0.1:8000")
    assert refused.value.field == "url"


# -- signing in and reading ------------------------------------------------------------------
def test_signing_in_unmasks_what_the_public_does_not_see(
    url: str, story: Story, officers: Officers
) -> None:
    hid = story.household()
    pid = story.person(hid)
    with client_of(url, officers, "inspector") as client:
        public = client.households()
        with pytest.raises(ClientError) as closed:
            client.vault(pid)
        token = client.sign_in()
        assert token and client.me()["roles"] == ["inspector"]
        unmasked = client.households()
        opened = client.vault(pid)
        client.sign_out()
        with pytest.raises(ClientError) as closed_again:
            client.vault(pid)
    name = "Lò Thị Xuân"
    assert public["disclosed"] == [] and name not in json.dumps(public, ensure_ascii=False)
    assert "full_name" in unmasked["disclosed"]
    assert name in json.dumps(unmasked, ensure_ascii=False)
    assert (closed.value.status, closed.value.code) == (401, "UNAUTHENTICATED")
    assert type(closed.value) is ClientError  # not a code the ledger itself gives
    assert opened["record"]["full_name"] == name
    assert closed_again.value.status == 401


def test_a_key_the_ledger_does_not_know_cannot_sign_in(url: str) -> None:
    client = AnsinhClient(url, key=KeyPair.from_seed(b"\x77" * 32))
    with client, pytest.raises(UnknownKey) as refused:
        client.sign_in()
    assert refused.value.status == 401


def test_the_client_signs_only_the_sign_in_text_whatever_the_server_asks(
    officers: Officers,
) -> None:
    opened = officers.opened().signed.envelope
    first_entry = Entry(0, "2021-11-30T01:00:00.000000Z", opened).leaf
    statement = officers.envelope("registrar", "household.registered", household_body())
    asked: list[str] = []

    def evil(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/log/entries":
            return httpx.Response(200, content=first_entry + b"\n")
        asked.append(request.url.path)
        if request.url.path == "/v1/auth/challenge":
            message = "DSSEv1 " + base64.b64decode(statement["payload"]).decode()
            return httpx.Response(200, json={"challenge": "c2FsdA==", "message": message})
        return httpx.Response(200, json={"token": "stolen"})

    evil_server = httpx.MockTransport(evil)
    client = AnsinhClient(
        "http://evil.invalid", key=officers.keys["registrar"], transport=evil_server
    )
    with client, pytest.raises(ClientError) as refused:
        client.sign_in()
    assert refused.value.code == "UNSAFE_CHALLENGE"
    assert asked == ["/v1/auth/challenge"] and client.token is None


# -- the log ---------------------------------------------------------------------------------
def test_entries_and_proofs_from_the_server_check_against_its_checkpoints(
    url: str, story: Story, officers: Officers
) -> None:
    notary = officers.keys["notary"].public_key
    with client_of(url, officers, "registrar") as client:
        first = open_checkpoint(client.checkpoint(), LEDGER_ID, notary, origin=LEDGER_ID)
        leaves = list(client.entries())
        for _ in range(4):
            client.sign_and_submit("household.registered", household_body())
        second = open_checkpoint(client.checkpoint(), LEDGER_ID, notary, origin=LEDGER_ID)
        proofs = [client.inclusion_proof(i, second.size) for i in range(second.size)]
        consistency = client.consistency_proof(first.size, second.size)
    assert leaves == [e.leaf for e in story.app.entries(0, first.size)]
    assert second.size == first.size + 4
    for p in proofs:
        verify_inclusion(p.leaf_hash, p.index, second.size, p.proof, second.root)
    assert proofs[0].leaf_hash == leaf_hash(leaves[0])
    verify_consistency(first.size, second.size, first.root, second.root, consistency)


# -- the command line with --url -------------------------------------------------------------
