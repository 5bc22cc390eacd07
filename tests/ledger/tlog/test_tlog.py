"""The transparency log: the node cache, proofs, and the checkpoints the notary signs."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from typing import Any
from urllib.parse import parse_qs

import psycopg
import pytest
from psycopg import sql

from ledger.application import LedgerApplication
from ledger.errors import LogInconsistent, WrongNotaryKey
from ledger.formats import merkle
from ledger.formats.notes import open_checkpoint, parse_note
from ledger.tlog.merkle_log import MerkleLog
from tests.conftest import LEDGER_ID, Officers, Story, new_id

LOG_SIZE = 40


def raw_sql(db_url: str, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Run one statement on the database behind the ledger's back (``?`` placeholders)."""
    if db_url.startswith(("postgresql://", "postgres://")):
        base, _, query = db_url.partition("?")
        schema = parse_qs(query)["schema"][0]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
            conn.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]
        return
    with closing(sqlite3.connect(db_url)) as conn, conn:
        conn.execute(statement, params)


def leaf_hashes(app: LedgerApplication) -> list[bytes]:
    return [e.leaf_hash for e in app.entries()]


def households(story: Story, count: int) -> None:
    for _ in range(count):
        story.household()


def batch_of_households(story: Story, count: int) -> None:
    subs = []
    for _ in range(count):
        hid = new_id()
        subs.append(
            story.o.sub(
                "registrar",
                "household.registered",
                {"household_id": hid, "code": f"CE-{hid[:6]}", "village": "Bản Mé"},
            )
        )
    story.app.submit_batch(subs)


@pytest.fixture
def grown(app: LedgerApplication, officers: Officers) -> tuple[Story, MerkleLog, list[bytes]]:
    """A log of LOG_SIZE entries whose node cache was caught up as it grew."""
    app.submit(officers.opened())
    mlog = MerkleLog(app)
    assert mlog.catch_up() == 1
    for name in ("registrar", "approver", "cashier", "inspector"):
        app.submit(officers.register(name))
        mlog.catch_up()
    story = Story(app, officers)
    households(story, LOG_SIZE - app.size())
    mlog.catch_up()
    return story, mlog, leaf_hashes(app)


def test_root_after_each_catch_up_is_the_rfc9162_root_of_every_leaf_so_far(
    app: LedgerApplication, officers: Officers
) -> None:
    app.submit(officers.opened())
    mlog = MerkleLog(app)
    app.submit(officers.register("registrar"))
    story = Story(app, officers)
    while app.size() < LOG_SIZE:
        households(story, 1 if app.size() < 12 else 3)
        assert mlog.catch_up() == app.size()
        leaves = leaf_hashes(app)
        assert mlog.size() == len(leaves)
        assert mlog.root() == merkle.root_hash(leaves)
        for size in range(1, len(leaves) + 1):
            assert mlog.root(size) == merkle.root_hash(leaves[:size]), size
    assert mlog.root(0) == merkle.EMPTY_ROOT


def test_every_inclusion_proof_verifies_against_the_root_at_its_size(grown) -> None:
    _, mlog, leaves = grown
    roots = {size: merkle.root_hash(leaves[:size]) for size in range(1, len(leaves) + 1)}
    for size, root in roots.items():
        for index in range(size):
            assert mlog.leaf_hash(index) == leaves[index]
            proof = mlog.inclusion_proof(index, size)
            merkle.verify_inclusion(leaves[index], index, size, proof, root)
            if size > 1:
                other = leaves[(index + 1) % size]
                with pytest.raises(merkle.ProofError):
                    merkle.verify_inclusion(other, index, size, proof, root)


def test_every_consistency_proof_verifies_between_the_roots_at_both_sizes(grown) -> None:
    _, mlog, leaves = grown
    roots = {size: merkle.root_hash(leaves[:size]) for size in range(1, len(leaves) + 1)}
    for second in roots:
        for first in range(1, second + 1):
            proof = mlog.consistency_proof(first, second)
            merkle.verify_consistency(first, second, roots[first], roots[second], proof)
            if first < second:
                with pytest.raises(merkle.ProofError):
                    merkle.verify_consistency(first, second, roots[first], roots[second - 1], proof)


