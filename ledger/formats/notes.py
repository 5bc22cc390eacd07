"""C2SP signed notes, tlog checkpoints and tlog-cosignature v1 (Ed25519).

A signed note (c2sp.org/signed-note) is a text ending in a newline, a blank
line, then one or more signature lines ``— <name> base64(key id4 || sig)\\n``
(U+2014 EM DASH, a space, the key name, a space, the base64 blob). The key id
is SHA-256(name || 0x0A || signature type || public key)[:4].

A checkpoint (c2sp.org/tlog-checkpoint) is a note whose text is
``<origin>\\n<tree size>\\n<base64 root hash>\\n`` plus optional non-empty
extension lines. The ledger's notary signs it with an Ed25519 note signature
(type 0x01) over the note text, final newline included (FORMATS §4).

A cosignature (c2sp.org/tlog-cosignature, v1 Ed25519, type 0x04) is one more
signature line whose blob is key id4 || u64 big-endian timestamp || Ed25519
signature over ``cosignature/v1\\ntime <timestamp>\\n`` followed by the note
text of the checkpoint.

Verifiers ignore signature lines whose (name, key id) they do not know.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

__all__ = [
    "SIG_COSIGNATURE_V1",
    "SIG_ED25519",
    "Checkpoint",
    "NoteError",
    "NoteSignature",
    "SignedNote",
    "checkpoint_body",
    "cosign",
    "cosignature_message",
    "key_id4",
    "open_checkpoint",
    "parse_note",
    "parse_signed_note",
    "sign_checkpoint",
    "sign_note",
    "signature_line",
    "verify_cosignature",
    "verify_note_signature",
]

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04

EM_DASH = "\u2014"
_SIG_PREFIX = EM_DASH + " "
_HASH_SIZE = 32
_PUBLIC_KEY_SIZE = 32
_ED25519_SIG_SIZE = 64
_TIMESTAMP_SIZE = 8
_MAX_SIGNATURES = 100
_MAX_TREE_SIZE = 2**64 - 1
_MAX_TIMESTAMP = 2**63 - 1
_DECIMAL = re.compile(r"0|[1-9][0-9]*")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")

PublicKey = bytes | VerifyKey


class NoteError(ValueError):
    """A malformed note or checkpoint, or a signature that does not verify."""


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a note: key name, 4-byte key id and signature bytes."""

    name: str
    key_id: bytes
    signature: bytes
    line: str


@dataclass(frozen=True)
class SignedNote:
    """A parsed signed note: its text (final newline included) and signature lines."""

    text: str
    signatures: tuple[NoteSignature, ...]


@dataclass(frozen=True)
class Checkpoint:
    """A parsed checkpoint note. ``body`` is the signed note text."""

    origin: str
    size: int
    root: bytes
    body: str
    extensions: tuple[str, ...]
    signatures: tuple[NoteSignature, ...]

    @property
    def signature_lines(self) -> tuple[str, ...]:
        """The signature lines as they appear in the note, newline included."""
        return tuple(sig.line for sig in self.signatures)


def _raw_public_key(public_key: PublicKey) -> bytes:
    raw = public_key.encode() if isinstance(public_key, VerifyKey) else bytes(public_key)
    if len(raw) != _PUBLIC_KEY_SIZE:
        raise ValueError(f"an Ed25519 public key is {_PUBLIC_KEY_SIZE} bytes, got {len(raw)}")
    return raw


def _is_valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _is_valid_name(name):
        raise NoteError(f"key name {name!r} must be non-empty, without spaces or '+'")


def _b64decode(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError(f"{what} is not standard padded base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise NoteError(f"{what} is not canonical base64")
    return raw


def _as_text(note: str | bytes) -> str:
    if isinstance(note, bytes | bytearray | memoryview):
        try:
            return bytes(note).decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("note is not valid UTF-8") from None
    if not isinstance(note, str):
        raise NoteError("note must be text")
    try:
        note.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteError("note is not valid UTF-8") from None
    return note


def key_id4(name: str, public_key: PublicKey, sig_type: int = SIG_ED25519) -> bytes:
    """The 4-byte note key id: SHA-256(name || 0x0A || sig_type || public key)[:4]."""
    if not 0 <= sig_type <= 0xFF:
        raise ValueError(f"signature type {sig_type} is not a byte")
    raw = _raw_public_key(public_key)
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sig_type]) + raw).digest()[:4]


def signature_line(name: str, key_id: bytes, signature: bytes) -> str:
    """The note signature line ``— <name> base64(key_id || signature)\\n``."""
    _check_name(name)
    if len(key_id) != 4:
        raise ValueError("a note key id is 4 bytes")
    blob = base64.b64encode(bytes(key_id) + bytes(signature)).decode("ascii")
    return f"{_SIG_PREFIX}{name} {blob}\n"


