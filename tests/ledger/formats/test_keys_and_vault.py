"""Officers' key files, and personal data kept sealed in the vault, out of the log."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from ledger.application import LedgerApplication
from ledger.errors import (
    BadSignature,
    InvalidField,
    UnknownEntity,
    VaultKeyMissing,
    VaultRecordMismatch,
)
from ledger.formats.keys import KeyPair, key_id, read_key_file, verify_signature, write_key_file
from ledger.formats.vault import (
    VAULT_KEY_ENV,
    VAULT_KEY_FILE_ENV,
    SealedRecord,
    VaultKey,
    VaultRecord,
)
from ledger.storage.recorder import VAULT_TABLE
from ledger.storage.settings import is_postgres
from tests.conftest import Story, new_id

RECORD = {
    "full_name": "Quàng Thị Hoa",
    "national_id": "014190009876",
    "birth_date": "1952-07-14",
    "phone": "0987654321",
    "address_detail": "Bản Huổi Một, nhà số 12",
}
AT = "2022-01-04T02:01:00.000000Z"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# Key files -------------------------------------------------------------------------
def test_a_key_file_is_written_owner_only_as_pkcs8_pem(tmp_path: Path) -> None:
    pair = KeyPair.generate()
    path = tmp_path / "cashier.key"
    write_key_file(path, pair)
    assert _mode(path) == 0o600
    pem = path.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----\n")  # PKCS#8, unencrypted
    loaded = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(loaded, Ed25519PrivateKey)
    raw = loaded.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    assert raw == pair.public_key
    assert read_key_file(path).seed == pair.seed


def test_a_key_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "cashier.key"
    first = KeyPair.generate()
    write_key_file(path, first)
    before = path.read_bytes()
    with pytest.raises(FileExistsError):
        write_key_file(path, KeyPair.generate())
    assert path.read_bytes() == before
    assert read_key_file(path).key_id == first.key_id


def test_a_passphrase_encrypted_key_file_reads_back_only_with_its_passphrase(
    tmp_path: Path,
) -> None:
    pair = KeyPair.generate()
    path = tmp_path / "approver.key"
    write_key_file(path, pair, b"mat khau dai 2022")
    assert _mode(path) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert read_key_file(path, b"mat khau dai 2022").seed == pair.seed
    for wrong in (b"mat khau sai", None):
        with pytest.raises(InvalidField) as err:
            read_key_file(path, wrong)
        assert err.value.code == "INVALID_FIELD"
        assert err.value.field == "key"


@pytest.mark.parametrize("content", [None, b"not a key\n", b""])
def test_a_missing_or_garbled_key_file_is_an_invalid_field(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "x.key"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidField) as err:
        read_key_file(path)
    assert err.value.field == "key"


def test_a_key_id_is_the_sha256_of_the_raw_public_key() -> None:
    pair = KeyPair.from_seed(bytes(range(32)))
    assert pair.key_id == hashlib.sha256(pair.public_key).hexdigest()
    assert key_id(pair.public_key) == pair.key_id
    assert len(pair.key_id) == 64 and pair.key_id == pair.key_id.lower()
    assert base64.b64decode(pair.public_key_b64) == pair.public_key
    assert KeyPair.from_pem(pair.to_pem()).key_id == pair.key_id
    assert KeyPair.generate().key_id != pair.key_id


def test_a_signature_verifies_only_under_its_key_and_message() -> None:
    pair, other = KeyPair.generate(), KeyPair.generate()
    sig = pair.sign(b"payment 1")
    verify_signature(pair.public_key, b"payment 1", sig)
    for public_key, message in ((other.public_key, b"payment 1"), (pair.public_key, b"payment 2")):
        with pytest.raises(BadSignature):
            verify_signature(public_key, message, sig)
    with pytest.raises(BadSignature):
        verify_signature(pair.public_key, b"payment 1", sig[:63])


# Sealing ---------------------------------------------------------------------------
def test_a_vault_record_seals_and_opens_back_to_itself() -> None:
    key = VaultKey(VaultKey.generate())
    record = VaultRecord.new(new_id(), RECORD)
    sealed = key.seal(record, AT)
    assert (sealed.person_id, sealed.commitment, sealed.recorded_at) == (
        record.person_id,
        record.commitment,
        AT,
    )
    assert key.open(sealed) == record


def test_sealing_the_same_record_twice_gives_different_ciphertexts() -> None:
    key = VaultKey(VaultKey.generate())
    record = VaultRecord.new(new_id(), RECORD)
    first, second = key.seal(record, AT), key.seal(record, AT)
    assert first.sealed[:12] != second.sealed[:12]  # a fresh AES-GCM nonce each time
    assert first.sealed != second.sealed
    assert key.open(first) == key.open(second) == record


def test_a_sealed_record_opens_only_with_its_own_vault_key() -> None:
    record = VaultRecord.new(new_id(), RECORD)
    sealed = VaultKey(b"\x01" * 32).seal(record, AT)
    with pytest.raises(VaultRecordMismatch) as err:
        VaultKey(b"\x02" * 32).open(sealed)
    assert err.value.code == "VAULT_MISMATCH"


def test_a_sealed_record_is_bound_to_its_person_and_commitment() -> None:
    key = VaultKey(VaultKey.generate())
    sealed = key.seal(VaultRecord.new(new_id(), RECORD), AT)
    moved = SealedRecord(new_id(), sealed.commitment, sealed.sealed, AT)
    recommitted = SealedRecord(sealed.person_id, "00" * 32, sealed.sealed, AT)
    flipped = SealedRecord(
        sealed.person_id, sealed.commitment, sealed.sealed[:-1] + bytes([sealed.sealed[-1] ^ 1]), AT
    )
    for tampered in (moved, recommitted, flipped):
        with pytest.raises(VaultRecordMismatch):
            key.open(tampered)


def test_a_vault_key_file_is_owner_only_never_overwritten_and_loads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (VAULT_KEY_ENV, VAULT_KEY_FILE_ENV):
        monkeypatch.delenv(name, raising=False)
    raw = VaultKey.generate()
    path = tmp_path / "vault.key"
    VaultKey.write(path, raw)
    assert _mode(path) == 0o600
    with pytest.raises(FileExistsError):
        VaultKey.write(path, VaultKey.generate())
    fingerprint = VaultKey(raw).fingerprint
    assert VaultKey.load(path).fingerprint == fingerprint
    monkeypatch.setenv(VAULT_KEY_FILE_ENV, str(path))
    assert VaultKey.load().fingerprint == fingerprint
    monkeypatch.delenv(VAULT_KEY_FILE_ENV)
    monkeypatch.setenv(VAULT_KEY_ENV, base64.b64encode(raw).decode())
    assert VaultKey.load().fingerprint == fingerprint
    monkeypatch.delenv(VAULT_KEY_ENV)
    with pytest.raises(VaultKeyMissing) as err:
        VaultKey.load()
    assert err.value.code == "VAULT_KEY_MISSING"


# The vault inside a ledger -----------------------------------------------------------
def register(story: Story, record: dict[str, Any] = RECORD) -> VaultRecord:
    vault = VaultRecord.new(new_id(), record)
    body = {
        "person_id": vault.person_id,
        "household_id": story.household(),
        "relation": "head",
        "sex": "f",
        "birth_year": 1952,
        "pii": vault.commitment,
    }
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(vault,)))
    return vault


def update(story: Story, person_id: str, record: dict[str, Any]) -> VaultRecord:
    vault = VaultRecord.new(person_id, record)
    body = {"person_id": person_id, "pii": vault.commitment}
    story.submit(story.o.sub("registrar", "person.pii.updated", body, vault=(vault,)))
    return vault


def raw_column(db_url: str, table: str, column: str) -> list[Any]:
    """Every value of one column of a table, read straight from the database."""
    if not is_postgres(db_url):
        with closing(sqlite3.connect(db_url)) as conn:
            return [row[0] for row in conn.execute(f"SELECT {column} FROM {table}")]
    base, _, query = db_url.partition("?")
    schema = parse_qs(query)["schema"][0]
    statement = sql.SQL("SELECT {} FROM {}.{}").format(
        sql.Identifier(column), sql.Identifier(schema), sql.Identifier(table)
    )
    with psycopg.connect(base) as conn:
        return [row[0] for row in conn.execute(statement)]


def needles(vault: VaultRecord) -> list[bytes]:
    """The record's strings and salt, in every form a store might write them."""
    out = [base64.b64encode(vault.salt), vault.salt.hex().encode()]
    for value in vault.record.values():
        out += [value.encode("utf-8"), json.dumps(value).strip('"').encode()]
    return out


