"""Every byte of shared/vectors/formats-v1.json, reproduced by the ledger's own code."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from typing import Any

import pytest

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission, submission_from_json
from ledger.domain.log import Entry
from ledger.errors import BadPublicKey, BadSignature, NonCanonicalPayload
from ledger.formats.dsse import PAYLOAD_TYPE, jcs, leaf_json, open_envelope, pae, sign_statement
from ledger.formats.keys import KeyPair, check_public_key, decode_public_key, key_id
from ledger.formats.merkle import leaf_hash, root_hash
from ledger.formats.vault import VaultRecord, commitment
from tests.support.vectors import load_formats

pytestmark = pytest.mark.vectors


def _keys() -> dict[str, KeyPair]:
    """The vector keys by key id, made from their seeds."""
    pairs = (
        KeyPair.from_seed(bytes.fromhex(k["seed_hex"])) for k in load_formats()["keys"].values()
    )
    return {pair.key_id: pair for pair in pairs}


def _entries() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load_formats()["entries"]
    return entries


def _vault_record() -> VaultRecord:
    pii = load_formats()["pii"]
    person = next(e for e in _entries() if e["statement"]["type"] == "person.registered")
    return VaultRecord(
        person_id=person["statement"]["body"]["person_id"],
        salt=base64.b64decode(pii["salt"]),
        record=pii["record"],
    )


def _submission(entry: dict[str, Any]) -> Submission:
    vault = (_vault_record(),) if entry["statement"]["type"] == "person.registered" else ()
    return Submission(open_envelope(entry["envelope"]), vault)


def test_the_vectors_hold_twelve_entries_from_ledger_opened_to_a_payment() -> None:
    types = [e["statement"]["type"] for e in _entries()]
    assert len(types) == 12
    assert types[0] == "ledger.opened"
    assert types[-1] == "payment.recorded"


def test_key_ids_and_public_keys_are_derived_from_the_seeds() -> None:
    for name, vector in load_formats()["keys"].items():
        pair = KeyPair.from_seed(bytes.fromhex(vector["seed_hex"]))
        assert pair.public_key_b64 == vector["public_key"], name
        assert pair.key_id == vector["key_id"], name
        raw = base64.b64decode(vector["public_key"])
        assert key_id(raw) == hashlib.sha256(raw).hexdigest() == vector["key_id"]
        check_public_key(raw)


def test_every_statement_author_is_one_of_the_vector_keys() -> None:
    keys = _keys()
    assert {e["statement"]["by"] for e in _entries()} <= keys.keys()


def test_payload_bytes_are_the_jcs_of_each_statement() -> None:
    for i, entry in enumerate(_entries()):
        assert jcs(entry["statement"]) == entry["payload_jcs"].encode("utf-8"), i


def test_pae_bytes_of_each_payload_match_the_vector() -> None:
    for i, entry in enumerate(_entries()):
        payload = entry["payload_jcs"].encode("utf-8")
        assert pae(PAYLOAD_TYPE, payload).hex() == entry["pae_hex"], i


def test_signing_each_statement_reproduces_its_envelope_byte_for_byte() -> None:
    keys = _keys()
    for i, entry in enumerate(_entries()):
        statement = entry["statement"]
        envelope = sign_statement(copy.deepcopy(statement), keys[statement["by"]])
        assert envelope == entry["envelope"], i
        assert jcs(envelope) == jcs(entry["envelope"]), i


def test_open_envelope_accepts_each_envelope_and_its_signature_verifies() -> None:
    keys = _keys()
    for i, entry in enumerate(_entries()):
        signed = open_envelope(copy.deepcopy(entry["envelope"]))
        assert signed.statement == entry["statement"], i
        assert signed.payload == entry["payload_jcs"].encode("utf-8"), i
        signed.verify(keys[signed.by].public_key)


def test_leaf_bytes_and_leaf_hashes_are_reproduced_from_index_time_and_envelope() -> None:
    for i, entry in enumerate(_entries()):
        leaf = json.loads(entry["leaf"])
        assert leaf["index"] == i
        assert leaf["envelope"] == entry["envelope"]
        built = Entry(
            index=leaf["index"], recorded_at=leaf["recorded_at"], envelope=entry["envelope"]
        )
        assert built.leaf == entry["leaf"].encode("utf-8"), i
        assert built.leaf == jcs(leaf), i
        assert built.leaf_hash.hex() == entry["leaf_hash"], i
        assert leaf_hash(built.leaf).hex() == entry["leaf_hash"], i


def test_the_merkle_root_after_each_entry_matches_the_vector() -> None:
    hashes = [bytes.fromhex(e["leaf_hash"]) for e in _entries()]
    for i, entry in enumerate(_entries()):
        assert root_hash(hashes[: i + 1]).hex() == entry["root_after"], i


def test_the_pii_commitment_of_the_vector_record_is_reproduced() -> None:
    pii = load_formats()["pii"]
    record = _vault_record()
    assert commitment(record.salt, record.record) == pii["commitment"]
    person = next(e for e in _entries() if e["statement"]["type"] == "person.registered")
    assert person["statement"]["body"]["pii"] == pii["commitment"]


def test_a_fresh_ledger_accepts_every_vector_entry_at_its_index(app: LedgerApplication) -> None:
    entries = _entries()
    for i, entry in enumerate(entries):
        accepted = app.submit(_submission(entry))
        assert (accepted.index, accepted.created) == (i, True)
    assert app.size() == len(entries)
    live = list(app.entries())
    assert [e.index for e in live] == list(range(len(entries)))
    for entry, recorded in zip(entries, live, strict=True):
        # recorded_at is the live ledger's clock; the envelope is the signed bytes.
        assert leaf_json(recorded.envelope) == leaf_json(entry["envelope"])
        assert recorded.envelope == entry["envelope"]
        vector_time = json.loads(entry["leaf"])["recorded_at"]
        as_vector = Entry(index=recorded.index, recorded_at=vector_time, envelope=recorded.envelope)
        assert as_vector.leaf == entry["leaf"].encode("utf-8")
    record = _vault_record()
    assert app.vault_record(record.person_id) == record


def test_live_leaf_hashes_returned_on_acceptance_are_those_of_the_stored_entries(
    app: LedgerApplication,
) -> None:
    returned = [app.submit(_submission(e)).leaf_hash for e in _entries()]
    stored = [e.leaf_hash for e in app.entries()]
    assert returned == [h.hex() for h in stored]
    assert root_hash(stored) == root_hash([bytes.fromhex(h) for h in returned])


def test_resubmitting_the_vector_envelopes_returns_the_recorded_entries(
    app: LedgerApplication,
) -> None:
    first = [app.submit(_submission(e)) for e in _entries()]
    again = [app.submit(submission_from_json(copy.deepcopy(e["envelope"]))) for e in _entries()]
    assert [(a.index, a.leaf_hash) for a in again] == [(f.index, f.leaf_hash) for f in first]
    assert not any(a.created for a in again)
    assert app.size() == len(first)


def test_the_bad_signature_envelope_is_refused_by_a_ledger_holding_the_vector_keys(
    app: LedgerApplication,
) -> None:
    envelope = load_formats()["must_reject"]["bad_signature_envelope"]
    signed = open_envelope(copy.deepcopy(envelope))  # well formed: only the signature is bad
    keys_registered = [
        e for e in _entries() if e["statement"]["type"] in {"ledger.opened", "key.registered"}
    ]
    for entry in keys_registered:
        app.submit(_submission(entry))
    assert signed.by in {k.key_id for k in app.key_records()}
    with pytest.raises(BadSignature) as err:
        app.submit(Submission(signed))
    assert err.value.code == "BAD_SIGNATURE"
    assert app.size() == len(keys_registered)


def test_the_non_canonical_envelope_is_refused_before_its_signature_is_checked() -> None:
    envelope = load_formats()["must_reject"]["non_canonical_payload_envelope"]
    with pytest.raises(NonCanonicalPayload) as err:
        open_envelope(copy.deepcopy(envelope))
    assert err.value.code == "NON_CANONICAL"
    assert err.value.field == "payload"
    # The payload parses to a valid statement; only its bytes are not JCS.
    statement = json.loads(base64.b64decode(envelope["payload"]))
    assert jcs(statement) != base64.b64decode(envelope["payload"])


@pytest.mark.parametrize("index", range(3))
def test_each_small_order_public_key_is_refused(index: int) -> None:
    text = load_formats()["must_reject"]["small_order_public_keys"][index]
    raw = base64.b64decode(text)
    assert len(raw) == 32
    with pytest.raises(BadPublicKey) as err:
        check_public_key(raw)
    assert err.value.code == "BAD_PUBLIC_KEY"
    with pytest.raises(BadPublicKey):
        decode_public_key(text, "key.public_key")


def _sign_unchecked(statement: dict[str, Any], pair: KeyPair) -> dict[str, Any]:
    """Sign any statement as a careless client would: no local validation."""
    payload = jcs(statement)
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [
            {
                "keyid": pair.key_id,
                "sig": base64.b64encode(pair.sign(pae(PAYLOAD_TYPE, payload))).decode(),
            }
        ],
    }


@pytest.mark.parametrize("index", range(3))
def test_registering_a_small_order_public_key_is_refused(
    app: LedgerApplication, index: int
) -> None:
    formats = load_formats()
    text = formats["must_reject"]["small_order_public_keys"][index]
    app.submit(_submission(_entries()[0]))
    authority = _keys()[_entries()[0]["statement"]["by"]]
    statement = {
        "ledger": formats["ledger_id"],
        "type": "key.registered",
        "by": authority.key_id,
        "at": "2022-01-03T01:05:00Z",
        "nonce": f"{0xBAD0 + index:032x}",
        "body": {
            # The schema checks id == SHA-256(public key), so the id is built from the bad key.
            "key": {"id": key_id(base64.b64decode(text)), "public_key": text},
            "holder": {"id": "mallory", "name": "Kẻ giả mạo"},
            "roles": ["cashier"],
        },
    }
    with pytest.raises(BadPublicKey) as err:
        app.submit(submission_from_json(_sign_unchecked(statement, authority)))
    assert err.value.code == "BAD_PUBLIC_KEY"
    assert app.size() == 1
    assert [k.key_id for k in app.key_records()] == [authority.key_id]
