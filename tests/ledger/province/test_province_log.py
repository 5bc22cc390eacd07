"""The province log: communes' checkpoints logged once checked, refusals naming the commune."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from ledger.audit.verifier import VerificationFailed
from ledger.errors import DatabaseUnreachable, InvalidField, LogTampered
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import MemoryTree, leaf_hash
from ledger.formats.notes import open_checkpoint, parse_note, sign_checkpoint
from ledger.province.entries import ProvinceRefused, canonical
from ledger.province.log import ProvinceLog
from ledger.province.store import ProvinceStore
from ledger.province.verify import verify_province
from tests.conftest import Officers
from tests.ledger.province.conftest import PROVINCE, PROVINCE_KEY, Commune


class Forged:
    """A commune's source whose latest checkpoint is replaced by ``note``."""

    def __init__(self, commune: Commune, note: str) -> None:
        self.inner = commune.source()
        self.note = note

    def latest_checkpoint(self) -> str:
        return self.note

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def followed(province: ProvinceLog, *communes: Commune) -> None:
    for commune in communes:
        province.add_commune(commune.origin, commune.notary_key, PROVINCE_KEY)


def entries(province: ProvinceLog) -> list[dict[str, object]]:
    return [json.loads(leaf) for leaf in province.store.leaves()]