def test_the_vault_table_holds_only_ciphertext(story: Story, db_url: str) -> None:
    vault = register(story)
    sealed = [bytes(s) for s in raw_column(db_url, VAULT_TABLE, "sealed")]
    persons = raw_column(db_url, VAULT_TABLE, "person_id")
    assert persons == [vault.person_id]
    assert len(sealed) == 1 and len(sealed[0]) > len(json.dumps(RECORD))
    for needle in needles(vault):
        assert needle not in sealed[0], needle
    assert story.app.vault_record(vault.person_id) == vault


def test_no_personal_data_reaches_the_event_store(
    story: Story, app: LedgerApplication, db_url: str
) -> None:
    vault = register(story)
    newer = update(story, vault.person_id, {**RECORD, "phone": "0911222333"})
    table = app.recorder.events_table_name  # type: ignore[attr-defined]
    assert table == ("ledger_events" if is_postgres(db_url) else "stored_events")
    states = [bytes(s) for s in raw_column(db_url, table, "state")]
    assert len(states) >= story.app.size()
    # The scan sees the statements: each signed payload is stored verbatim.
    payloads = [e.envelope["payload"].encode() for e in story.app.entries()]
    assert all(any(p in s for s in states) for p in payloads)
    statements = [base64.b64decode(p) for p in payloads]
    assert any(vault.commitment.encode() in s for s in statements)
    for needle in needles(vault) + needles(newer):
        assert not any(needle in s for s in states), needle
        assert not any(needle in s for s in statements), needle