def parse_signed_note(note: str | bytes) -> SignedNote:
    """Split a signed note into its text and signature lines; raise NoteError if malformed.

    Follows c2sp.org/signed-note: valid UTF-8, no control characters but
    newline, the text ends at the last blank line, and every line after it is
    a well-formed signature line. Signatures are not checked here.
    """
    text = _as_text(note)
    if _CONTROL.search(text):
        raise NoteError("note contains a control character other than newline")
    split = text.rfind("\n\n")
    if split < 0:
        raise NoteError("note has no blank line before its signatures")
    body, block = text[: split + 1], text[split + 2 :]
    if not block:
        raise NoteError("note has no signature lines")
    if not block.endswith("\n"):
        raise NoteError("note does not end with a newline")
    lines = block[:-1].split("\n")
    if len(lines) > _MAX_SIGNATURES:
        raise NoteError(f"note has more than {_MAX_SIGNATURES} signature lines")
    signatures: list[NoteSignature] = []
    for number, line in enumerate(lines, start=1):
        if not line.startswith(_SIG_PREFIX):
            raise NoteError(f"signature line {number} does not start with an em dash and a space")
        name, _, blob = line[len(_SIG_PREFIX) :].partition(" ")
        if not _is_valid_name(name):
            raise NoteError(f"signature line {number} has an invalid key name {name!r}")
        if not blob:
            raise NoteError(f"signature line {number} has no signature")
        raw = _b64decode(blob, f"signature line {number}")
        if len(raw) < 5:
            raise NoteError(f"signature line {number} is too short for a key id and signature")
        signatures.append(NoteSignature(name, raw[:4], raw[4:], line + "\n"))
    return SignedNote(body, tuple(signatures))


