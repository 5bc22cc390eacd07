"""RFC 9162 Merkle hashing, proofs and their verification (ledger.formats.merkle)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.formats.merkle import (
    EMPTY_ROOT,
    MemoryTree,
    ProofError,
    RootAccumulator,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    range_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from tests.support.vectors import load_formats, load_vector_file, vector_files


def b64(text: str | None) -> bytes:
    return base64.b64decode(text) if text else b""


def b64_list(items: list[str] | None) -> list[bytes]:
    return [b64(item) for item in items or []]


def leaves(count: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(count)]


def naive_subtree(hashes: list[bytes]) -> Callable[[int, int], bytes]:
    """Hash a range by rebuilding it from its leaves: the definition, not the fast path."""
    return lambda start, end: root_hash(hashes[start:end])


def naive_perfect(hashes: list[bytes]) -> Callable[[int, int], bytes]:
    def perfect(level: int, index: int) -> bytes:
        width = 1 << level
        assert (index + 1) * width <= len(hashes), "asked for an incomplete subtree"
        return root_hash(hashes[index * width : (index + 1) * width])

    return perfect


def vector_leaf_hashes(formats: dict[str, Any]) -> list[bytes]:
    return [leaf_hash(entry["leaf"].encode("utf-8")) for entry in formats["entries"]]


# Hashing -------------------------------------------------------------------


def test_empty_tree_hashes_to_sha256_of_the_empty_string() -> None:
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_hash([]) == EMPTY_ROOT
    assert MemoryTree().root() == EMPTY_ROOT
    assert RootAccumulator().root() == EMPTY_ROOT


def test_leaf_and_node_hashes_use_the_rfc9162_domain_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    left, right = b"L" * 32, b"R" * 32
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()


def test_root_hash_splits_at_the_largest_power_of_two_below_the_size() -> None:
    h = leaves(7)
    left = node_hash(node_hash(h[0], h[1]), node_hash(h[2], h[3]))
    right = node_hash(node_hash(h[4], h[5]), h[6])
    assert root_hash(h) == node_hash(left, right)
    assert root_hash(h[:1]) == h[0]


@pytest.mark.vectors
def test_leaf_hashes_and_roots_after_each_entry_match_the_vectors() -> None:
    formats = load_formats()
    tree = MemoryTree()
    accumulator = RootAccumulator()
    hashes: list[bytes] = []
    for entry in formats["entries"]:
        hashed = leaf_hash(entry["leaf"].encode("utf-8"))
        assert hashed.hex() == entry["leaf_hash"]
        hashes.append(hashed)
        tree.append(hashed)
        accumulator.append(hashed)
        assert root_hash(hashes).hex() == entry["root_after"]
        assert tree.root().hex() == entry["root_after"]
        assert accumulator.root().hex() == entry["root_after"]
    for size, entry in enumerate(formats["entries"], start=1):
        assert tree.root(size).hex() == entry["root_after"]


# Proof vectors -------------------------------------------------------------


@pytest.mark.vectors
@pytest.mark.parametrize("path", vector_files("rfc9162/inclusion"))
def test_inclusion_proof_vectors_verify_or_fail_as_expected(path: Path | None) -> None:
    case = load_vector_file(path)
    arguments = (
        b64(case["leafHash"]),
        case["leafIdx"],
        case["treeSize"],
        b64_list(case["proof"]),
        b64(case["root"]),
    )
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*arguments)
    else:
        verify_inclusion(*arguments)


@pytest.mark.vectors
@pytest.mark.parametrize("path", vector_files("rfc9162/consistency"))
def test_consistency_proof_vectors_verify_or_fail_as_expected(path: Path | None) -> None:
    case = load_vector_file(path)
    arguments = (
        case["size1"],
        case["size2"],
        b64(case["root1"]),
        b64(case["root2"]),
        b64_list(case["proof"]),
    )
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*arguments)
    else:
        verify_consistency(*arguments)


@pytest.mark.vectors
def test_inclusion_proof_of_the_vectors_is_reproduced_exactly_and_verifies() -> None:
    formats = load_formats()
    hashes = vector_leaf_hashes(formats)
    vector = formats["inclusion"]
    index, size = vector["index"], vector["tree_size"]
    expected = b64_list(vector["proof"])
    tree = MemoryTree(hashes)
    assert tree.inclusion_proof(index, size) == expected
    assert inclusion_proof(index, size, naive_subtree(hashes)) == expected
    perfect = naive_perfect(hashes)
    assert inclusion_proof(index, size, lambda s, e: range_hash(s, e, perfect)) == expected
    root = bytes.fromhex(formats["entries"][size - 1]["root_after"])
    verify_inclusion(hashes[index], index, size, expected, root)


@pytest.mark.vectors
def test_consistency_proof_of_the_vectors_is_reproduced_exactly_and_verifies() -> None:
    formats = load_formats()
    hashes = vector_leaf_hashes(formats)
    vector = formats["consistency"]
    first, second = vector["first"], vector["second"]
    expected = b64_list(vector["proof"])
    tree = MemoryTree(hashes)
    assert tree.consistency_proof(first, second) == expected
    assert consistency_proof(first, second, naive_subtree(hashes)) == expected
    perfect = naive_perfect(hashes)
    assert consistency_proof(first, second, lambda s, e: range_hash(s, e, perfect)) == expected
    root1 = bytes.fromhex(formats["entries"][first - 1]["root_after"])
    root2 = bytes.fromhex(formats["entries"][second - 1]["root_after"])
    verify_consistency(first, second, root1, root2, expected)


# Verification edge cases ---------------------------------------------------


def test_verification_refuses_proof_hashes_of_the_wrong_length() -> None:
    hashes = leaves(5)
    tree = MemoryTree(hashes)
    proof = tree.inclusion_proof(2)
    proof[1] = proof[1][:31]
    with pytest.raises(ProofError, match="32-byte"):
        verify_inclusion(hashes[2], 2, 5, proof, tree.root())
    cproof = tree.consistency_proof(3)
    cproof[0] = cproof[0] + b"\x00"
    with pytest.raises(ProofError, match="32-byte"):
        verify_consistency(3, 5, tree.root(3), tree.root(), cproof)


def test_verification_refuses_an_extra_or_a_missing_proof_hash() -> None:
    hashes = leaves(6)
    tree = MemoryTree(hashes)
    proof = tree.inclusion_proof(4)
    with pytest.raises(ProofError, match="longer"):
        verify_inclusion(hashes[4], 4, 6, [*proof, EMPTY_ROOT], tree.root())
    with pytest.raises(ProofError, match="shorter"):
        verify_inclusion(hashes[4], 4, 6, proof[:-1], tree.root())
    cproof = tree.consistency_proof(3)
    with pytest.raises(ProofError, match="longer"):
        verify_consistency(3, 6, tree.root(3), tree.root(), [*cproof, EMPTY_ROOT])
    with pytest.raises(ProofError, match="shorter"):
        verify_consistency(3, 6, tree.root(3), tree.root(), cproof[:-1])


def test_consistency_between_equal_sizes_needs_equal_roots_and_no_proof() -> None:
    tree = MemoryTree(leaves(3))
    assert tree.consistency_proof(3, 3) == []
    verify_consistency(3, 3, tree.root(), tree.root(), [])
    with pytest.raises(ProofError, match="not empty"):
        verify_consistency(3, 3, tree.root(), tree.root(), [tree.root()])
    with pytest.raises(ProofError, match="differ"):
        verify_consistency(3, 3, tree.root(), tree.root(2), [])


def test_proof_generation_refuses_out_of_range_arguments() -> None:
    tree = MemoryTree(leaves(4))
    with pytest.raises(ValueError):
        tree.inclusion_proof(4)
    with pytest.raises(ValueError):
        tree.inclusion_proof(0, 5)
    with pytest.raises(ValueError):
        tree.consistency_proof(0, 4)
    with pytest.raises(ValueError):
        tree.consistency_proof(3, 2)
    with pytest.raises(ValueError):
        tree.root(5)
    with pytest.raises(IndexError):
        tree.perfect(2, 1)
    with pytest.raises(ValueError):
        tree.append(b"short")


# Lookups -------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 3, 1000, 2**20, 2**20 + 1, 1_000_000, 2**40 - 1, 2**40 + 3])
def test_proofs_need_only_logarithmically_many_perfect_subtree_lookups(size: int) -> None:
    lookups: list[tuple[int, int]] = []

    def perfect(level: int, index: int) -> bytes:
        assert (index + 1) << level <= size, "asked for an incomplete subtree"
        lookups.append((level, index))
        return hashlib.sha256(f"{level}/{index}".encode()).digest()

    def subtree(start: int, end: int) -> bytes:
        return range_hash(start, end, perfect)

    bound = 2 * size.bit_length() + 2
    for index in {0, 1, size // 3, size // 2, size - 2, size - 1}:
        lookups.clear()
        inclusion_proof(index, size, subtree)
        assert len(lookups) <= bound
    for first in {1, 2, size // 3 + 1, size // 2, size - 1} - {0}:
        lookups.clear()
        consistency_proof(first, size, subtree)
        assert len(lookups) <= bound
    lookups.clear()
    range_hash(0, size, perfect)
    assert len(lookups) == bin(size).count("1")


@given(st.integers(0, 70).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))))
@settings(max_examples=200, deadline=None)
def test_range_hash_equals_the_merkle_hash_of_any_leaf_range(bounds: tuple[int, int]) -> None:
    end, start = bounds
    hashes = leaves(end)
    assert range_hash(start, end, MemoryTree(hashes).perfect) == root_hash(hashes[start:end])


# Properties ----------------------------------------------------------------


@given(size=st.integers(1, 300), data=st.data())
@settings(max_examples=40, deadline=None)
def test_every_proof_from_memory_tree_verifies_and_roots_agree_at_every_size(
    size: int, data: st.DataObject
) -> None:
    hashes = leaves(size)
    tree = MemoryTree(hashes)
    accumulator = RootAccumulator()
    roots = []
    for count, hashed in enumerate(hashes, start=1):
        accumulator.append(hashed)
        roots.append(root_hash(hashes[:count]))
        assert accumulator.root() == roots[-1]
        assert tree.root(count) == roots[-1]
    smaller = data.draw(st.integers(1, size), label="smaller")
    for tree_size in {size, smaller}:
        root = roots[tree_size - 1]
        for index in range(tree_size):
            proof = tree.inclusion_proof(index, tree_size)
            verify_inclusion(hashes[index], index, tree_size, proof, root)
        for first in range(1, tree_size + 1):
            proof = tree.consistency_proof(first, tree_size)
            verify_consistency(first, tree_size, roots[first - 1], root, proof)


@given(size=st.integers(2, 300), data=st.data())
@settings(max_examples=100, deadline=None)
def test_a_tampered_proof_never_verifies(size: int, data: st.DataObject) -> None:
    hashes = leaves(size)
    tree = MemoryTree(hashes)
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = tree.inclusion_proof(index)
    position = data.draw(st.integers(0, len(proof) - 1), label="position")
    bit = data.draw(st.integers(0, 255), label="bit")
    tampered = list(proof)
    flipped = bytearray(tampered[position])
    flipped[bit // 8] ^= 1 << (bit % 8)
    tampered[position] = bytes(flipped)
    with pytest.raises(ProofError):
        verify_inclusion(hashes[index], index, size, tampered, tree.root())
    other = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), label="other")
    with pytest.raises(ProofError):
        verify_inclusion(hashes[index], other, size, proof, tree.root())
    first = data.draw(st.integers(1, size - 1), label="first")
    cproof = tree.consistency_proof(first)
    with pytest.raises(ProofError):
        verify_consistency(first, size, tree.root(first), tree.root(), cproof[:-1])
    wrong_root = hashlib.sha256(tree.root(first)).digest()
    with pytest.raises(ProofError):
        verify_consistency(first, size, wrong_root, tree.root(), cproof)
    with pytest.raises(ProofError):
        verify_consistency(first, size, tree.root(first), wrong_root, cproof)
