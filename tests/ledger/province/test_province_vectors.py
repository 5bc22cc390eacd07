"""Every byte of tests/vectors/province-log.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md section 13): a province log following two
communes and holding three of their checkpoints, its root and signed
checkpoint; and commune checkpoints the province must refuse, naming the
commune (a log written again, a second tree of one size, a wrong signer).
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from ledger.formats.merkle import MemoryTree
from ledger.formats.notes import open_checkpoint
from ledger.province.entries import Chain, ProvinceRefused, checkpoint_leaf
from ledger.province.log import ProvinceLog
from ledger.province.verify import verify_province
from tests.vectors import province_log as maker

FILE = Path(__file__).parents[2] / "vectors" / "province-log.json"
VECTORS: dict[str, Any] = json.loads(FILE.read_text("ascii"))
LEAVES = [entry.encode() for entry in VECTORS["entries"]]


class Given:
    """A commune that answers with a vector's checkpoint and consistency proof."""

    def __init__(self, origin: str, note: str, proof: list[str]) -> None:
        self._origin, self.note, self.proof = origin, note, proof

    def origin(self) -> str:
        return self._origin

    def latest_checkpoint(self) -> str:
        return self.note

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return [base64.b64decode(h) for h in self.proof]


def test_the_maker_reproduces_the_vector_file_byte_for_byte() -> None:
    assert maker.build() == FILE.read_text("ascii")


def test_the_leaf_hashes_root_and_province_checkpoint_follow_from_the_entry_bytes() -> None:
    hashes = [hashlib.sha256(b"\x00" + leaf).digest() for leaf in LEAVES]
    assert [h.hex() for h in hashes] == VECTORS["leaf_hashes"]
    province = VECTORS["province"]
    key = base64.b64decode(province["public_key"])
    cp = open_checkpoint(VECTORS["checkpoint"], province["origin"], key, origin=province["origin"])
    assert (cp.size, cp.root) == (len(LEAVES), MemoryTree(hashes).root())
    assert base64.b64encode(cp.root).decode() == VECTORS["root"]


def test_a_province_log_fed_the_vector_checkpoints_stores_exactly_the_vector(
    province_db: str,
) -> None:
    log = ProvinceLog.init(province_db, maker.PROVINCE_KEY, maker.PROVINCE)
    try:
        entries = [json.loads(leaf) for leaf in LEAVES]
        for entry in entries:
            if entry["kind"] == "commune":
                key = base64.b64decode(entry["notary_key"])
                log.add_commune(entry["origin"], key, maker.PROVINCE_KEY)
        for entry in entries:
            if entry["kind"] == "checkpoint":
                given = Given(entry["origin"], entry["checkpoint"], entry["consistency"])
                assert not log.collect([given], maker.PROVINCE_KEY).refused
        assert log.store.leaves() == LEAVES
        assert log.latest() == VECTORS["checkpoint"]
        for case in VECTORS["refused"]:
            given = Given(case["commune"], case["checkpoint"], case["consistency"])
            done = log.collect([given], maker.PROVINCE_KEY)
            assert [r.commune for r in done.refused] == [case["commune"]], case["why"]
            assert case["why"] in done.refused[0].message
        assert log.store.leaves() == LEAVES
    finally:
        log.store.close()


@pytest.mark.parametrize("case", VECTORS["refused"], ids=lambda c: c["why"])
def test_each_refused_case_fails_as_an_entry_naming_its_commune(case: dict[str, Any]) -> None:
    chain = Chain()
    for leaf in LEAVES:
        chain.apply(leaf)
    proof = [base64.b64decode(h) for h in case["consistency"]]
    leaf = checkpoint_leaf(
        len(LEAVES), case["commune"], case["checkpoint"], case["previous_size"], proof
    )
    with pytest.raises(ProvinceRefused) as refused:
        chain.apply(leaf)
    assert refused.value.commune == case["commune"]
    assert refused.value.message.startswith(f"entry {len(LEAVES)}: commune {case['commune']}: ")
    assert case["why"] in refused.value.message


def test_verify_province_accepts_the_vector_as_a_bundle(tmp_path: Path) -> None:
    (tmp_path / "province.json").write_text(json.dumps(VECTORS["province"]))
    (tmp_path / "entries.jsonl").write_bytes(b"".join(leaf + b"\n" for leaf in LEAVES))
    (tmp_path / "checkpoint").write_text(VECTORS["checkpoint"])
    held = [json.loads(leaf)["checkpoint"] for leaf in LEAVES[2:]]
    outcome = verify_province(tmp_path, held)
    assert outcome.communes == {o: n for o, n in zip(maker.COMMUNES, (7, 5), strict=True)}
    assert len(outcome.held) == 3
