"""Evidence files: chosen entries of the log with their inclusion proofs, checked offline.

An inspector takes away the entries behind one household, or one finding,
without the whole log: each entry's leaf bytes and its RFC 9162 inclusion
proof against one checkpoint the notary signed; beside them, the entries a
verifier needs to check the signatures (entry 0, which names the authority
and the notary keys, and the ``key.registered`` entry of every key that
signed one of them), each with its own proof. docs/formats.md section 8 is
the format; :func:`verify_evidence` is its reference verifier.

What it cannot show, and says so: whether a signer's key had been revoked
before the entry (only the whole log shows the absence of a revocation),
and that no other entry names the same entity.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ledger.application import LedgerApplication
from ledger.audit.ledger import check_policy
from ledger.audit.verifier import MIN_AUTHORITY_HEX, VerificationFailed, check_witnesses
from ledger.domain.base import read_statement
from ledger.domain.catalog import CATALOG
from ledger.errors import InvalidField, LedgerError
from ledger.formats.dsse import open_envelope
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import ProofError, leaf_hash, verify_inclusion
from ledger.formats.notes import NoteError, open_checkpoint
from ledger.formats.versions import V1
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.policy import Policy

FORMAT = "ansinh-evidence/1"
ASKED = "asked"
CONTEXT = "context"
AUTHORITY_ROLES = frozenset({"admin", "approver"})
NOT_SHOWN = (
    "whether a signer's key was revoked before the entry: only the whole log shows that "
    "no revocation came between (verify the audit bundle)",
    "that no other entry names the same entity: the evidence holds what was asked",
)


def gather(
    ledger: LedgerApplication,
    asked: Iterable[int],
    notary: KeyPair | None = None,
    mlog: MerkleLog | None = None,
) -> dict[str, Any]:
    """The evidence document of the ``asked`` entries, proved against the latest
    signed checkpoint (a new one for the whole log when ``notary`` is given).
    ``mlog``: the log's tree, caught up (a server's own; default: read here)."""
    wanted = sorted(set(asked))
    if not wanted:
        raise InvalidField("index", "give at least one entry")
    if mlog is None:
        mlog = MerkleLog(ledger)
        mlog.catch_up()
    checkpoint = mlog.issue(notary) if notary is not None else mlog.latest()
    for index in wanted:
        if not 0 <= index < checkpoint.size:
            raise InvalidField(
                "index",
                f"entry {index} is not under the latest checkpoint ({checkpoint.size} entries): "
                "sign a newer one (`ansinh checkpoint --notary-key`)",
            )
    registered = {k.key_id: k.registered_index for k in ledger.key_records()}
    why = dict.fromkeys(wanted, ASKED)
    todo = [*wanted, 0]
    while todo:
        index = todo.pop()
        why.setdefault(index, CONTEXT)
        signer = read_statement(ledger.entry(index).envelope)["by"]
        at = registered.get(signer, 0)
        if at not in why:
            todo.append(at)
    entries = []
    for index in sorted(why):
        leaf = ledger.entry(index).leaf
        proof = mlog.inclusion_proof(index, checkpoint.size)
        entries.append(
            {
                "index": index,
                "why": why[index],
                "leaf": leaf.decode("utf-8"),
                "proof": [base64.b64encode(h).decode() for h in proof],
            }
        )
    return {
        "format": FORMAT,
        "ledger": ledger.charter().ledger_id,
        "checkpoint": checkpoint.note,
        "entries": entries,
    }


def dumps(doc: dict[str, Any]) -> str:
    """The evidence file's text: JSON, one entry a line block, ending in a newline."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class EvidenceOutcome:
    ledger_id: str
    authority: str
    checkpoint_size: int
    asked: tuple[int, ...]
    context: tuple[int, ...]
    witnesses: tuple[str, ...]
    not_shown: tuple[str, ...] = NOT_SHOWN


@dataclass
class _Key:
    public_key: bytes
    holder: str
    roles: frozenset[str]


def _fail(reason: str, index: int | None = None) -> VerificationFailed:
    return VerificationFailed(reason, index)