def test_a_pii_update_makes_the_new_record_the_current_one(story: Story) -> None:
    vault = register(story)
    newer = update(story, vault.person_id, {**RECORD, "address_detail": "Bản Mé, nhà số 3"})
    current = story.app.vault_record(vault.person_id)
    assert current == newer
    assert current is not None and current.commitment != vault.commitment


def test_erasing_a_person_keeps_every_entry_and_leaf_hash(story: Story, db_url: str) -> None:
    vault = register(story)
    other = register(story, {"full_name": "Lò Văn Pánh"})
    update(story, vault.person_id, {**RECORD, "phone": "0900000000"})
    before = [(e.index, e.envelope, e.leaf_hash) for e in story.app.entries()]
    assert story.app.erase_vault(vault.person_id) == 2  # the first record and its update
    assert story.app.vault_record(vault.person_id) is None
    assert [(e.index, e.envelope, e.leaf_hash) for e in story.app.entries()] == before
    assert raw_column(db_url, VAULT_TABLE, "person_id") == [other.person_id]
    assert story.app.vault_record(other.person_id) == other
    assert story.app.erase_vault(vault.person_id) == 0


def test_a_ledger_without_its_vault_key_records_no_personal_data(
    story: Story, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (VAULT_KEY_ENV, VAULT_KEY_FILE_ENV):
        monkeypatch.delenv(name, raising=False)
    keyless = LedgerApplication(db_url)
    try:
        vault = VaultRecord.new(new_id(), RECORD)
        body = {
            "person_id": vault.person_id,
            "household_id": story.household(),
            "relation": "head",
            "sex": "m",
            "birth_year": 1950,
            "pii": vault.commitment,
        }
        sub = story.o.sub("registrar", "person.registered", body, vault=(vault,))
        size = keyless.size()
        with pytest.raises(VaultKeyMissing):
            keyless.submit(sub)
        assert keyless.size() == size
    finally:
        keyless.close()
    assert story.submit(sub).index == size  # nothing was claimed: the keyed ledger records it
    assert story.app.vault_record(vault.person_id) == vault


def test_the_vault_answers_only_for_known_people(story: Story) -> None:
    hid = story.household()
    for not_a_person in (new_id(), hid, "not-a-uuid"):
        with pytest.raises(UnknownEntity) as err:
            story.app.vault_record(not_a_person)
        assert err.value.field == "person_id"
