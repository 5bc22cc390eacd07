"""Checks of one log entry that need nothing but the entry itself.

These run in worker processes, a block of entries at a time: parse the
leaf, check its shape, index and canonical form, open the envelope
(canonical payload, valid statement), hash the leaf, and check the
signature when the author's public key is already known (a key id is the
hash of its key, so any key seen in a ``key.registered`` or
``ledger.opened`` statement can check signatures; whether that key was
*allowed* to sign is decided later, in order, by
:class:`ledger.audit.verifier.Replay`). What goes back to the ordered replay is
small: a tuple of the fields the rules need, not the statement.

Nearly every entry takes the fast path, :func:`_fast`: one regular
expression both parses the leaf and proves it is the RFC 8785 form of a
leaf with one signature (every string in it is made of characters JCS
never escapes, the keys are in order, there is no whitespace), so the leaf
is not decoded and re-encoded. The payload is then checked exactly as
:func:`ledger.formats.dsse.open_envelope` checks it: strict base64, canonical JSON,
a statement valid against its schema, signed by its ``by``. Anything the
fast path does not accept goes through :func:`check_entry`, the reference
path, which accepts what it accepts and words every refusal.

An entry is checked against FORMATS v1, which every entry met when it was
recorded, and against the 1.1 amendments (docs/formats.md): which of them
it breaks, if any, goes to the replay, which knows what the ledger declared
and so whether that is a failure or a warning. An entry that meets 1.1
costs one validation, as before: v1 is asked only of one that does not.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any, NamedTuple

import nacl.bindings
import orjson

from ledger.audit.allowance_changes import TYPES as ALLOWANCE_TYPES
from ledger.audit.reviews import BODIES as REVIEW_BODIES
from ledger.errors import LedgerError
from ledger.formats.dsse import PAYLOAD_TYPE, check_one_signature, leaf_json, open_envelope, pae
from ledger.formats.fields import timestamp
from ledger.formats.procedures.agents import TYPES as AGENT_TYPES
from ledger.formats.schemas import validate_statement
from ledger.formats.versions import V1, V1_1

Body = dict[str, Any]
Checked = tuple[str, str, str, int, str, Body | None, bytes, bool | None, bytes | None, str | None]
"""One checked entry, as the replay reads it, in order:

``recorded_at``, ``type``, ``by``, ``nonce`` (as the number its 32 hex
digits spell), ``ledger``, the body (only for the types in
``_BODY_NEEDED``, else None), the leaf hash, whether the signature
verifies (None: the author's key was not known yet) and, only then, the
signature followed by the signed message, for the replay to check; last,
the FORMATS 1.1 rule the entry breaks (``CODE: message``), or None.
A plain tuple: it crosses the process boundary faster than any object.
"""
Failure = tuple[int, str]
"""The first entry of a chunk that is invalid on its own: (index, reason)."""

_LEAF_KEYS = frozenset({"envelope", "index", "recorded_at"})
_known_keys: dict[str, bytes] = {}
# Statement types whose body the replay reads (keys, maker-checker, the vault, versions).
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
        "ledger.formats.adopted",
        "identity.reviewed",
        *ALLOWANCE_TYPES,  # FORMATS 1.3 §11.2
        *AGENT_TYPES,  # paying agents (ledger.audit.agents)
        # FORMATS 1.3 grievances (ledger.audit.grievances)
        "grievance.lodged",
        "grievance.assigned",
        "grievance.answered",
        "grievance.closed",
        "receipt.confirmed",
        *REVIEW_BODIES,  # poverty review rounds (ledger.audit.reviews)
    }
)
# The whole leaf of an entry with one signature, in RFC 8785 form (FORMATS §3-4).
# Group 1 is the payload (strict base64 decoding then admits only base64
# characters), 2 only hex, 3 only canonical base64 of 64 bytes (the last
# character before "==" carries 4 zero bits), 5 only the characters of a
# timestamp: none of them is ever escaped by JCS.
_CANONICAL_LEAF = re.compile(
    rb'\{"envelope":\{"payload":"([^"]*)",'
    rb'"payloadType":"' + re.escape(PAYLOAD_TYPE.encode()) + rb'",'
    rb'"signatures":\[\{"keyid":"([0-9a-f]{64})","sig":"([A-Za-z0-9+/]{85}[AQgw]==)"\}\]\},'
    rb'"index":(0|[1-9][0-9]{0,15}),"recorded_at":"([0-9T:.Z-]{1,40})"\}'
)
_sha256 = hashlib.sha256
_interned: dict[str, str] = {}


class EntryInvalid(Exception):
    def __init__(self, index: int, reason: str) -> None:
        super().__init__(f"entry {index}: {reason}")
        self.index = index
        self.reason = reason


def learn_keys(keys: dict[str, bytes]) -> None:
    _known_keys.update(keys)


def _same(value: str) -> str:
    """One object per distinct type, key id or ledger id: pickled once per chunk."""
    return _interned.setdefault(value, value)


def _checked(
    recorded_at: str,
    statement: dict[str, Any],
    line: bytes,
    payload: bytes,
    signature: bytes,
    amended: str | None,
) -> Checked:
    kind = _same(statement["type"])
    by = _same(statement["by"])
    body = statement["body"] if kind in _BODY_NEEDED else None
    if body is not None:
        _learn_from(kind, body)
    key = _known_keys.get(by)
    signed = signature + pae(PAYLOAD_TYPE, payload)
    ok = None if key is None else opens(key, signed)
    # A valid nonce is 32 lowercase hex digits: its number stands for it exactly.
    return (recorded_at, kind, by, int(statement["nonce"], 16), _same(statement["ledger"]), body,
            _sha256(b"\x00" + line).digest(), ok, signed if ok is None else None,
            amended)  # fmt: skip


def checked_accepted(recorded_at: str, statement: dict[str, Any], leaf_hash: bytes) -> Checked:
    """What the replay reads of an entry whose statement was opened and its signature
    checked on acceptance, in this process: the same tuple, its signature known good."""
    kind = _same(statement["type"])
    body = statement["body"] if kind in _BODY_NEEDED else None
    # (accepted under FORMATS 1.1, which acceptance applies: no amendment broken)
    return (recorded_at, kind, _same(statement["by"]), int(statement["nonce"], 16),
            _same(statement["ledger"]), body, leaf_hash, True, None, None)  # fmt: skip


def _fast(index: int, line: bytes) -> Checked | None:
    """The checks of :func:`check_entry` for a canonical one-signature leaf, or None.

    None means "not shown valid here": the reference path decides, and words
    the refusal if there is one.
    """
    leaf = _CANONICAL_LEAF.fullmatch(line)
    if leaf is None or int(leaf[4]) != index:
        return None
    recorded_at = leaf[5].decode()
    try:
        timestamp(recorded_at, "recorded_at")
        payload = binascii.a2b_base64(leaf[1], strict_mode=True)
        statement = orjson.loads(payload)
        if orjson.dumps(statement, option=orjson.OPT_SORT_KEYS) != payload:
            return None
        amended = broken_amendment(statement)
    except (ValueError, TypeError, LedgerError):  # binascii's, orjson's, the schema's
        return None
    if statement["by"] != leaf[2].decode():
        return None
    signature = binascii.a2b_base64(leaf[3])
    return _checked(recorded_at, statement, line, payload, signature, amended)


def broken_amendment(statement: object) -> str | None:
    """The FORMATS 1.1 rule a statement breaks (``CODE: message``), None if it meets them all.

    Raises the refusal of FORMATS v1 for a statement invalid under either.
    """
    try:
        validate_statement(statement, V1_1)
    except LedgerError as exc:
        validate_statement(statement, V1)
        return f"{exc.code}: {exc.message}"
    return None


def check_entry(index: int, line: bytes) -> Checked:
    """Check one line of ``entries.jsonl`` (the leaf bytes of entry ``index``).

    The reference path: every leaf, including ones with several signatures.
    """
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
        signed = open_envelope(leaf["envelope"], formats=V1)
    except LedgerError as exc:
        raise EntryInvalid(index, f"{exc.code}: {exc.message}") from None
    if leaf_json(leaf) != line:  # every string in it was checked to need no escaping
        raise EntryInvalid(index, "leaf bytes are not canonical JSON (RFC 8785)")
    try:
        check_one_signature(signed.envelope["signatures"])
    except LedgerError as exc:
        amended: str | None = f"{exc.code}: {exc.message}"
    else:
        amended = broken_amendment(signed.statement)
    return _checked(
        leaf["recorded_at"], signed.statement, line, signed.payload, signed.signature, amended
    )


def opens(key: bytes, signed: bytes) -> bool:
    """Whether ``signed`` (signature || PAE message) verifies under ``key``."""
    try:
        nacl.bindings.crypto_sign_open(signed, key)
    except Exception:  # a bad signature, or a key that is not a valid point
        return False
    return True


def _learn_from(kind: str, body: Body) -> None:
    if kind == "key.registered":
        _known_keys[body["key"]["id"]] = base64.b64decode(body["key"]["public_key"])
    elif kind == "ledger.opened":
        authority = body["authority_key"]
        _known_keys[authority["id"]] = base64.b64decode(authority["public_key"])


class Span(NamedTuple):
    """Whole lines of ``entries.jsonl`` that lie as plain bytes in a file."""

    path: str
    offset: int
    length: int
    lines: int


Block = bytes | list[bytes] | Span
"""Consecutive entries: whole lines of ``entries.jsonl``, where they lie, or a list of leaves."""


def block_size(block: Block) -> int:
    """The number of entries in a block."""
    if isinstance(block, Span):
        return block.lines
    return block.count(b"\n") if isinstance(block, bytes) else len(block)


def split_block(start: int, block: Block) -> list[bytes]:
    """The leaves of a block."""
    if isinstance(block, list):
        return block
    if isinstance(block, Span):
        with open(block.path, "rb") as f:
            f.seek(block.offset)
            data = f.read(block.length)
        if len(data) != block.length or data.count(b"\n") != block.lines or data[-1:] != b"\n":
            raise EntryInvalid(start, "entries.jsonl changed while it was being verified")
        block = data
    return block.split(b"\n")[:-1]


def check_chunk(
    start: int, block: Block, keys: dict[str, bytes]
) -> tuple[list[Checked], Failure | None]:
    """Check consecutive entries, up to the first invalid one."""
    learn_keys(keys)
    out: list[Checked] = []
    append = out.append
    try:
        for index, line in enumerate(split_block(start, block), start):
            append(_fast(index, line) or check_entry(index, line))
    except EntryInvalid as exc:
        return out, (exc.index, exc.reason)
    return out, None
