"""Witnesses' cosignatures of the log's checkpoints (FORMATS §4).

A witness that has checked a checkpoint posts its cosignature line back; the
line is verified and added to the stored note, so that every reader of the
checkpoint sees who vouched for it.
"""

from __future__ import annotations

import base64
import binascii
import threading

from fastapi import APIRouter, Response

from api.http import wire
from api.http.deps import ServiceDep
from api.http.models import CosignatureIn, CosignatureOut
from ledger.domain.charter import KeyRecord
from ledger.errors import (
    BadSignature,
    InvalidField,
    KeyRevoked,
    NoCheckpoint,
    RoleNotAllowed,
    UnknownKey,
)
from ledger.formats.notes import (
    SIG_COSIGNATURE_V1,
    NoteError,
    key_id4,
    parse_note,
    verify_cosignature,
)

COSIGNATURE_BYTES = 8 + 64  # u64 timestamp || Ed25519 signature, after the key id
WITNESS_ROLES = frozenset({"inspector", "admin"})

router = APIRouter(prefix="/v1", tags=["transparency log"])
_cosigning = threading.Lock()  # one note rewritten at a time


@router.post(
    "/log/cosignatures",
    status_code=201,
    responses={
        200: {"model": CosignatureOut, "description": "The note already carried this line"},
        **wire.error_responses(400, 401, 403, 404),
    },
)
def add_cosignature(body: CosignatureIn, service: ServiceDep, response: Response) -> CosignatureOut:
    """Append a witness's cosignature line to a stored checkpoint.

    The line must parse as a tlog-cosignature v1 line for that checkpoint.
    Its signature is verified with ``vkey`` when given, or with a registered
    key whose note key id it carries; a line from a witness the server
    cannot identify, or whose key is not a registered inspector's, is refused.
    """
    line = body.cosignature if body.cosignature.endswith("\n") else body.cosignature + "\n"
    if "\n" in line[:-1]:
        raise InvalidField("cosignature", "must be one signature line")
    mlog = service.merkle()
    with _cosigning:
        cp = mlog.checkpoint_at(body.tree_size)
        if cp is None:
            raise NoCheckpoint(
                f"tree_size: no checkpoint of size {body.tree_size}", field="tree_size"
            )
        try:
            checkpoint = parse_note(cp.note + line)
        except NoteError as exc:
            raise InvalidField("cosignature", str(exc)) from None
        signature = checkpoint.signatures[-1]
        if len(signature.signature) != COSIGNATURE_BYTES:
            raise InvalidField(
                "cosignature", "not a tlog-cosignature v1 line (key id, timestamp, signature)"
            )
        verified = _verify(service.ledger.key_records(), checkpoint.body, line, body.vkey)
        created = line not in cp.note
        note = mlog.add_cosignature(body.tree_size, line)
    response.status_code = 201 if created else 200
    return CosignatureOut(
        tree_size=body.tree_size,
        witness=signature.name,
        verified=verified,
        created=created,
        note=note,
    )


def _verify(keys: list[KeyRecord], text: str, line: str, vkey: str | None) -> bool:
    """Check the line's signature, and that its key is a registered inspector's.

    Only registered, unrevoked inspectors' (or the authority's) keys may add
    lines to the ledger's own notes: a line from anyone else would only take
    one of the note's few signature places. An outside witness keeps its
    cosignature itself (``ansinh witness cosign`` writes it to its state).
    """
    signature = parse_note(text + "\n" + line).signatures[-1]
    name = signature.name
    if vkey is not None:
        vname, public_key = _parse_vkey(vkey)
        if vname != name or key_id4(name, public_key, SIG_COSIGNATURE_V1) != signature.key_id:
            raise InvalidField("vkey", f"is not the key of the cosignature by {name!r}")
        _check_signature(text, line, name, public_key)
    known = [
        k
        for k in keys
        if key_id4(name, base64.b64decode(k.public_key), SIG_COSIGNATURE_V1) == signature.key_id
    ]
    if not known:
        raise UnknownKey(
            f"cosignature: {name!r} signs with no key registered in this ledger; "
            "an inspector's key must be registered before it cosigns here",
            field="cosignature",
        )
    record = known[0]
    if record.revoked:
        raise KeyRevoked(f"cosignature: key {record.key_id} is revoked", field="cosignature")
    if not WITNESS_ROLES & set(record.roles):
        raise RoleNotAllowed(
            f"cosignature: key {record.key_id} is not an inspector's", field="cosignature"
        )
    _check_signature(text, line, name, base64.b64decode(record.public_key))
    return True


def _check_signature(text: str, line: str, name: str, public_key: bytes) -> None:
    try:
        verify_cosignature(text + "\n" + line, name, public_key)
    except NoteError as exc:
        raise BadSignature(f"cosignature: {exc}", field="cosignature") from None


def _parse_vkey(vkey: str) -> tuple[str, bytes]:
    """A witness verifier key ``name+hex(key id4)+base64(0x04 || public key)``.

    The name holds no ``+`` but base64 may, so the key splits from the left.
    """
    name, _, rest = vkey.partition("+")
    kid, _, blob = rest.partition("+")
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not name or len(raw) != 33 or raw[0] != SIG_COSIGNATURE_V1:
        raise InvalidField("vkey", "must be name+keyid+base64(0x04 || Ed25519 public key)")
    if key_id4(name, raw[1:], SIG_COSIGNATURE_V1).hex() != kid:
        raise InvalidField("vkey", "its key id does not match its name and key")
    return name, raw[1:]