def test_incremental_catch_up_builds_the_same_tree_as_a_rebuild(grown) -> None:
    story, mlog, _ = grown
    for _ in range(4):
        households(story, 3)
        assert mlog.catch_up() == story.app.size()
        assert mlog.catch_up() == story.app.size()  # nothing new: adds no node, does not fail
    size = mlog.size()
    incremental = [mlog.root(n) for n in range(1, size + 1)]
    assert mlog.rebuild() == size
    assert [mlog.root(n) for n in range(1, size + 1)] == incremental
    assert incremental[-1] == merkle.root_hash(leaf_hashes(story.app))


def test_a_catch_up_another_process_beat_goes_on_from_where_that_one_got_to(
    grown, monkeypatch: pytest.MonkeyPatch
) -> None:
    story, mlog, _ = grown
    households(story, 5)
    other = MerkleLog(story.app)  # a server or a command on the same database
    real, raced = mlog.store.append, []

    def beaten(nodes: Any, tracking: Any) -> None:
        if not raced:  # the other appends the same entries just before this one does
            raced.append(True)
            assert other.catch_up() == story.app.size()
        real(nodes, tracking)

    monkeypatch.setattr(mlog.store, "append", beaten)
    assert mlog.catch_up() == story.app.size() and raced
    assert mlog.root() == merkle.root_hash(leaf_hashes(story.app))


def test_a_catch_up_that_read_where_the_cache_stood_just_before_another_appended_goes_on(
    grown, monkeypatch: pytest.MonkeyPatch
) -> None:
    story, mlog, _ = grown
    households(story, 5)
    other = MerkleLog(story.app)  # the server's reads and a page's reads, in two threads
    real, raced = mlog.store.progress, []

    def read_then_beaten(name: str) -> tuple[int, int]:
        read = real(name)
        if not raced:  # the other appends every new entry right after this read
            raced.append(True)
            assert other.catch_up() == story.app.size()
        return read

    monkeypatch.setattr(mlog.store, "progress", read_then_beaten)
    assert mlog.catch_up() == story.app.size() and raced
    assert mlog.root() == merkle.root_hash(leaf_hashes(story.app))


def test_the_tracked_position_and_the_leaf_count_are_read_together(grown) -> None:
    story, mlog, _ = grown
    position, size = mlog.store.progress(story.app.name)
    assert size == mlog.store.leaf_count() == story.app.size()
    assert position == mlog.store.max_tracking_id(story.app.name)


def test_issued_checkpoint_opens_with_the_charters_notary_key_and_the_ledger_id_as_origin(
    story: Story,
) -> None:
    households(story, 2)
    mlog = MerkleLog(story.app)
    issued = mlog.issue(story.o.keys["notary"])
    notary = story.o.keys["notary"].public_key
    cp = open_checkpoint(issued.note, LEDGER_ID, notary, origin=LEDGER_ID)
    assert (cp.size, cp.root) == (story.app.size(), merkle.root_hash(leaf_hashes(story.app)))
    assert (issued.size, issued.root) == (cp.size, cp.root)
    assert mlog.latest() == issued
    with pytest.raises(ValueError):
        open_checkpoint(issued.note, LEDGER_ID, story.o.keys["inspector"].public_key)


def test_issue_with_another_key_than_the_notarys_is_refused(story: Story) -> None:
    mlog = MerkleLog(story.app)
    for who in ("authority", "inspector"):
        with pytest.raises(WrongNotaryKey):
            mlog.issue(story.o.keys[who])
    assert mlog.checkpoints() == []


def test_issuing_twice_at_the_same_size_returns_the_same_checkpoint(story: Story) -> None:
    mlog = MerkleLog(story.app)
    first = mlog.issue(story.o.keys["notary"])
    assert mlog.issue(story.o.keys["notary"]) == first
    assert mlog.issue(story.o.keys["notary"], first.size) == first
    assert len(mlog.checkpoints()) == 1


