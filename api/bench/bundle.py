"""The signed log ``ansinh bench verify`` verifies: any entry computed from its index alone.

The log is a commune's opening, its officers, one program, then household
after household: a head registered, a benefit proposed and approved, sixteen
monthly payments. Bodies are :mod:`api.demo.statements`'; ids, nonces and
times come from the index, so processes can sign spans of the log apart and
the same index always gives the same bytes. Every statement is ASCII, so its
sorted compact JSON is its RFC 8785 form.
"""

from __future__ import annotations

import base64
import json
import multiprocessing
import time
import uuid
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from api.demo import statements as st
from ledger.formats.dsse import PAYLOAD_TYPE, pae
from ledger.formats.merkle import RootAccumulator, leaf_hash
from ledger.formats.notes import sign_checkpoint

ORIGIN = "ansinh.vn/bench/verify"
GROUP = 20  # household, person, benefit proposed + approved, 16 monthly payments
_KEYS = st.seeded_keys(["authority", "notary", "registrar", "approver", "cashier", "stranger"], 11)
# "stranger" is never registered
PROGRAM = "NCC-TB"


def _id(kind: int, n: int) -> str:
    return str(uuid.UUID(int=(kind << 96) | n, version=4))


def _statement(index: int) -> tuple[str, str, dict[str, Any]]:
    """The statement at ``index`` of the generated log: (author, type, body)."""
    if index == 0:
        body = st.ledger_opened("UBND xa Thu Nghiem", _KEYS["authority"], _KEYS["notary"])
        return "authority", "ledger.opened", body
    if index <= 3:
        who = ["registrar", "approver", "cashier"][index - 1]
        return "authority", "key.registered", st.key_registered(_KEYS[who], who, who, [who])
    if index == 4:
        body = st.program_defined(
            _id(1, 0), PROGRAM, "Tro cap thuong binh", "meritorious", "monthly"
        )
        return "authority", "program.defined", body
    group, step = divmod(index - 5, GROUP)
    hh, person, benefit = _id(2, group), _id(3, group), _id(4, group)
    if step == 0:
        body = st.household_registered(hh, f"CE-{group:07d}", f"Ban {group % 12}")
        return "registrar", "household.registered", body
    if step == 1:
        body = st.person_registered(person, hh, "head", "m", 1950) | {"pii": f"{group:064x}"}
        return "registrar", "person.registered", body
    if step == 2:
        whom = {"person_id": person}
        body = st.benefit_proposed(
            benefit, _id(1, 0), whom, 1_624_000, "2022-01", "Thuong binh 61%"
        )
        return "registrar", "benefit.proposed", body
    if step == 3:
        return (
            "approver",
            "benefit.approved",
            st.benefit_approved(benefit, f"{group}/QD-UBND", "2022-01-05"),
        )
    month = step - 4
    body = st.payment_recorded(
        _id(5, index),
        benefit,
        1_624_000,
        person,
        ("thumbprint", f"{index:064x}"),
        "2022-01-10",
        f"{2022 + month // 12}-{month % 12 + 1:02d}",
    )
    return "cashier", "payment.recorded", body


def statement_at(index: int) -> tuple[str, dict[str, Any]]:
    """The signed statement of entry ``index`` of the generated log: (author, statement)."""
    who, type_, body = _statement(index)
    statement = {
        "ledger": ORIGIN,
        "by": _KEYS[who].key_id,
        "nonce": f"{index:032x}",
        "at": "2022-01-05T01:00:00Z",
        "type": type_,
        "body": body,
    }
    return who, statement


def recorded_at(index: int) -> str:
    """When entry ``index`` of the generated log was recorded (one per millisecond)."""
    seconds, micros = divmod(index * 1000, 1_000_000)
    recorded = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1_641_000_000 + seconds))
    return f"{recorded}.{micros:06d}Z"


def signed_leaf(
    index: int, statement: dict[str, Any] | None = None, *, by: str | None = None
) -> bytes:
    """The leaf bytes of entry ``index`` of the generated log.

    With ``statement``, that statement instead (ASCII only), signed by ``by``
    (a name of the generated log's keys; default: the entry's own author).
    """
    who, own = statement_at(index)
    key = _KEYS[by or who]
    # An ASCII-only statement: sorted compact JSON is its RFC 8785 form.
    payload = json.dumps(statement or own, sort_keys=True, separators=(",", ":")).encode("ascii")
    envelope = {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode(),
        "signatures": [
            {
                "keyid": key.key_id,
                "sig": base64.b64encode(key.sign(pae(PAYLOAD_TYPE, payload))).decode(),
            }
        ],
    }
    leaf = {"envelope": envelope, "index": index, "recorded_at": recorded_at(index)}
    return json.dumps(leaf, sort_keys=True, separators=(",", ":")).encode("ascii")


def _leaves(span: tuple[int, int]) -> list[bytes]:
    return [signed_leaf(i) for i in range(*span)]


def generate_bundle(directory: Path, entries: int, processes: int) -> str:
    """Write a bundle of ``entries`` signed entries; returns the authority key id."""
    directory.mkdir(parents=True, exist_ok=True)
    tree = RootAccumulator()
    spans = [(i, min(i + 2000, entries)) for i in range(0, entries, 2000)]
    with (
        (directory / "entries.jsonl").open("wb") as f,
        multiprocessing.get_context("fork").Pool(processes) as pool,
    ):
        for lines in pool.imap(_leaves, spans):
            for line in lines:
                f.write(line + b"\n")
                tree.append(leaf_hash(line))
    note = sign_checkpoint(ORIGIN, entries, tree.root(), ORIGIN, SigningKey(_KEYS["notary"].seed))
    (directory / "checkpoint").write_text(note)
    return _KEYS["authority"].key_id