def test_a_commune_checkpoint_is_logged_then_a_consistent_later_one(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["chieng-en"]
    followed(province, commune)
    first = commune.grow(2)
    done = province.collect([commune.source()], PROVINCE_KEY)
    assert done.logged == [f"{commune.origin} 4"] and not done.refused
    later = commune.grow(3)
    done = province.collect([commune.source()], PROVINCE_KEY)
    assert done.logged == [f"{commune.origin} 7"] and not done.refused
    logged = entries(province)
    assert [e["kind"] for e in logged] == ["commune", "checkpoint", "checkpoint"]
    assert (logged[1]["checkpoint"], logged[1]["previous_size"], logged[1]["consistency"]) == (
        first,
        0,
        [],
    )
    assert logged[2]["checkpoint"] == later and logged[2]["previous_size"] == 4
    assert logged[2]["consistency"]  # the proof from 4 to 7 is kept in the entry
    province_cp = open_checkpoint(done.checkpoint or "", PROVINCE, PROVINCE_KEY.public_key)
    tree = MemoryTree(leaf_hash(leaf) for leaf in province.store.leaves())
    assert (province_cp.size, province_cp.root) == (3, tree.root())


def test_an_unchanged_checkpoint_is_not_logged_twice_and_nothing_is_signed(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["chieng-en"]
    followed(province, commune)
    commune.grow(1)
    province.collect([commune.source()], PROVINCE_KEY)
    again = province.collect([commune.source()], PROVINCE_KEY)
    assert (again.logged, again.unchanged, again.checkpoint) == ([], [commune.origin], None)
    assert len(province.store.leaves()) == 2


def test_a_commune_ledger_rebuilt_differently_is_refused_naming_the_commune(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> None:
    honest, other = communes["chieng-en"], communes["muong-lam"]
    followed(province, honest, other)
    honest.grow(2)
    province.collect([honest.source()], PROVINCE_KEY)
    # The same origin and notary key, the log written again with other entries.
    rebuilt = Commune(str(tmp_path / "rebuilt.db"), Officers(honest.origin))
    try:
        rebuilt.grow(5)
        other.grow(1)
        done = province.collect([rebuilt.source(), other.source()], PROVINCE_KEY)
    finally:
        rebuilt.app.close()
    assert [r.commune for r in done.refused] == [honest.origin]
    assert "not consistent with the size 4 logged" in done.refused[0].message
    assert done.logged == [f"{other.origin} 3"]  # the other commune is logged all the same
    assert [e.get("size") for e in entries(province)][-2:] == [4, 3]


def test_a_split_view_of_the_same_size_is_refused_naming_the_commune(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["chieng-en"]
    followed(province, commune)
    note = commune.grow(2)
    province.collect([commune.source()], PROVINCE_KEY)
    cp = parse_note(note)
    notary = SigningKey(commune.officers.keys["notary"].seed)
    twin = sign_checkpoint(cp.origin, cp.size, bytes(32), cp.origin, notary)
    done = province.collect([Forged(commune, twin)], PROVINCE_KEY)
    assert [r.commune for r in done.refused] == [commune.origin]
    assert "two different trees of size 4" in done.refused[0].message
    assert done.checkpoint is None


def test_a_forged_or_mis_signed_checkpoint_is_refused_naming_the_commune(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["chieng-en"]
    followed(province, commune)
    note = commune.grow(2)
    cp = parse_note(note)
    altered = note.replace(base64.b64encode(cp.root).decode(), base64.b64encode(bytes(32)).decode())
    stranger = SigningKey(KeyPair.from_seed(b"\x66" * 32).seed)
    other_key = sign_checkpoint(cp.origin, cp.size, cp.root, cp.origin, stranger)
    for bad in (altered, other_key):
        done = province.collect([Forged(commune, bad)], PROVINCE_KEY)
        assert [r.commune for r in done.refused] == [commune.origin]
        assert "no valid signature" in done.refused[0].message
    assert len(province.store.leaves()) == 1


def test_a_commune_the_province_does_not_follow_is_refused(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["muong-lam"]
    commune.grow(1)
    done = province.collect([commune.source()], PROVINCE_KEY)
    assert [r.commune for r in done.refused] == [commune.origin]
    assert "does not follow" in done.refused[0].message


def test_a_commune_is_followed_once_and_the_province_signs_only_with_its_key(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["chieng-en"]
    followed(province, commune)
    with pytest.raises(ProvinceRefused, match="already followed"):
        followed(province, commune)
    with pytest.raises(InvalidField, match="not the key"):
        province.add_commune("ansinh.vn/x", commune.notary_key, KeyPair.from_seed(b"\x01" * 32))


def test_a_province_log_opens_once_per_database(province_db: str) -> None:
    ProvinceLog.init(province_db, PROVINCE_KEY, PROVINCE).store.close()
    with pytest.raises(InvalidField, match="already holds"):
        ProvinceLog.init(province_db, PROVINCE_KEY, PROVINCE)
    log = ProvinceLog(ProvinceStore(province_db))
    assert (log.origin, len(log.store.checkpoints())) == (PROVINCE, 1)
    log.store.close()


def bundle_of(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> tuple[Path, list[str]]:
    """Two communes followed, each logged twice; the bundle and the checkpoints logged."""
    followed(province, *communes.values())
    notes = []
    for households in (1, 2):
        for commune in communes.values():
            notes.append(commune.grow(households))
        province.collect([c.source() for c in communes.values()], PROVINCE_KEY)
    bundle = tmp_path / "bundle"
    province.export(bundle)
    return bundle, notes


def test_verify_province_passes_and_finds_every_held_checkpoint_in_the_log(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> None:
    bundle, notes = bundle_of(province, communes, tmp_path)
    outcome = verify_province(bundle, notes)
    assert outcome.size == 6 and outcome.origin == PROVINCE
    assert outcome.communes == {c.origin: 5 for c in communes.values()}
    assert len(outcome.held) == 4


def test_verify_province_names_the_commune_of_a_tampered_entry(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> None:
    bundle, _ = bundle_of(province, communes, tmp_path)
    lines = (bundle / "entries.jsonl").read_bytes().split(b"\n")
    entry = json.loads(lines[4])
    entry["consistency"][0] = base64.b64encode(bytes(32)).decode()
    lines[4] = canonical(entry)
    (bundle / "entries.jsonl").write_bytes(b"\n".join(lines))
    with pytest.raises(VerificationFailed) as failed:
        verify_province(bundle)
    assert str(failed.value).startswith(f"entry 4: commune {entry['origin']}: ")
    assert "not consistent" in str(failed.value)


def test_verify_province_refuses_entries_that_are_not_the_signed_root(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> None:
    bundle, _ = bundle_of(province, communes, tmp_path)
    lines = (bundle / "entries.jsonl").read_bytes().split(b"\n")
    (bundle / "entries.jsonl").write_bytes(b"\n".join([*lines[:4], lines[2], *lines[5:]]))
    with pytest.raises(VerificationFailed, match=r"entry 4: commune .*says index 2"):
        verify_province(bundle)
    (bundle / "entries.jsonl").write_bytes(b"\n".join([*lines[:-2], b""]))
    with pytest.raises(VerificationFailed, match="size 6, the bundle has 5 entries"):
        verify_province(bundle)


def test_verify_province_names_the_commune_of_a_held_checkpoint_not_logged_or_split(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> None:
    bundle, notes = bundle_of(province, communes, tmp_path)
    commune = communes["muong-lam"]
    unlogged = commune.grow(1)
    with pytest.raises(VerificationFailed, match=f"commune {commune.origin}: .*size 6 is not in"):
        verify_province(bundle, [unlogged])
    cp = parse_note(notes[1])
    notary = SigningKey(commune.officers.keys["notary"].seed)
    twin = sign_checkpoint(cp.origin, cp.size, bytes(32), cp.origin, notary)
    with pytest.raises(VerificationFailed, match=f"commune {commune.origin}: .*split view"):
        verify_province(bundle, [twin])


class Unreachable:
    def origin(self) -> str:
        raise DatabaseUnreachable("cannot reach it")


def test_a_commune_that_cannot_be_read_is_named_by_where_it_was_sought(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    commune = communes["chieng-en"]
    followed(province, commune)
    commune.grow(1)
    sources = [Unreachable(), commune.source()]
    labels = ["http://127.0.0.1:9", "chieng-en.db"]
    done = province.collect(sources, PROVINCE_KEY, labels)  # type: ignore[arg-type]
    assert [r.commune for r in done.refused] == ["http://127.0.0.1:9"]
    assert "could not be read (db: cannot reach it)" in done.refused[0].message
    assert done.logged == [f"{commune.origin} 3"]


def test_the_province_refuses_to_sign_over_a_rewritten_entry(
    province: ProvinceLog, communes: dict[str, Commune]
) -> None:
    first, second = communes.values()
    followed(province, first)
    leaf = province.store.leaves()[0].replace(b"chieng-en", b"chieng-xx")
    province.store._run("UPDATE province_leaves SET leaf=? WHERE idx=0", (leaf,))
    province.store._commit()
    with pytest.raises(LogTampered, match="signed at size 1"):
        followed(province, second)
    assert len(province.store.checkpoints()) == 2


def test_verify_province_refuses_a_checkpoint_not_signed_by_the_province_key(
    province: ProvinceLog, communes: dict[str, Commune], tmp_path: Path
) -> None:
    bundle, _ = bundle_of(province, communes, tmp_path)
    cp = parse_note((bundle / "checkpoint").read_text())
    stranger = SigningKey(KeyPair.from_seed(b"\x67" * 32).seed)
    (bundle / "checkpoint").write_text(
        sign_checkpoint(PROVINCE, cp.size, cp.root, PROVINCE, stranger)
    )
    with pytest.raises(VerificationFailed, match=r"province checkpoint: .*no valid signature"):
        verify_province(bundle)
