"""The independent verifier, written from FORMATS.md and docs/formats.md alone, on the vectors."""

from __future__ import annotations

import pytest

from tests.ledger.audit.test_independent_verifier import Rejected, verify_independently
from tests.support.vectors import load_formats_1_1


def _vector_log(name: str) -> tuple[bytes, str, str]:
    vectors = load_formats_1_1()
    log = vectors["verify"][name]
    lines = b"".join(entry["leaf"].encode() + b"\n" for entry in log["entries"])
    return lines, log["checkpoint"], vectors["keys"]["authority"]["key_id"]


def test_the_independent_verifier_warns_of_a_v1_entry_that_breaks_a_1_1_rule() -> None:
    entries, note, authority = _vector_log("v1")
    warnings: list[str] = []
    assert verify_independently(entries, note, authority, warnings)[0] == 5
    assert warnings == ["entry 4: body.holder.id: not a holder id"]


def test_the_independent_verifier_rejects_it_in_a_ledger_that_declares_1_1() -> None:
    entries, note, authority = _vector_log("declared_1_1")
    with pytest.raises(Rejected) as rejected:
        verify_independently(entries, note, authority)
    assert str(rejected.value) == "entry 4: FORMATS 1.1: body.holder.id: not a holder id"
