"""`ansinh verify` on many entries: worker processes, the fast path, blocks read in place.

The bundles here are generated as `ansinh bench verify` generates them (a
signed log of households, people, benefits and payments), then tampered
with far from the start, where the entries are checked by worker
processes in blocks of a few dozen entries.
"""

from __future__ import annotations

import base64
import json
import random
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.bench.bundle import (
    generate_bundle,
    recorded_at,
    signed_leaf,
    statement_at,
)
from api.cli.main import app as cli_app
from ledger.audit import verifier
from ledger.audit.bundle import open_bundle
from ledger.audit.entry import EntryInvalid, Span, check_chunk, check_entry, split_block
from ledger.audit.ledger import verify_bundle
from ledger.audit.verifier import Replay, VerificationFailed, replay_lines
from ledger.formats.dsse import leaf_json

ENTRIES = 1500
TAMPERED = 1234  # a payment, far beyond the first block
BLOCK = 16_384  # about 15 entries per worker task


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    directory = tmp_path_factory.mktemp("generated") / "bundle"
    return directory, generate_bundle(directory, ENTRIES, 1)


def lines_of(bundle: Path) -> list[bytes]:
    return (bundle / "entries.jsonl").read_bytes().split(b"\n")[:-1]


def with_lines(generated: tuple[Path, str], tmp_path: Path, lines: list[bytes]) -> Path:
    copy = Path(shutil.copytree(generated[0], tmp_path / "tampered"))
    (copy / "entries.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))
    return copy


def failure(bundle: Path, authority: str, processes: int = 2) -> VerificationFailed:
    with pytest.raises(VerificationFailed) as failed:
        verify_bundle(bundle, authority=authority, processes=processes, block_bytes=BLOCK)
    return failed.value


def releaf(line: bytes, **changes: Any) -> bytes:
    """The leaf with some of its fields changed, still in canonical form."""
    return leaf_json({**json.loads(line), **changes})


@pytest.mark.parametrize("block_bytes", [BLOCK, 700])  # 700: shorter than one line
def test_a_generated_bundle_verifies_alike_on_one_process_and_on_two(
    generated: tuple[Path, str], block_bytes: int
) -> None:
    bundle, authority = generated
    one = verify_bundle(bundle, authority=authority, processes=1, block_bytes=block_bytes)
    two = verify_bundle(bundle, authority=authority, processes=2, block_bytes=block_bytes)
    assert (one.entries, one.checkpoint_size) == (two.entries, two.checkpoint_size) == (1500, 1500)
    assert one.root == two.root


def test_leaves_given_one_by_one_are_checked_on_workers_in_order(
    generated: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As ``ansinh verify --db`` gives them, from the database."""
    monkeypatch.setattr(verifier, "CHUNK", 50)
    bundle, authority = generated
    lines = lines_of(bundle)
    replay = replay_lines(lines, Replay(authority=authority), processes=2)
    assert (replay.size, replay.tree.root()) == (ENTRIES, verify_bundle(bundle).root)
    _bad_signature(lines)
    with pytest.raises(VerificationFailed) as failed:
        replay_lines(lines, Replay(authority=authority), processes=2)
    assert (failed.value.index, failed.value.reason) == (
        TAMPERED,
        "BAD_SIGNATURE: signature does not verify",
    )


def _invalid_body(lines: list[bytes]) -> None:
    _, statement = statement_at(TAMPERED)
    statement["body"]["amount"] = -1_624_000
    lines[TAMPERED] = signed_leaf(TAMPERED, statement)


def _non_canonical_payload(lines: list[bytes]) -> None:
    leaf = json.loads(lines[TAMPERED])
    payload = base64.b64decode(leaf["envelope"]["payload"]).replace(b'"at":', b'"at": ')
    leaf["envelope"]["payload"] = base64.b64encode(payload).decode()
    lines[TAMPERED] = leaf_json(leaf)


def _bad_signature(lines: list[bytes]) -> None:
    leaf = json.loads(lines[TAMPERED])
    sig = bytearray(base64.b64decode(leaf["envelope"]["signatures"][0]["sig"]))
    sig[5] ^= 1
    leaf["envelope"]["signatures"][0]["sig"] = base64.b64encode(sig).decode()
    lines[TAMPERED] = leaf_json(leaf)


def _replayed(lines: list[bytes]) -> None:
    envelope = json.loads(lines[TAMPERED - 20])["envelope"]
    lines[TAMPERED] = releaf(lines[TAMPERED], envelope=envelope)


def _key_id(name: str) -> str:
    """The key id of one of the generated log's keys, from a leaf it signs."""
    leaf = json.loads(signed_leaf(5, by=name))
    return str(leaf["envelope"]["signatures"][0]["keyid"])


def _unregistered_author(lines: list[bytes]) -> None:
    _, statement = statement_at(TAMPERED)
    lines[TAMPERED] = signed_leaf(TAMPERED, {**statement, "by": _key_id("stranger")}, by="stranger")


def _wrong_role(lines: list[bytes]) -> None:
    _, statement = statement_at(TAMPERED)
    lines[TAMPERED] = signed_leaf(
        TAMPERED, {**statement, "by": _key_id("registrar")}, by="registrar"
    )


TAMPERINGS = {
    "a body that breaks its schema": (_invalid_body, "INVALID_FIELD: body.amount"),
    "a payload that is not canonical": (_non_canonical_payload, "NON_CANONICAL"),
    "a leaf that is not canonical": (
        lambda lines: lines.__setitem__(TAMPERED, lines[TAMPERED].replace(b":", b": ", 1)),
        "leaf bytes are not canonical JSON",
    ),
    "a changed signature": (_bad_signature, "BAD_SIGNATURE"),
    "a deleted entry": (lambda lines: lines.pop(TAMPERED), f"leaf says index {TAMPERED + 1}"),
    "an envelope recorded twice": (_replayed, "REPLAYED_NONCE"),
    "a time before the previous entry's": (
        lambda lines: lines.__setitem__(
            TAMPERED, releaf(lines[TAMPERED], recorded_at=recorded_at(TAMPERED - 2))
        ),
        "goes back in time",
    ),
    "a key never registered": (_unregistered_author, "not registered before it"),
    "a key without the role": (_wrong_role, "ROLE_NOT_ALLOWED: registrar may not sign payment"),
    "a line that is not JSON": (
        lambda lines: lines.__setitem__(TAMPERED, lines[TAMPERED][:-1]),
        "leaf is not JSON",
    ),
}


@pytest.mark.parametrize("processes", [2, 1])
@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_tampering_far_into_the_log_is_named_by_its_entry(
    generated: tuple[Path, str], tmp_path: Path, tampering: str, processes: int
) -> None:
    plant, reason = TAMPERINGS[tampering]
    lines = lines_of(generated[0])
    plant(lines)
    failed = failure(with_lines(generated, tmp_path, lines), generated[1], processes)
    assert failed.index == TAMPERED, str(failed)
    assert reason in failed.reason


def test_the_fast_path_accepts_nothing_the_reference_path_refuses(
    generated: tuple[Path, str],
) -> None:
    lines = lines_of(generated[0])[:60]
    check_chunk(0, lines[:5], {})  # the keys, as the verifier learns them first
    rng = random.Random(8785)
    differ = 0
    for _ in range(3000):
        index = rng.randrange(5, len(lines))
        line = bytearray(lines[index])
        line[rng.randrange(len(line))] = rng.choice(b'"\\ {}[],:0aA=+/\x00\xc3')
        checked, failed = check_chunk(index, [bytes(line)], {})
        try:
            expected = check_entry(index, bytes(line))
        except EntryInvalid as exc:
            assert (checked, failed) == ([], (index, exc.reason))
        else:
            assert (checked, failed) == ([expected], None)
            differ += 1
    assert 0 < differ < 3000  # both kinds of outcome were tried


def test_a_leaf_with_two_signatures_takes_the_reference_path_and_verifies(
    generated: tuple[Path, str],
) -> None:
    lines = lines_of(generated[0])
    check_chunk(0, lines[:5], {})
    leaf = json.loads(lines[TAMPERED])
    cosigner = json.loads(signed_leaf(TAMPERED, by="stranger"))["envelope"]["signatures"][0]
    leaf["envelope"]["signatures"].append(cosigner)
    line = leaf_json(leaf)
    checked, failed = check_chunk(TAMPERED, [line], {})
    assert failed is None
    assert checked == [check_entry(TAMPERED, line)]
    *_, signature_ok, _, amended = checked[0]
    assert signature_ok is True  # the author's signature verifies
    # v1 allowed it; FORMATS 1.1 does not (the replay decides which applies)
    assert amended == "MALFORMED: signatures: must hold exactly one signature, not 2 (FORMATS 1.1)"


def test_an_uncompressed_tar_is_read_in_place_and_a_gzipped_one_as_a_stream(
    generated: tuple[Path, str], tmp_path: Path
) -> None:
    bundle, authority = generated
    for name, mode, in_place in (("b.tar", "w", True), ("b.tar.gz", "w:gz", False)):
        with tarfile.open(tmp_path / name, mode) as tar:
            for member in ("entries.jsonl", "checkpoint"):
                tar.add(bundle / member, arcname=member)
        with open_bundle(tmp_path / name) as opened:
            assert (opened.region is not None) is in_place
        outcome = verify_bundle(
            tmp_path / name, authority=authority, processes=2, block_bytes=BLOCK
        )
        assert outcome.entries == ENTRIES


def test_entries_that_change_while_being_verified_are_refused(
    generated: tuple[Path, str],
) -> None:
    path = str(generated[0] / "entries.jsonl")
    whole = (generated[0] / "entries.jsonl").read_bytes()
    end = whole.index(b"\n", 5000) + 1
    assert len(split_block(0, Span(path, 0, end, whole.count(b"\n", 0, end)))) > 1
    with pytest.raises(EntryInvalid, match="changed while it was being verified"):
        split_block(0, Span(path, 0, end, whole.count(b"\n", 0, end) + 1))


def test_entries_that_do_not_end_with_a_newline_are_refused(
    generated: tuple[Path, str], tmp_path: Path
) -> None:
    copy = with_lines(generated, tmp_path, lines_of(generated[0]))
    entries = copy / "entries.jsonl"
    entries.write_bytes(entries.read_bytes()[:-1])
    assert f"line {ENTRIES - 1} does not end with a newline" in str(failure(copy, generated[1]))


def test_bench_verify_compares_the_verifier_with_the_raw_signature_rate() -> None:
    result = CliRunner().invoke(cli_app, ["bench", "verify", "--entries", "300", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["entries"] == 300
    assert len(report["raw_verify_per_s_before_after"]) == 2
    assert report["verify_ratio"] == pytest.approx(
        report["verify_per_s"] / report["raw_verify_per_s"], abs=1e-3
    )
    assert 0 < report["verify_cpu_ratio"] < 1.5
