"""Ed25519 keys: generation, key ids, key files, strict public-key checks.

A key id is ``hex(SHA-256(raw public key))`` (FORMATS §1). Private keys live
in PKCS#8 PEM files, optionally passphrase-encrypted, readable only by their
owner (0600). Public keys are refused unless they are canonical encodings of
a point of prime order: OpenSSL-backed libraries accept signatures under
small-order keys for any message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import nacl.bindings
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ledger.errors import BadPublicKey, BadSignature, InvalidField

PUBLIC_KEY_BYTES = 32
SIGNATURE_BYTES = 64


def key_id(public_key: bytes) -> str:
    """The key id of a raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key).hexdigest()


def check_public_key(public_key: bytes, field: str = "public_key") -> None:
    """Refuse a key that is not a canonical point of prime order."""
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise BadPublicKey(f"{field}: must be 32 bytes", field=field)
    if not nacl.bindings.crypto_core_ed25519_is_valid_point(public_key):
        raise BadPublicKey(
            f"{field}: not a canonical Ed25519 point of prime order (small-order or invalid)",
            field=field,
        )


def decode_public_key(text: object, field: str = "public_key") -> bytes:
    """Decode a base64 public key and check it strictly."""
    if not isinstance(text, str):
        raise InvalidField(field, "must be a base64 string")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidField(field, "must be base64 (standard alphabet, padded)") from None
    if base64.b64encode(raw).decode() != text:
        raise InvalidField(field, "must be canonical base64")
    check_public_key(raw, field)
    return raw


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> None:
    """Strict Ed25519 verification (libsodium): raises BadSignature."""
    if len(signature) != SIGNATURE_BYTES:
        raise BadSignature("signature: must be 64 bytes", field="signatures[0].sig")
    try:
        nacl.bindings.crypto_sign_open(signature + message, public_key)
    except Exception:  # nacl raises BadSignatureError or ValueError
        raise BadSignature("signature does not verify", field="signatures[0].sig") from None


@dataclass(frozen=True)
class KeyPair:
    """An Ed25519 signing key held in memory."""

    seed: bytes
    public_key: bytes
    secret: bytes = b""

    @classmethod
    def generate(cls) -> KeyPair:
        return cls.from_seed(os.urandom(32))

    @classmethod
    def from_seed(cls, seed: bytes) -> KeyPair:
        public_key, secret = nacl.bindings.crypto_sign_seed_keypair(seed)
        return cls(seed=seed, public_key=public_key, secret=secret)

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    @property
    def public_key_b64(self) -> str:
        return base64.b64encode(self.public_key).decode()

    def sign(self, message: bytes) -> bytes:
        signed: bytes = nacl.bindings.crypto_sign(message, self.secret)
        return signed[:SIGNATURE_BYTES]

    def to_pem(self, passphrase: bytes | None = None) -> bytes:
        encryption: serialization.KeySerializationEncryption = (
            serialization.BestAvailableEncryption(passphrase)
            if passphrase
            else serialization.NoEncryption()
        )
        return Ed25519PrivateKey.from_private_bytes(self.seed).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @classmethod
    def from_pem(cls, pem: bytes, passphrase: bytes | None = None) -> KeyPair:
        try:
            key = serialization.load_pem_private_key(pem, password=passphrase or None)
        except TypeError as exc:
            raise InvalidField("key", f"key file passphrase: {exc}") from None
        except ValueError:
            raise InvalidField(
                "key", "not a PKCS#8 PEM Ed25519 key, or the passphrase is wrong"
            ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise InvalidField("key", "not an Ed25519 private key")
        seed = key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return cls.from_seed(seed)


def write_key_file(path: Path, pair: KeyPair, passphrase: bytes | None = None) -> None:
    """Write a private key as PKCS#8 PEM, created 0600, never overwriting."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pair.to_pem(passphrase))


def read_key_file(path: Path, passphrase: bytes | None = None) -> KeyPair:
    """Read a private key file written by :func:`write_key_file`."""
    try:
        pem = Path(path).read_bytes()
    except OSError as exc:
        raise InvalidField("key", f"cannot read key file {path}: {exc.strerror}") from None
    return KeyPair.from_pem(pem, passphrase)
