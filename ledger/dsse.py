"""Statements in DSSE v1 envelopes (FORMATS §2-3).

``payload = JCS(statement)``; the signature covers
``PAE(payloadType, payload)``. :func:`open_envelope` checks the envelope's
shape, that the payload is canonical and valid, and that exactly one
signature is by the statement's author; the signature itself is checked
against the author's registered key by :func:`verify`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

from ledger.errors import InvalidField, MalformedError, NonCanonicalPayload
from ledger.keys import KeyPair, verify_signature
from ledger.schemas import validate_statement

PAYLOAD_TYPE = "application/vnd.ansinh.statement+json"
_KEY_ID = re.compile(r"[0-9a-f]{64}")
_ENVELOPE_KEYS = frozenset({"payloadType", "payload", "signatures"})


def jcs(value: Any) -> bytes:
    """RFC 8785 canonical JSON, UTF-8."""
    return rfc8785.dumps(value)


def leaf_json(value: Any) -> bytes:
    """JCS of a value whose keys and strings are all printable ASCII.

    For such values the standard library's sorted, compact JSON is byte for
    byte RFC 8785 (integers below 2**53, no floats); log entries are such
    values once :func:`open_envelope` has checked every signature entry, and
    this is six times faster than the general canonicaliser.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def is_canonical(statement: Any, payload: bytes) -> bool:
    """Whether ``payload`` is JCS(statement).

    A fast comparison with sorted compact JSON first: when the statement then
    passes validation (known ASCII keys, no floats) that equality implies
    JCS equality. Any difference is settled by the RFC 8785 canonicaliser.
    """
    try:
        quick = json.dumps(
            statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except UnicodeEncodeError:
        quick = b""
    if quick == payload:
        return True
    try:
        return jcs(statement) == payload
    except Exception:  # rfc8785 refuses lone surrogates, huge integers, NaN
        raise InvalidField("payload", "cannot be canonicalised (RFC 8785)") from None


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding."""
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def utc_now() -> str:
    """The current UTC time as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_nonce() -> str:
    return os.urandom(16).hex()


def make_statement(
    ledger: str,
    type_: str,
    body: dict[str, Any],
    by: str,
    at: str | None = None,
    nonce: str | None = None,
) -> dict[str, Any]:
    """Assemble a statement; ``at`` defaults to now (seconds) and ``nonce`` to random."""
    return {
        "ledger": ledger,
        "type": type_,
        "by": by,
        "at": at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "nonce": nonce or new_nonce(),
        "body": body,
    }


def sign_statement(statement: dict[str, Any], key: KeyPair) -> dict[str, Any]:
    """Validate and sign a statement; returns the DSSE envelope as a dict."""
    validate_statement(statement)
    payload = jcs(statement)
    sig = key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": key.key_id, "sig": base64.b64encode(sig).decode()}],
    }


@dataclass(frozen=True)
class SignedStatement:
    """An envelope whose shape and payload have been checked (not yet its signature)."""

    envelope: dict[str, Any]
    payload: bytes
    statement: dict[str, Any]
    signature: bytes

    @property
    def type(self) -> str:
        return str(self.statement["type"])

    @property
    def by(self) -> str:
        return str(self.statement["by"])

    @property
    def nonce(self) -> str:
        return str(self.statement["nonce"])

    @property
    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = self.statement["body"]
        return body

    @property
    def digest(self) -> str:
        """SHA-256 of the envelope's canonical bytes: equal iff byte-identical."""
        return hashlib.sha256(leaf_json(self.envelope)).hexdigest()

    def verify(self, public_key: bytes) -> None:
        verify_signature(public_key, pae(PAYLOAD_TYPE, self.payload), self.signature)


def _b64(value: object, field: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidField(field, "must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidField(field, "must be base64 (standard alphabet, padded)") from None


def open_envelope(envelope: object) -> SignedStatement:
    """Check an envelope's shape and canonical, valid payload."""
    if not isinstance(envelope, dict):
        raise MalformedError("envelope: must be a JSON object", field="envelope")
    missing = _ENVELOPE_KEYS - envelope.keys()
    if missing:
        raise InvalidField(sorted(missing)[0], "missing")
    unknown = envelope.keys() - _ENVELOPE_KEYS
    if unknown:
        raise InvalidField(sorted(unknown)[0], "unknown field")
    if envelope["payloadType"] != PAYLOAD_TYPE:
        raise InvalidField("payloadType", f"must be {PAYLOAD_TYPE}")
    payload = _b64(envelope["payload"], "payload")
    try:
        statement = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidField("payload", "must be UTF-8 JSON") from None
    if not is_canonical(statement, payload):
        raise NonCanonicalPayload(
            "payload: not canonical JSON (RFC 8785): sign JCS(statement)", field="payload"
        )
    validate_statement(statement)
    signatures = envelope["signatures"]
    if not isinstance(signatures, list) or not signatures:
        raise InvalidField("signatures", "must be a non-empty list")
    by = statement["by"]
    mine = []
    for i, sig in enumerate(signatures):
        if not isinstance(sig, dict) or set(sig) != {"keyid", "sig"}:
            raise InvalidField(f"signatures[{i}]", "must be an object with keyid and sig")
        if not isinstance(sig["keyid"], str) or not _KEY_ID.fullmatch(sig["keyid"]):
            raise InvalidField(f"signatures[{i}].keyid", "must be a key id (64 hex)")
        raw = _b64(sig["sig"], f"signatures[{i}].sig")
        if len(raw) != 64 or base64.b64encode(raw).decode() != sig["sig"]:
            raise InvalidField(f"signatures[{i}].sig", "must be a 64-byte signature in base64")
        if sig["keyid"] == by:
            mine.append(raw)
    if len(mine) != 1:
        raise InvalidField("signatures", "exactly one signature must be by statement.by")
    return SignedStatement(
        envelope=envelope, payload=payload, statement=statement, signature=mine[0]
    )


def parse_envelope_json(text: str | bytes) -> SignedStatement:
    try:
        obj = json.loads(text)
    except ValueError:
        raise MalformedError("envelope: not valid JSON", field="envelope") from None
    return open_envelope(obj)