def test_every_issued_checkpoint_is_kept_and_listed_in_size_order(story: Story) -> None:
    mlog = MerkleLog(story.app)
    notary = story.o.keys["notary"]
    first = mlog.issue(notary)
    households(story, 5)
    last = mlog.issue(notary)
    middle = mlog.issue(notary, first.size + 2)
    kept = mlog.checkpoints()
    assert [cp.size for cp in kept] == [first.size, first.size + 2, last.size]
    assert kept == [first, middle, last]
    for cp in kept:
        assert parse_note(cp.note).root == cp.root == mlog.root(cp.size)
        assert mlog.checkpoint_at(cp.size) == cp
    assert mlog.checkpoint_at(first.size + 1) is None


def test_issue_refuses_to_sign_over_an_altered_node_cache(story: Story, db_url: str) -> None:
    mlog = MerkleLog(story.app)
    notary = story.o.keys["notary"]
    signed = mlog.issue(notary)
    assert signed.size == 5
    # The leaf on the frontier of size 5: every subtree completed later hashes it in.
    raw_sql(
        db_url, "UPDATE ansinh_merkle_nodes SET hash=? WHERE level=0 AND idx=4", (b"\x5a" * 32,)
    )
    households(story, 3)
    with pytest.raises(LogInconsistent) as refused:
        mlog.issue(notary)
    assert refused.value.code == "LOG_TAMPERED"
    assert "the Merkle node cache (ansinh_merkle_nodes) gives root" in refused.value.message
    assert "at size 8, the entries give" in refused.value.message
    assert mlog.checkpoints() == [signed]


def count_node_lookups(mlog: MerkleLog, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Wrap the store's node lookup; each call appends how many keys it asked for."""
    calls: list[int] = []
    real = mlog.store.nodes

    def counting(keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        wanted = list(keys)
        calls.append(len(wanted))
        return real(wanted)

    monkeypatch.setattr(mlog.store, "nodes", counting)
    return calls


def test_proofs_read_a_logarithmic_number_of_nodes_from_the_store(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    while story.app.size() < 1000:
        batch_of_households(story, min(250, 1000 - story.app.size()))
    mlog = MerkleLog(story.app)
    assert mlog.catch_up() == 1000
    leaves = leaf_hashes(story.app)
    calls = count_node_lookups(mlog, monkeypatch)
    sizes = [1, 2, 3, 255, 511, 512, 513, 767, 999, 1000]

    def asked(what: str) -> int:
        assert len(calls) == 1, what  # one query per proof
        keys = calls.pop()
        assert keys < 64, (what, keys)
        return keys

    for size in sizes:
        root = merkle.root_hash(leaves[:size])
        assert mlog.root(size) == root
        assert asked(f"root({size})") >= 1
        for index in sorted({0, 1 % size, size // 2, size - 2 if size > 1 else 0, size - 1}):
            merkle.verify_inclusion(
                leaves[index], index, size, mlog.inclusion_proof(index, size), root
            )
            asked(f"inclusion({index}, {size})")
        for first in (s for s in sizes if s <= size):
            proof = mlog.consistency_proof(first, size)
            merkle.verify_consistency(first, size, merkle.root_hash(leaves[:first]), root, proof)
            asked(f"consistency({first}, {size})")
    assert base64.b64encode(mlog.root()).decode() in mlog.issue(story.o.keys["notary"]).note


@pytest.mark.parametrize(
    ("recorded_at", "envelope"),
    [
        ("2022-01-05T01:00:00.000001Z", None),  # an accepted entry, as stored
        ("2022-01-05T01:00:00Z", {"payload": "eA==", "payloadType": "ý", "signatures": []}),
        ('2022"01', None),  # a time that JSON must escape
    ],
)
def test_the_stored_entry_hash_is_the_leaf_hash_of_the_entry(
    story: Story, recorded_at: str, envelope: dict[str, Any] | None
) -> None:
    # The node store hashes stored entries the fast way; whatever a row holds,
    # the hash is the RFC 9162 leaf hash of the entry's leaf bytes.
    from ledger.domain.log import Entry
    from ledger.tlog.merkle_log import _entry_hash

    stored = envelope or dict(story.app.entry(1).envelope)
    expected = merkle.leaf_hash(Entry(7, recorded_at, stored).leaf)
    assert _entry_hash(7, recorded_at, stored) == expected
