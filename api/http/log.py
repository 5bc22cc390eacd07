"""The transparency log over HTTP: checkpoints, entries, proofs, cosignatures, keys.

Everything here is public: anyone can fetch the signed checkpoint, the
entries' leaf bytes and the proofs, and check for themselves that the log
they were shown is the log everyone else sees (FORMATS §4). Witnesses post
their cosignatures back. Officers' keys are public too, so that anyone can
check who signed what.
"""

from __future__ import annotations

import base64
import binascii
import threading
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from api.http import wire
from api.http.deps import ServiceDep
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

MAX_ENTRIES = 1000  # entries per GET /v1/log/entries
MAX_SIZE = 2**53 - 1  # integers JSON carries exactly
COSIGNATURE_BYTES = 8 + 64  # u64 timestamp || Ed25519 signature, after the key id

router = APIRouter(prefix="/v1", tags=["transparency log"])
_cosigning = threading.Lock()  # one note rewritten at a time


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


class CheckpointOut(BaseModel):
    size: int = Field(description="Tree size: the entries the checkpoint covers")
    root: str = Field(description="base64 Merkle root hash")
    issued_at: str = Field(description="When the notary signed it (UTC)")
    note: str = Field(description="The signed note, with any witnesses' cosignatures")


class InclusionProof(BaseModel):
    index: int
    tree_size: int
    leaf_hash: str = Field(description="base64 SHA-256(0x00 || leaf bytes)")
    proof: list[str] = Field(description="RFC 9162 §2.1.3 inclusion proof, base64 hashes")


class ConsistencyProof(BaseModel):
    first: int
    second: int
    proof: list[str] = Field(description="RFC 9162 §2.1.4 consistency proof, base64 hashes")


class CosignatureIn(BaseModel):
    """A witness's cosignature of a checkpoint the server issued."""

    model_config = ConfigDict(extra="forbid")
    tree_size: int = Field(ge=1, le=MAX_SIZE, description="The checkpoint's tree size")
    cosignature: str = Field(
        min_length=1,
        max_length=1000,
        description="One C2SP tlog-cosignature v1 line: `— <name> base64(keyid4||time||sig)`",
    )
    vkey: str | None = Field(
        default=None,
        max_length=1000,
        description="The witness's verifier key `name+keyid+base64`; checked when given",
    )


class CosignatureOut(BaseModel):
    tree_size: int
    witness: str = Field(description="The key name on the cosignature line")
    verified: bool = Field(
        description="Checked against the vkey given or a registered key; false when neither"
    )
    created: bool = Field(description="False when the note already carried this line")
    note: str = Field(description="The checkpoint note as now stored")


class Holder(BaseModel):
    id: str
    name: str


class KeyOut(BaseModel):
    id: str = Field(description="hex SHA-256 of the public key")
    public_key: str = Field(description="base64 Ed25519 public key")
    holder: Holder
    roles: list[str]
    registered_index: int
    revoked_index: int | None
    revoked_reason: str | None


# -- checkpoints -----------------------------------------------------------------------
@router.get(
    "/log/checkpoint",
    response_class=PlainTextResponse,
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "description": "The newest checkpoint: a C2SP signed note (FORMATS §4)",
        },
        **wire.error_responses(404),
    },
)
def latest_checkpoint(service: ServiceDep) -> PlainTextResponse:
    """The newest signed checkpoint (one is signed first if entries are newer)."""
    issued = service.latest_checkpoint()
    return PlainTextResponse(
        issued.note,
        media_type="text/plain; charset=utf-8",
        headers={"X-Ansinh-Tree-Size": str(issued.size)},
    )


@router.get("/log/checkpoints", responses=wire.error_responses(400))
def recent_checkpoints(
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many, newest first")] = 20,
    as_of: Annotated[
        str | None, Query(description="Only checkpoints of at most this many entries (or time)")
    ] = None,
) -> list[CheckpointOut]:
    """Recent checkpoints, newest first."""
    service.sign_checkpoint()
    end = wire.as_of_index(service.ledger, as_of)
    found = [cp for cp in service.merkle().checkpoints() if end is None or cp.size <= end]
    return [
        CheckpointOut(size=cp.size, root=_b64(cp.root), issued_at=cp.issued_at, note=cp.note)
        for cp in reversed(found[-limit:])
    ]


