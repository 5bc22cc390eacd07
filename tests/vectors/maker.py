"""What the makers of the vector files in ``tests/vectors/`` share.

Each maker writes one file of byte-exact vectors (docs/formats.md) and its test
rebuilds the file byte for byte. The makers of a commune's log sign statements
with keys made from 32-byte seeds (the seed byte repeated), at fixed times and
with fixed nonces; Ed25519 is deterministic, so the same code writes the same
bytes. Here are the keys and what they sign (:class:`Signers`: statements,
submissions, the log's leaves and checkpoint, the cases), and how every maker
writes its file (:func:`document`, :func:`write`).

A maker is run from the project root as a file (``.venv/bin/python
tests/vectors/<maker>.py``) or as a module (``-m tests.vectors.<maker>``); run
as a file, it first puts the root on ``sys.path`` so that this module is found.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from api.demo import statements as st
from ledger.domain.log import Entry
from ledger.formats.dsse import make_statement, sign_statement
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import leaf_hash, root_hash
from ledger.formats.notes import sign_checkpoint
from ledger.formats.vault import VaultRecord

LEDGER = "ansinh.vn/son-la/song-ma/chieng-en"
COMMUNE = "UBND xã Chiềng En"

Logged = tuple[dict[str, Any], tuple[VaultRecord, ...]]
"""A statement of a log, with the vault records its submission commits to."""


def text(value: Any) -> str:
    """A submission as a client sends it: compact JSON, UTF-8 not escaped."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def root_of(leaves: list[str]) -> bytes:
    """The Merkle root of a log of these leaves."""
    return root_hash([leaf_hash(leaf.encode()) for leaf in leaves])


class Signers:
    """The keys of one maker's ledger, by role, and what they sign.

    Statement ``n`` is signed ``n`` seconds after ``hour``:00 on 2026-12-04 with
    the nonce ``n``; the log's entry ``i`` is recorded ``i`` seconds after the
    next hour.
    """

    def __init__(self, seeds: dict[str, int], hour: int, ledger: str = LEDGER) -> None:
        self.seeds = seeds
        self.keys = {name: KeyPair.from_seed(bytes([n]) * 32) for name, n in seeds.items()}
        self.hour = hour
        self.ledger = ledger

    def statement(self, who: str, type_: str, body: dict[str, Any], n: int) -> dict[str, Any]:
        """Statement ``n`` of the key ``who``."""
        at = f"2026-12-04T{self.hour:02d}:{n // 60:02d}:{n % 60:02d}Z"
        key_id = self.keys[who].key_id
        return make_statement(self.ledger, type_, body, key_id, at=at, nonce=f"{n:032x}")

    def envelope(self, s: dict[str, Any]) -> dict[str, Any]:
        """The statement signed by the key it names (not checked: cases may break rules)."""
        by = next(k for k in self.keys.values() if k.key_id == s["by"])
        return sign_statement(s, by, validate=False)

    def submission(self, s: dict[str, Any], vault: tuple[VaultRecord, ...] = ()) -> str:
        """The text a client sends: the envelope, or it and the vault records."""
        if not vault:
            return text(self.envelope(s))
        return text({"envelope": self.envelope(s), "vault": [r.to_json() for r in vault]})

    def opened(self, formats: str | None = "1.1") -> dict[str, Any]:
        """The body of the commune's ``ledger.opened`` (declaring ``formats``)."""
        return st.ledger_opened(COMMUNE, self.keys["authority"], self.keys["notary"], formats)

    def person(
        self,
        person: tuple[str, str, str],
        household: str,
        sex: str,
        born: int,
        n: int,
        relation: str = "member",
    ) -> Logged:
        """Statement ``n`` of the registrar: a generated person (id, name, national id),
        with their vault record (its salt the byte ``n``)."""
        person_id, name, national_id = person
        record = VaultRecord(
            person_id, bytes([n]) * 32, {"full_name": name, "national_id": national_id}
        )
        body = st.person_registered(person_id, household, relation, sex, born, record)
        return self.statement("registrar", "person.registered", body, n), (record,)

    def leaf(self, index: int, envelope: dict[str, Any]) -> bytes:
        """The leaf of entry ``index``, recorded ``index`` seconds after the next hour."""
        at = f"2026-12-04T{self.hour + 1:02d}:{index // 60:02d}:{index % 60:02d}.000000Z"
        return Entry(index=index, recorded_at=at, envelope=envelope).leaf

    def leaves(self, statements: Sequence[Logged]) -> list[str]:
        """The leaves of a log of these statements, as text."""
        out = []
        for i, (s, vault) in enumerate(statements):
            sent = json.loads(self.submission(s, vault))
            out.append(self.leaf(i, sent["envelope"] if vault else sent).decode())
        return out

    def checkpoint(self, leaves: list[str]) -> str:
        """The notary's signed checkpoint of a log of these leaves."""
        notary = SigningKey(bytes([self.seeds["notary"]]) * 32)
        return sign_checkpoint(self.ledger, len(leaves), root_of(leaves), self.ledger, notary)

    def log(
        self, statements: Sequence[Logged], adoption_index: int | None = None
    ) -> dict[str, Any]:
        """The ``log`` of a vector file: its entries (type, submission, leaf), root and
        checkpoint, after the index of its ``ledger.formats.adopted`` if it has one."""
        leaves = self.leaves(statements)
        entries = [
            {"type": s["type"], "submission": self.submission(s, vault), "leaf": leaf}
            for (s, vault), leaf in zip(statements, leaves, strict=True)
        ]
        adoption = {} if adoption_index is None else {"adoption_index": adoption_index}
        return adoption | {
            "entries": entries,
            "root": base64.b64encode(root_of(leaves)).decode(),
            "checkpoint": self.checkpoint(leaves),
        }

    def case(
        self,
        name: str,
        state: str,
        s: dict[str, Any],
        code: str | None = None,
        field: str | None = None,
    ) -> dict[str, Any]:
        """A submission case: sent in ``state``, recorded, or refused with ``code`` on
        ``field``."""
        return {
            "name": name,
            "state": state,
            "submission": self.submission(s),
            "code": code,
            "field": field,
        }

    def head(self, about: str) -> dict[str, Any]:
        """The first members of a vector file: what it is, the ledger, the keys."""
        keys = {
            name: {"seed_hex": (bytes([n]) * 32).hex(), "key_id": self.keys[name].key_id}
            for name, n in self.seeds.items()
        }
        return {"about": about, "ledger_id": self.ledger, "keys": keys}


def document(doc: dict[str, Any]) -> str:
    """A vector file's text: ASCII, escaped (as the 1.1 vectors), so no editor changes a
    byte."""
    return json.dumps(doc, indent=1) + "\n"


def write(out: Path, content: str) -> None:
    """Write a maker's file and say so."""
    out.write_text(content, encoding="ascii")
    print(f"wrote {out} ({out.stat().st_size} bytes)", file=sys.stderr)