def _parse_checkpoint_body(body: str) -> tuple[str, int, bytes, tuple[str, ...]]:
    if not body.endswith("\n"):
        raise NoteError("checkpoint text does not end with a newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("checkpoint needs an origin, a tree size and a root hash line")
    origin, size_text, root_text, *extensions = lines
    if not origin:
        raise NoteError("checkpoint origin line is empty")
    if not _DECIMAL.fullmatch(size_text):
        raise NoteError(f"checkpoint tree size {size_text!r} is not a decimal without leading 0")
    size = int(size_text)
    if size > _MAX_TREE_SIZE:
        raise NoteError("checkpoint tree size does not fit in 64 bits")
    root = _b64decode(root_text, "checkpoint root hash")
    if len(root) != _HASH_SIZE:
        raise NoteError(f"checkpoint root hash is {len(root)} bytes, not {_HASH_SIZE}")
    if any(not line for line in extensions):
        raise NoteError("checkpoint has an empty extension line")
    return origin, size, root, tuple(extensions)


def parse_note(note: str | bytes) -> Checkpoint:
    """Parse a checkpoint note; raise NoteError naming the problem if malformed.

    Signatures are parsed but not verified: use :func:`open_checkpoint` or
    :func:`verify_note_signature` for that.
    """
    signed = parse_signed_note(note)
    origin, size, root, extensions = _parse_checkpoint_body(signed.text)
    return Checkpoint(origin, size, root, signed.text, extensions, signed.signatures)


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The checkpoint note text ``<origin>\\n<size>\\n<base64 root>\\n``."""
    if not isinstance(origin, str) or not origin:
        raise NoteError("checkpoint origin must be a non-empty string")
    if "\n" in origin or _CONTROL.search(origin):
        raise NoteError("checkpoint origin must not contain control characters")
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= _MAX_TREE_SIZE:
        raise NoteError(f"checkpoint tree size {size!r} is not a 64-bit unsigned integer")
    if len(root) != _HASH_SIZE:
        raise NoteError(f"checkpoint root hash must be {_HASH_SIZE} bytes, got {len(root)}")
    return f"{origin}\n{size}\n{base64.b64encode(bytes(root)).decode('ascii')}\n"


def sign_note(text: str, name: str, signing_key: SigningKey) -> str:
    """Sign a note text (ending in a newline) with an Ed25519 note signature (type 0x01)."""
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    _check_name(name)
    key_id = key_id4(name, signing_key.verify_key, SIG_ED25519)
    signature = signing_key.sign(text.encode("utf-8")).signature
    return text + "\n" + signature_line(name, key_id, signature)


def sign_checkpoint(origin: str, size: int, root: bytes, name: str, signing_key: SigningKey) -> str:
    """The checkpoint for (origin, size, root), signed by ``name`` with ``signing_key``."""
    return sign_note(checkpoint_body(origin, size, root), name, signing_key)


def _ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    if len(signature) != _ED25519_SIG_SIZE:
        return False
    try:
        VerifyKey(public_key).verify(message, signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def _known_signatures(
    signed: SignedNote, name: str, public_key: bytes, sig_type: int
) -> list[NoteSignature]:
    key_id = key_id4(name, public_key, sig_type)
    return [sig for sig in signed.signatures if sig.name == name and sig.key_id == key_id]


def verify_note_signature(note: str | bytes, name: str, public_key: PublicKey) -> bool:
    """Whether ``name`` with ``public_key`` signed the note (Ed25519, type 0x01).

    True only if at least one line carries this name and key id and every
    such line verifies. Lines from other keys are ignored. Raises NoteError if
    the note itself is malformed.
    """
    raw_key = _raw_public_key(public_key)
    signed = parse_signed_note(note)
    matching = _known_signatures(signed, name, raw_key, SIG_ED25519)
    message = signed.text.encode("utf-8")
    return bool(matching) and all(
        _ed25519_verify(raw_key, message, sig.signature) for sig in matching
    )


def open_checkpoint(
    note: str | bytes, name: str, public_key: PublicKey, *, origin: str | None = None
) -> Checkpoint:
    """Parse a checkpoint and require a valid note signature from ``name``.

    If ``origin`` is given, the checkpoint's origin line must equal it.
    Raises NoteError otherwise.
    """
    checkpoint = parse_note(note)
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"checkpoint origin {checkpoint.origin!r} is not {origin!r}")
    if not verify_note_signature(note, name, public_key):
        raise NoteError(f"checkpoint has no valid signature from {name!r} with this key")
    return checkpoint


def cosignature_message(body: str, timestamp: int) -> bytes:
    """The tlog-cosignature v1 signed message for a checkpoint note text."""
    _check_timestamp(timestamp)
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


def _check_timestamp(timestamp: int) -> None:
    if isinstance(timestamp, bool) or not isinstance(timestamp, int):
        raise NoteError("cosignature timestamp must be an integer")
    if not 0 <= timestamp <= _MAX_TIMESTAMP:
        raise NoteError(f"cosignature timestamp {timestamp} is outside 0..2^63-1")


def cosign(checkpoint_text: str | bytes, name: str, signing_key: SigningKey, timestamp: int) -> str:
    """A tlog-cosignature v1 line (type 0x04) for a signed checkpoint note.

    Returns ``— <name> base64(key id4 || u64 timestamp || signature)\\n``; append
    it to the note to add the cosignature. The caller is responsible for having
    checked the checkpoint (log signature, consistency) before cosigning.
    """
    _check_name(name)
    checkpoint = parse_note(checkpoint_text)
    message = cosignature_message(checkpoint.body, timestamp)
    key_id = key_id4(name, signing_key.verify_key, SIG_COSIGNATURE_V1)
    signature = signing_key.sign(message).signature
    return signature_line(name, key_id, timestamp.to_bytes(_TIMESTAMP_SIZE, "big") + signature)


def verify_cosignature(checkpoint_text: str | bytes, name: str, public_key: PublicKey) -> int:
    """Verify the v1 cosignature of ``name`` on a checkpoint and return its timestamp.

    Every line with this name and key id must verify; if there are several,
    the latest timestamp is returned. Raises NoteError if the note is
    malformed, has no such line, or a line does not verify.
    """
    raw_key = _raw_public_key(public_key)
    checkpoint = parse_note(checkpoint_text)
    signed = SignedNote(checkpoint.body, checkpoint.signatures)
    matching = _known_signatures(signed, name, raw_key, SIG_COSIGNATURE_V1)
    if not matching:
        raise NoteError(f"checkpoint has no cosignature from {name!r} with this key")
    timestamps: list[int] = []
    for sig in matching:
        if len(sig.signature) != _TIMESTAMP_SIZE + _ED25519_SIG_SIZE:
            raise NoteError(f"cosignature from {name!r} is not a timestamp and a signature")
        timestamp = int.from_bytes(sig.signature[:_TIMESTAMP_SIZE], "big")
        if timestamp > _MAX_TIMESTAMP:
            raise NoteError(f"cosignature from {name!r} has a timestamp above 2^63-1")
        message = cosignature_message(checkpoint.body, timestamp)
        if not _ed25519_verify(raw_key, message, sig.signature[_TIMESTAMP_SIZE:]):
            raise NoteError(f"cosignature from {name!r} does not verify")
        timestamps.append(timestamp)
    return max(timestamps)
