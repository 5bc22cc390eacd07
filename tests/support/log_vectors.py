"""The project's vector files of a log (docs/formats.md 10.5, 11.x), and how every test of
one reads them: the log's entries as exact leaves, its signed checkpoint, submission cases
with the state they are sent to, and both verifiers run on the log or a log broken.

Each ``tests/ledger/formats/test_*_vectors.py`` makes a :class:`LogVectors` of its file
and asks it; what is particular to a version (which entries a case's state holds, how a
broken log is written) stays in that test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ledger.application import LedgerApplication
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import VerificationFailed
from ledger.domain.acceptance import submission_from_json
from ledger.errors import LedgerError
from ledger.formats.merkle import leaf_hash, root_hash
from tests.ledger.audit.independent import Rejected, verify_independently
from tests.support.paths import PROJECT_VECTORS


def submit(app: LedgerApplication, text: str) -> int:
    """Record one submission given as the exact text a client sends; its index."""
    return app.submit(submission_from_json(json.loads(text))).index


def write_bundle(tmp_path: Path, leaves: list[str], checkpoint: str) -> Path:
    """An audit bundle directory of these leaves and checkpoint (FORMATS §7)."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "entries.jsonl").write_text("".join(f"{leaf}\n" for leaf in leaves), "utf-8")
    (bundle / "checkpoint").write_text(checkpoint, encoding="utf-8")
    return bundle


class LogVectors:
    """One vector file of ``tests/vectors/``."""

    def __init__(self, name: str) -> None:
        self.file = PROJECT_VECTORS / name
        self.vectors: dict[str, Any] = json.loads(self.file.read_text("ascii"))
        self.log: dict[str, Any] = self.vectors["log"]
        self.authority: str = self.vectors["keys"]["authority"]["key_id"]

    @property
    def cases(self) -> list[dict[str, Any]]:
        return list(self.vectors["cases"])

    def leaves(self) -> list[str]:
        return [entry["leaf"] for entry in self.log["entries"]]

    def hold(self, app: LedgerApplication, count: int | None = None) -> None:
        """Record the log's first ``count`` entries (all of them by default)."""
        for entry in self.log["entries"][:count]:
            submit(app, entry["submission"])

    def held_by(self, case: dict[str, Any]) -> int:
        """How many entries a case's state holds: the log up to its adoption, or all."""
        entries = len(self.log["entries"])
        return self.log["adoption_index"] if case["state"] == "before_adoption" else entries

    def check_case(self, app: LedgerApplication, case: dict[str, Any], held: int) -> None:
        """Send the case to a ledger holding ``held`` entries: recorded next, or refused
        with its code and field and nothing written."""
        self.hold(app, held)
        size = app.size()
        if case["code"] is None:
            assert submit(app, case["submission"]) == size
            return
        with pytest.raises(LedgerError) as refused:
            submit(app, case["submission"])
        assert (refused.value.code, refused.value.field) == (case["code"], case["field"])
        assert app.size() == size

    def verify_both(self, tmp_path: Path) -> int:
        """Both verifiers accept the whole log; its size."""
        leaves = self.leaves()
        outcome = verify_bundle(
            write_bundle(tmp_path, leaves, self.log["checkpoint"]), authority=self.authority
        )
        entries = "".join(f"{leaf}\n" for leaf in leaves).encode()
        size, root = verify_independently(entries, self.log["checkpoint"], self.authority)
        assert outcome.entries == size == len(leaves)
        assert root == root_hash([leaf_hash(leaf.encode()) for leaf in leaves])
        return size

    def failures(
        self, tmp_path: Path, leaves: list[str], checkpoint: str
    ) -> tuple[VerificationFailed, Rejected]:
        """How each verifier fails a broken log (each must)."""
        with pytest.raises(VerificationFailed) as failed:
            verify_bundle(write_bundle(tmp_path, leaves, checkpoint), authority=self.authority)
        with pytest.raises(Rejected) as rejected:
            entries = "".join(f"{leaf}\n" for leaf in leaves).encode()
            verify_independently(entries, checkpoint, self.authority)
        return failed.value, rejected.value