# -- entries -------------------------------------------------------------------------
@router.get(
    "/log/entries",
    response_class=Response,
    responses={
        200: {
            "content": {"application/jsonl": {"schema": {"type": "string"}}},
            "description": (
                "One line per entry: its leaf bytes, JCS of {index, recorded_at, envelope}. "
                f"At most {MAX_ENTRIES} a request; `X-Ansinh-Next-Start` says where to go on."
            ),
            "headers": {
                "X-Ansinh-Next-Start": {
                    "description": "Present when the answer stops before `end`: the next start",
                    "schema": {"type": "integer"},
                },
                "X-Ansinh-Log-Size": {
                    "description": "Entries in the log",
                    "schema": {"type": "integer"},
                },
            },
        },
        **wire.error_responses(400),
    },
)
def log_entries(
    service: ServiceDep,
    start: Annotated[int, Query(ge=0, le=MAX_SIZE, description="First index")] = 0,
    end: Annotated[
        int | None, Query(ge=1, le=MAX_SIZE, description="Stop before this index (default: all)")
    ] = None,
) -> Response:
    """The entries ``start <= index < end`` as JSON lines of leaf bytes (FORMATS §4)."""
    size = service.size()
    if end is not None and end <= start:
        raise InvalidField("end", f"must be greater than start ({start})")
    if start >= size:
        raise InvalidField("start", f"must be below the log size ({size})")
    wanted = size if end is None else min(end, size)
    stop = min(wanted, start + MAX_ENTRIES)
    body = b"".join(entry.leaf + b"\n" for entry in service.ledger.entries(start, stop))
    headers = {"X-Ansinh-Log-Size": str(size)}
    if stop < wanted:
        headers["X-Ansinh-Next-Start"] = str(stop)
    return Response(body, media_type="application/jsonl", headers=headers)


# -- proofs --------------------------------------------------------------------------
@router.get("/log/proof/inclusion", responses=wire.error_responses(400, 404))
def inclusion_proof(
    service: ServiceDep,
    index: Annotated[int, Query(ge=0, le=MAX_SIZE, description="The entry's index")],
    tree_size: Annotated[
        int | None,
        Query(ge=1, le=MAX_SIZE, description="Tree size (default: the latest checkpoint's)"),
    ] = None,
) -> InclusionProof:
    """Prove an entry is in the tree of a given size (RFC 9162 §2.1.3)."""
    size = tree_size if tree_size is not None else service.latest_checkpoint().size
    mlog = service.merkle()
    proof = mlog.inclusion_proof(index, size)
    return InclusionProof(
        index=index,
        tree_size=size,
        leaf_hash=_b64(mlog.leaf_hash(index)),
        proof=[_b64(p) for p in proof],
    )


@router.get("/log/proof/consistency", responses=wire.error_responses(400, 404))
def consistency_proof(
    service: ServiceDep,
    first: Annotated[int, Query(ge=1, le=MAX_SIZE, description="The smaller tree size")],
    second: Annotated[
        int | None,
        Query(ge=1, le=MAX_SIZE, description="The larger (default: the latest checkpoint's)"),
    ] = None,
) -> ConsistencyProof:
    """Prove the tree of size ``first`` is a prefix of the tree of size ``second``."""
    size = second if second is not None else service.latest_checkpoint().size
    proof = service.merkle().consistency_proof(first, size)
    return ConsistencyProof(first=first, second=size, proof=[_b64(p) for p in proof])


# -- witnesses -----------------------------------------------------------------------
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


WITNESS_ROLES = frozenset({"inspector", "admin"})


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


# -- keys ----------------------------------------------------------------------------
@router.get("/keys", tags=["keys"], responses=wire.error_responses(400, 404))
def registered_keys(
    service: ServiceDep,
    as_of: Annotated[
        str | None, Query(description="As the first N entries left them (or as of a time)")
    ] = None,
) -> list[KeyOut]:
    """Officers' keys: who holds each, its roles, when it was registered and revoked."""
    end = wire.as_of_index(service.ledger, as_of)
    out = []
    for k in service.ledger.key_records():
        if end is not None and k.registered_index >= end:
            continue
        revoked = k.revoked_index is not None and (end is None or k.revoked_index < end)
        out.append(
            KeyOut(
                id=k.key_id,
                public_key=k.public_key,
                holder=Holder(id=k.holder_id, name=k.holder_name),
                roles=list(k.roles),
                registered_index=k.registered_index,
                revoked_index=k.revoked_index if revoked else None,
                revoked_reason=k.revoked_reason if revoked else None,
            )
        )
    return out
