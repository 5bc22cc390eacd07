"""Checks of one log entry that need nothing but the entry itself.

These run in worker processes, many entries at a time: parse the leaf, check
its shape, index and canonical form, open the envelope (canonical payload,
valid statement), hash the leaf, and check the signature when the author's
public key is already known (a key id is the hash of its key, so any key seen
in a ``key.registered`` or ``ledger.opened`` statement can check signatures;
whether that key was *allowed* to sign is decided later, in order, by
:class:`ledger.verifier.Replay`). What goes back to the ordered replay is
small: the fields the rules need, not the statement.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import nacl.bindings
import orjson

from ledger.dsse import PAYLOAD_TYPE, leaf_json, open_envelope, pae
from ledger.errors import LedgerError
from ledger.fields import timestamp

_LEAF_KEYS = frozenset({"envelope", "index", "recorded_at"})
_known_keys: dict[str, bytes] = {}
# Statement types whose body the replay reads (keys, maker-checker, the vault).
_BODY_NEEDED = frozenset(
    {
        "ledger.opened",
        "key.registered",
        "key.revoked",
        "benefit.proposed",
        "household.status.proposed",
        "benefit.approved",
        "benefit.rejected",
        "household.status.approved",
        "household.status.rejected",
        "person.registered",
        "person.pii.updated",
    }
)


class EntryInvalid(Exception):
    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"entry {index}: {reason}")
        self.index = index
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CheckedEntry:
    """What the ordered replay needs from one entry."""

    index: int
    recorded_at: str
    type: str
    by: str
    nonce: str
    ledger: str
    body: dict[str, Any] | None  # only for the types in _BODY_NEEDED
    leaf_hash: bytes
    signature_ok: bool | None  # None: the author's key was not known yet
    signed_message: bytes | None
    signature: bytes | None


def learn_keys(keys: dict[str, bytes]) -> None:
    _known_keys.update(keys)


def _canonical_leaf(leaf: dict[str, Any], envelope: dict[str, Any]) -> bytes:
    """The RFC 8785 bytes of a leaf with one signature (all fields checked ASCII)."""
    sig = envelope["signatures"][0]
    return (
        f'{{"envelope":{{"payload":"{envelope["payload"]}","payloadType":"{PAYLOAD_TYPE}",'
        f'"signatures":[{{"keyid":"{sig["keyid"]}","sig":"{sig["sig"]}"}}]}},'
        f'"index":{leaf["index"]},"recorded_at":"{leaf["recorded_at"]}"}}'
    ).encode()


def check_entry(index: int, line: bytes) -> CheckedEntry:
    """Check one line of ``entries.jsonl`` (the leaf bytes of entry ``index``)."""
    try:
        leaf = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise EntryInvalid(index, "leaf is not JSON") from None
    if not isinstance(leaf, dict) or leaf.keys() != _LEAF_KEYS:
        raise EntryInvalid(index, "leaf must be exactly {envelope, index, recorded_at}")
    if leaf["index"] != index or isinstance(leaf["index"], bool):
        raise EntryInvalid(index, f"leaf says index {leaf['index']!r} at position {index}")
    try:
        timestamp(leaf["recorded_at"], "recorded_at")
        signed = open_envelope(leaf["envelope"])
    except LedgerError as exc:
        raise EntryInvalid(index, f"{exc.code}: {exc.message}") from None
    envelope = leaf["envelope"]
    expected = (
        _canonical_leaf(leaf, envelope) if len(envelope["signatures"]) == 1 else leaf_json(leaf)
    )
    if expected != line:
        raise EntryInvalid(index, "leaf bytes are not canonical JSON (RFC 8785)")
    statement = signed.statement
    kind = statement["type"]
    body = statement["body"] if kind in _BODY_NEEDED else None
    if body is not None:
        _learn_from(kind, body)
    message = pae(PAYLOAD_TYPE, signed.payload)
    key = _known_keys.get(signed.by)
    ok = None if key is None else verifies(key, message, signed.signature)
    return CheckedEntry(
        index,
        leaf["recorded_at"],
        kind,
        signed.by,
        statement["nonce"],
        statement["ledger"],
        body,
        hashlib.sha256(b"\x00" + line).digest(),
        ok,
        None if ok is not None else message,
        None if ok is not None else signed.signature,
    )


def verifies(key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        nacl.bindings.crypto_sign_open(signature + message, key)
    except Exception:  # a bad signature, or a key that is not a valid point
        return False
    return True


def _learn_from(kind: str, body: dict[str, Any]) -> None:
    if kind == "key.registered":
        _known_keys[body["key"]["id"]] = base64.b64decode(body["key"]["public_key"])
    elif kind == "ledger.opened":
        authority = body["authority_key"]
        _known_keys[authority["id"]] = base64.b64decode(authority["public_key"])


def check_chunk(
    start: int, lines: list[bytes], keys: dict[str, bytes]
) -> tuple[list[CheckedEntry], EntryInvalid | None]:
    """Check consecutive entries, up to the first invalid one."""
    learn_keys(keys)
    out = []
    for offset, line in enumerate(lines):
        try:
            out.append(check_entry(start + offset, line))
        except EntryInvalid as exc:
            return out, exc
    return out, None
