"""The personal-data vault (FORMATS §5): commitments, records and their sealing.

A statement commits to a person's record by
``hex(SHA-256("ansinh/pii/v1\\n" || salt || JCS(record)))``. The record and
its salt arrive beside the statement, are checked against the commitment,
and are stored sealed with AES-256-GCM under the vault key, bound to the
person and commitment as associated data. Erasing a record leaves the log
verifiable: the log holds only the commitment. (Where sealed records are
stored is the recorders' business: :mod:`ledger.storage.recorder`.)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.errors import InvalidField, VaultKeyMissing, VaultRecordMismatch

PII_PREFIX = b"ansinh/pii/v1\n"
VAULT_KEY_ENV = "ANSINH_VAULT_KEY"
VAULT_KEY_FILE_ENV = "ANSINH_VAULT_KEY_FILE"
MAX_RECORD_BYTES = 16_384
_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def jcs(value: Any) -> bytes:
    import rfc8785

    return rfc8785.dumps(value)


def commitment(salt: bytes, record: dict[str, Any]) -> str:
    """The commitment a statement carries in its ``pii`` field."""
    return hashlib.sha256(PII_PREFIX + salt + jcs(record)).hexdigest()


@dataclass(frozen=True)
class VaultRecord:
    """A person's record and salt, as submitted beside a statement.

    Their :attr:`commitment` is what the statement's ``pii`` field must hold.
    """

    person_id: str
    salt: bytes
    record: dict[str, Any]

    @property
    def commitment(self) -> str:
        return commitment(self.salt, self.record)

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "salt": base64.b64encode(self.salt).decode(),
            "record": self.record,
        }

    @classmethod
    def new(cls, person_id: str, record: dict[str, Any]) -> VaultRecord:
        return cls(person_id=person_id, salt=os.urandom(32), record=record)


@dataclass(frozen=True)
class SealedRecord:
    """A vault record as stored: encrypted, bound to its person and commitment."""

    person_id: str
    commitment: str
    sealed: bytes
    recorded_at: str


def parse_vault_items(items: object, field: str = "vault") -> list[VaultRecord]:
    """Parse the ``vault`` list of a submission, naming the field of any error."""
    if not isinstance(items, list):
        raise InvalidField(field, "must be a list of {person_id, salt, record}")
    out = []
    for i, item in enumerate(items):
        where = f"{field}[{i}]"
        if not isinstance(item, dict):
            raise InvalidField(where, "must be an object")
        unknown = item.keys() - {"person_id", "salt", "record"}
        if unknown:
            raise InvalidField(f"{where}.{sorted(unknown)[0]}", "unknown field")
        for key in ("person_id", "salt", "record"):
            if key not in item:
                raise InvalidField(f"{where}.{key}", "missing")
        if not isinstance(item["person_id"], str) or not _UUID_RE.fullmatch(item["person_id"]):
            raise InvalidField(f"{where}.person_id", "must be a lowercase UUID")
        try:
            salt = base64.b64decode(item["salt"], validate=True)
        except (binascii.Error, ValueError, TypeError):
            raise InvalidField(f"{where}.salt", "must be base64") from None
        if len(salt) != 32:
            raise InvalidField(f"{where}.salt", "must be 32 random bytes")
        record = item["record"]
        if not isinstance(record, dict) or not record:
            raise InvalidField(f"{where}.record", "must be a non-empty object")
        try:
            size = len(jcs(record))
        except Exception:
            raise InvalidField(f"{where}.record", "cannot be canonicalised (RFC 8785)") from None
        if size > MAX_RECORD_BYTES:
            raise InvalidField(f"{where}.record", f"larger than {MAX_RECORD_BYTES} bytes")
        out.append(VaultRecord(person_id=item["person_id"], salt=salt, record=record))
    return out


def check_commitment(record: VaultRecord, person_id: str, pii: str) -> None:
    """Refuse a vault record that does not open the statement's commitment."""
    if record.person_id != person_id:
        raise VaultRecordMismatch(
            f"vault.person_id: {record.person_id} is not the statement's person {person_id}",
            field="vault.person_id",
        )
    if record.commitment != pii:
        raise VaultRecordMismatch(
            "vault.record: record and salt do not match body.pii", field="vault.record"
        )


class VaultKey:
    """AES-256-GCM sealing of vault records."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise InvalidField("vault_key", "must be 32 bytes (base64 in the key file)")
        self._aead = AESGCM(key)
        self.fingerprint = hashlib.sha256(b"ansinh/vault-key\n" + key).hexdigest()[:16]

    @classmethod
    def generate(cls) -> bytes:
        return AESGCM.generate_key(bit_length=256)

    @classmethod
    def load(cls, path: str | Path | None = None) -> VaultKey:
        """From a key file, else ``ANSINH_VAULT_KEY`` (base64), else ``ANSINH_VAULT_KEY_FILE``."""
        text: str | None = None
        if path is None and not os.environ.get(VAULT_KEY_ENV):
            path = os.environ.get(VAULT_KEY_FILE_ENV) or None
        try:
            if path is not None:
                text = Path(path).read_text()
            elif os.environ.get(VAULT_KEY_ENV):
                text = os.environ[VAULT_KEY_ENV]
        except OSError as exc:
            raise VaultKeyMissing(
                f"vault key: cannot read {path}: {exc.strerror}", field="vault_key"
            ) from None
        if text is None:
            raise VaultKeyMissing(
                "vault key: give --vault-key FILE or set ANSINH_VAULT_KEY", field="vault_key"
            )
        try:
            return cls(base64.b64decode(text.strip(), validate=True))
        except (binascii.Error, ValueError):
            raise InvalidField("vault_key", "key file must hold 32 bytes in base64") from None

    @staticmethod
    def write(path: Path, key: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(key).decode() + "\n")

    def seal(self, record: VaultRecord, recorded_at: str) -> SealedRecord:
        nonce = os.urandom(12)
        plain = json.dumps(
            {"salt": base64.b64encode(record.salt).decode(), "record": record.record},
            ensure_ascii=False,
        ).encode()
        aad = f"{record.person_id}/{record.commitment}".encode()
        return SealedRecord(
            person_id=record.person_id,
            commitment=record.commitment,
            sealed=nonce + self._aead.encrypt(nonce, plain, aad),
            recorded_at=recorded_at,
        )

    def open(self, sealed: SealedRecord) -> VaultRecord:
        aad = f"{sealed.person_id}/{sealed.commitment}".encode()
        try:
            plain = self._aead.decrypt(sealed.sealed[:12], sealed.sealed[12:], aad)
        except Exception:
            raise VaultRecordMismatch(
                f"vault record of {sealed.person_id} does not open with this vault key",
                field="vault_key",
            ) from None
        obj = json.loads(plain)
        return VaultRecord(
            person_id=sealed.person_id, salt=base64.b64decode(obj["salt"]), record=obj["record"]
        )
