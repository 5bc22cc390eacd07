"""Statements in DSSE v1 envelopes (FORMATS §2-3).

``payload = JCS(statement)``; the signature covers
``PAE(payloadType, payload)``. :func:`open_envelope` checks the envelope's
shape, that the payload is canonical and valid, and that it holds exactly
one signature, by the statement's author (FORMATS 1.1; v1 allowed others);
the signature itself is checked against the author's key by :func:`verify`.
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
from functools import cached_property
from typing import Any

import orjson
import rfc8785

from ledger.errors import InvalidField, LedgerError, MalformedError, NonCanonicalPayload
from ledger.formats import versions
from ledger.formats.jsontext import loads, loads_exact
from ledger.formats.keys import KeyPair, verify_signature
from ledger.formats.schemas import validate_statement
from ledger.formats.versions import V1

PAYLOAD_TYPE = "application/vnd.ansinh.statement+json"
_KEY_ID = re.compile(r"[0-9a-f]{64}")
_ENVELOPE_KEYS = frozenset({"payloadType", "payload", "signatures"})
_SIGNATURE_KEYS = frozenset({"keyid", "sig"})


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


def leaf_bytes(index: int, recorded_at: str, envelope: bytes) -> bytes:
    """The leaf bytes of an entry (FORMATS §4), from its envelope's canonical bytes.

    ``JCS({"envelope", "index", "recorded_at"})``: the keys are already in
    order, and ``recorded_at`` is a timestamp the ledger wrote (digits, ``-:.TZ``).
    """
    return b'{"envelope":%b,"index":%d,"recorded_at":"%b"}' % (
        envelope,
        index,
        recorded_at.encode(),
    )


def leaf_hash(index: int, recorded_at: str, envelope: bytes) -> bytes:
    """RFC 9162 leaf hash of :func:`leaf_bytes`, without building them."""
    digest = hashlib.sha256(b'\x00{"envelope":')
    digest.update(envelope)
    digest.update(b',"index":%d,"recorded_at":"%b"}' % (index, recorded_at.encode()))
    return digest.digest()


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


def sign_statement(
    statement: dict[str, Any], key: KeyPair, *, validate: bool = True
) -> dict[str, Any]:
    """Validate and sign a statement; returns the DSSE envelope as a dict.

    ``validate=False`` signs whatever it is given, as a careless or hostile
    client could (for tests of what the ledger refuses).
    """
    if validate:
        validate_statement(statement)
    payload = jcs(statement)
    sig = key.sign(pae(PAYLOAD_TYPE, payload))
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [{"keyid": key.key_id, "sig": base64.b64encode(sig).decode()}],
    }


class Envelope(dict[str, Any]):
    """An envelope as :func:`open_envelope` accepted it, and what that computed.

    The JSON object itself, with its keys in canonical order; ``canonical``,
    its RFC 8785 bytes (log leaves and stored events embed them as they are);
    ``statement``, its decoded payload. Treat it as read-only: the bytes were
    computed once, from the values that were checked.
    """

    __slots__ = ("canonical", "statement")
    canonical: bytes
    statement: dict[str, Any]


@dataclass(frozen=True)
class SignedStatement:
    """An envelope whose shape and payload have been checked (not yet its signature).

    ``validated`` is False for a statement opened with its validation
    deferred (:func:`open_envelope`): it is canonical and has the top-level
    fields, but its body has not been checked against its type's schema yet;
    :func:`check_deferred` does that, with the refusal opening it would give.
    """

    envelope: dict[str, Any]
    payload: bytes
    statement: dict[str, Any]
    signature: bytes
    validated: bool = True

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
    def canonical(self) -> bytes:
        """The envelope's RFC 8785 bytes."""
        envelope = self.envelope
        if isinstance(envelope, Envelope):
            return envelope.canonical
        return leaf_json(envelope)

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the envelope's canonical bytes: equal iff byte-identical."""
        return hashlib.sha256(self.canonical).hexdigest()

    def verify(self, public_key: bytes) -> None:
        verify_signature(public_key, pae(PAYLOAD_TYPE, self.payload), self.signature)