def _parse(text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except ValueError:
        raise _fail("evidence: not a JSON document") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _fail(f"evidence: not an evidence file (format {FORMAT!r} expected)")
    for name, kind in (("ledger", str), ("checkpoint", str), ("entries", list)):
        if not isinstance(doc.get(name), kind):
            raise _fail(f"evidence: {name} missing or of the wrong type")
    return doc


def _entry(item: Any, position: int) -> tuple[int, bytes, list[bytes], str]:
    """One item: its index, leaf bytes, proof hashes and why it is there."""
    if not isinstance(item, dict) or not isinstance(item.get("index"), int):
        raise _fail(f"evidence: entries[{position}] has no index")
    index = item["index"]
    leaf, proof, why = item.get("leaf"), item.get("proof"), item.get("why")
    if not isinstance(leaf, str) or not isinstance(proof, list) or why not in (ASKED, CONTEXT):
        raise _fail("evidence item must have leaf (text), proof (list) and why", index)
    try:
        hashes = [base64.b64decode(h, validate=True) for h in proof]
    except (ValueError, TypeError):
        raise _fail("proof: not a list of base64 hashes", index) from None
    return index, leaf.encode("utf-8"), hashes, why


def verify_evidence(
    text: str,
    *,
    authority: str | None = None,
    witnesses: list[str] | None = None,
    policy: Policy | None = None,
) -> EvidenceOutcome:
    """Check an evidence file on its own; raise :class:`VerificationFailed` naming
    the first entry (or the checkpoint) that does not hold."""
    doc = _parse(text)
    items = sorted(
        (_entry(item, n) for n, item in enumerate(doc["entries"])), key=lambda item: item[0]
    )
    indexes = [item[0] for item in items]
    if len(set(indexes)) != len(indexes):
        raise _fail("evidence: an entry is listed twice")
    if not items or items[0][0] != 0:
        raise _fail("evidence: entry 0 (ledger.opened) is missing: it names the keys")
    ledger_id: str = doc["ledger"]
    statements = {}
    for index, leaf, _, _ in items:
        statements[index] = _open_leaf(index, leaf)
    opened = statements[0]
    if opened.type != "ledger.opened" or opened.statement["ledger"] != ledger_id:
        raise _fail(f"entry 0 must be the ledger.opened of {ledger_id}", 0)
    keys = _authority(opened.body, opened.by, authority)
    notary = base64.b64decode(opened.body["notary_key"]["public_key"])
    try:
        checkpoint = open_checkpoint(doc["checkpoint"], ledger_id, notary, origin=ledger_id)
    except NoteError as exc:
        raise _fail(f"checkpoint: {exc}") from None
    for index, leaf, proof, _ in items:
        try:
            verify_inclusion(leaf_hash(leaf), index, checkpoint.size, proof, checkpoint.root)
        except ProofError as exc:
            reason = f"not in the checkpoint's tree of {checkpoint.size} entries: {exc}"
            raise _fail(reason, index) from None
        signed = statements[index]
        if signed.statement["ledger"] != ledger_id:
            raise _fail(f"statement is for ledger {signed.statement['ledger']!r}", index)
        key = keys.get(signed.by)
        if key is None:
            raise _fail(f"signed by key {signed.by[:16]}, whose registration is not here", index)
        try:
            signed.verify(key.public_key)
        except LedgerError as exc:
            raise _fail(f"{exc.code}: signature does not verify", index) from None
        row = CATALOG.get(signed.type)
        allowed = None if row is None else row.roles
        if index > 0 and (allowed is None or allowed.isdisjoint(key.roles)):
            raise _fail(f"{key.holder} may not sign {signed.type}", index)
        if signed.type == "key.registered":
            body = signed.body
            keys[body["key"]["id"]] = _Key(
                _public_key(body["key"], index), body["holder"]["id"], frozenset(body["roles"])
            )
    names = check_witnesses(doc["checkpoint"], witnesses or [])
    names += check_policy(doc["checkpoint"], policy)
    return EvidenceOutcome(
        ledger_id,
        opened.by,
        checkpoint.size,
        tuple(i for i, _, _, why in items if why == ASKED),
        tuple(i for i, _, _, why in items if why == CONTEXT),
        names,
    )


def _open_leaf(index: int, leaf: bytes) -> Any:
    try:
        entry = json.loads(leaf)
        if not isinstance(entry, dict) or entry.get("index") != index:
            raise _fail(f"leaf says index {entry.get('index')!r}", index)
        return open_envelope(entry["envelope"], formats=V1)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _fail("leaf is not a log entry {index, recorded_at, envelope}", index) from None
    except LedgerError as exc:
        raise _fail(f"{exc.code}: {exc.message}", index) from None


def _public_key(key: dict[str, Any], index: int) -> bytes:
    raw = base64.b64decode(key["public_key"])
    if hashlib.sha256(raw).hexdigest() != key["id"]:
        raise _fail(f"key {key['id'][:16]}: its id is not the hash of its public key", index)
    return raw


def _authority(body: dict[str, Any], by: str, expected: str | None) -> dict[str, _Key]:
    """The authority's key from entry 0, pinned to ``expected`` when given."""
    if expected is not None and not (
        len(expected) >= MIN_AUTHORITY_HEX and by.startswith(expected)
    ):
        raise _fail(f"opened by key {by[:16]}, not the authority {expected[:16]}", 0)
    if body["authority_key"]["id"] != by:
        raise _fail("ledger.opened is not signed by the authority key it names", 0)
    public_key = _public_key(body["authority_key"], 0)
    return {by: _Key(public_key, f"authority:{by[:16]}", AUTHORITY_ROLES)}