def _b64(value: object, field: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidField(field, "must be a base64 string")
    try:
        return binascii.a2b_base64(value, strict_mode=True)  # = b64decode(validate=True), faster
    except (binascii.Error, ValueError):
        raise InvalidField(field, "must be base64 (standard alphabet, padded)") from None


def open_envelope(
    envelope: object, *, defer_validation: bool = False, formats: str | None = None
) -> SignedStatement:
    """Check an envelope's shape and canonical, valid payload.

    ``defer_validation``: leave the statement's schema to be checked later
    (by the signature helper, beside the rules: a batch's statements); the
    statement is still decoded, proven canonical and given its top-level
    fields here, and any other refusal of the envelope is preceded by the
    statement's own, as without deferral.

    ``formats``: the version to meet, by default the one new statements are
    accepted under; V1 for an entry read back (it met v1's rules when recorded).
    """
    if not isinstance(envelope, dict):
        raise MalformedError("envelope: must be a JSON object", field="envelope")
    if envelope.keys() != _ENVELOPE_KEYS:
        missing = _ENVELOPE_KEYS - envelope.keys()
        if missing:
            raise InvalidField(sorted(missing)[0], "missing")
        raise InvalidField(sorted(envelope.keys() - _ENVELOPE_KEYS)[0], "unknown field")
    if envelope["payloadType"] != PAYLOAD_TYPE:
        raise InvalidField("payloadType", f"must be {PAYLOAD_TYPE}")
    payload_b64 = envelope["payload"]
    payload = _b64(payload_b64, "payload")
    formats = formats or versions.ACCEPTING
    assert formats == versions.ACCEPTING or not defer_validation, "only acceptance defers"
    statement, validated = _statement(payload, defer=defer_validation, formats=formats)
    signatures = envelope["signatures"]
    try:
        if formats != V1:
            check_one_signature(signatures)
        return _signed(payload_b64, payload, statement, signatures, validated)
    except LedgerError:
        if not validated:
            _statement(payload)  # the statement's own refusal comes first, as without deferral
        raise


def check_one_signature(signatures: object) -> None:
    """FORMATS 1.1: an envelope holds exactly one signature (more are MALFORMED)."""
    if isinstance(signatures, list) and len(signatures) > 1:
        raise MalformedError(
            f"signatures: must hold exactly one signature, not {len(signatures)} (FORMATS 1.1)",
            field="signatures",
        )


def _signed(
    payload_b64: str,
    payload: bytes,
    statement: dict[str, Any],
    signatures: object,
    validated: bool,
) -> SignedStatement:
    """The checks of the signature entries, then the statement they sign."""
    if not isinstance(signatures, list) or not signatures:
        raise InvalidField("signatures", "must be a non-empty list")
    by = statement["by"]
    mine = []
    for i, sig in enumerate(signatures):
        if not isinstance(sig, dict) or sig.keys() != _SIGNATURE_KEYS:
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
        envelope=_accepted(payload_b64, signatures, statement),
        payload=payload,
        statement=statement,
        signature=mine[0],
        validated=validated,
    )


def check_deferred(signed: SignedStatement) -> None:
    """Refuse a statement opened with its validation deferred, if opening it would have."""
    if not signed.validated:
        _statement(signed.payload)


def _accepted(
    payload_b64: str, signatures: list[dict[str, str]], statement: dict[str, Any]
) -> Envelope:
    """The envelope in canonical key order, with its RFC 8785 bytes.

    Every string in it was just checked to be base64 or hex, so none needs
    escaping and the canonical bytes can be written out directly.
    """
    envelope = Envelope(
        payload=payload_b64,
        payloadType=PAYLOAD_TYPE,
        signatures=[{"keyid": sig["keyid"], "sig": sig["sig"]} for sig in signatures],
    )
    signed_by = ",".join(f'{{"keyid":"{sig["keyid"]}","sig":"{sig["sig"]}"}}' for sig in signatures)
    envelope.canonical = (
        f'{{"payload":"{payload_b64}","payloadType":"{PAYLOAD_TYPE}","signatures":[{signed_by}]}}'
    ).encode()
    envelope.statement = statement
    return envelope


def _statement(
    payload: bytes, *, defer: bool = False, formats: str | None = None
) -> tuple[dict[str, Any], bool]:
    """The statement a payload holds, if the payload is JCS of a valid statement; validated?

    Fast path: orjson parses and re-serialises in a few microseconds. When its
    sorted output is the payload itself and the statement is valid, the payload
    is JCS (orjson escapes every character exactly as RFC 8785 does, and a
    valid statement holds only known ASCII keys, strings and safe integers);
    nor can it repeat a key (orjson keeps one of each). Anything else goes
    the reference way, which also decides which refusal to give, so refusals
    do not depend on the fast path.

    ``defer``: on the fast path, a statement with the top-level fields of one
    is returned unvalidated (False); whether it is valid is then exactly
    whether ``validate_statement`` accepts it, and if not, calling this again
    without ``defer`` gives the refusal.
    """
    try:
        statement = orjson.loads(payload)
        quick = orjson.dumps(statement, option=orjson.OPT_SORT_KEYS) == payload
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        quick = False
    if quick:
        if defer and _has_top_level_fields(statement):
            return statement, False
        try:
            validate_statement(statement, formats)
        except LedgerError:
            pass
        else:
            assert isinstance(statement, dict)
            return statement, True
    return _statement_reference(payload, formats), True


_TOP_LEVEL_STRINGS = ("ledger", "type", "by", "at", "nonce")


def _has_top_level_fields(statement: object) -> bool:
    """Whether what acceptance reads before any rule (author, nonce, type...) is there."""
    return (
        type(statement) is dict
        and all(type(statement.get(name)) is str for name in _TOP_LEVEL_STRINGS)
        and type(statement.get("body")) is dict
    )


def _statement_reference(payload: bytes, formats: str | None = None) -> dict[str, Any]:
    try:
        statement = loads_exact(payload.decode("utf-8"), "payload")  # a repeated key: MALFORMED
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidField("payload", "must be UTF-8 JSON") from None
    if not is_canonical(statement, payload):
        raise NonCanonicalPayload(
            "payload: not canonical JSON (RFC 8785): sign JCS(statement)", field="payload"
        )
    validate_statement(statement, formats)
    assert isinstance(statement, dict)
    return statement


def parse_envelope_json(text: str | bytes) -> SignedStatement:
    try:
        obj = loads(text, "envelope")
    except (ValueError, RecursionError):
        raise MalformedError("envelope: not valid JSON", field="envelope") from None
    return open_envelope(obj)
