"""RFC 9162 Merkle tree hashing, proof generation and proof verification.

The log is an RFC 9162 §2.1 Merkle tree: leaf hash = SHA-256(0x00 || leaf),
node hash = SHA-256(0x01 || left || right), the empty tree hashes to
SHA-256(""), and a tree of n > 1 leaves splits at the largest power of two
smaller than n. Every hash here is a raw 32-byte ``bytes``.

Proof generation asks a ``subtree(start, end)`` callable for the hash of the
leaves [start, end). It only ever asks for ranges that are nodes of the tree
being proven: all of them but at most one are complete, aligned power-of-two
subtrees, and the remaining one is a right-border node, which splits into at
most log2(n) such subtrees. A store that keeps only perfect-subtree hashes,
addressed as (level, index), therefore answers any proof with O(log n) lookups
through :func:`range_hash`.

A perfect subtree at (level, index) covers the leaves
[index * 2**level, (index + 1) * 2**level); level 0 holds the leaf hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MemoryTree",
    "ProofError",
    "RootAccumulator",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "range_hash",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"

SubtreeHash = Callable[[int, int], bytes]
PerfectHash = Callable[[int, int], bytes]


class ProofError(ValueError):
    """An inclusion or consistency proof that does not verify, with the reason."""


def leaf_hash(leaf_bytes: bytes) -> bytes:
    """The RFC 9162 hash of one leaf: SHA-256(0x00 || leaf bytes)."""
    return hashlib.sha256(_LEAF_PREFIX + leaf_bytes).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The RFC 9162 hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (``size`` >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def root_hash(leaf_hashes: Sequence[bytes]) -> bytes:
    """The root of the tree whose leaf hashes are ``leaf_hashes``, in order.

    Computed level by level, carrying an odd last node up unchanged, which
    gives the same tree as RFC 9162's split at the largest power of two.
    """
    if not leaf_hashes:
        return EMPTY_ROOT
    level = list(leaf_hashes)
    sha256 = hashlib.sha256
    while len(level) > 1:
        paired = len(level) & ~1
        nxt = [sha256(_NODE_PREFIX + level[i] + level[i + 1]).digest() for i in range(0, paired, 2)]
        if paired != len(level):
            nxt.append(level[-1])
        level = nxt
    return level[0]


def range_hash(start: int, end: int, perfect: PerfectHash) -> bytes:
    """The Merkle tree hash of the leaves [start, end), from perfect-subtree hashes.

    ``perfect(level, index)`` must return the hash of the complete subtree of
    2**level leaves starting at leaf ``index * 2**level``. For a range that is
    a node of some tree (every range proof generation asks for), this takes at
    most log2(end - start) + 1 lookups; any other range is still hashed
    correctly, with more lookups.
    """
    if start < 0 or end < start:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    if start == end:
        return EMPTY_ROOT
    left_parts: list[bytes] = []
    while True:
        size = end - start
        if size & (size - 1) == 0 and start % size == 0:
            result = perfect(size.bit_length() - 1, start // size)
            break
        k = _split(size)
        left_parts.append(range_hash(start, start + k, perfect))
        start += k
    for left in reversed(left_parts):
        result = node_hash(left, result)
    return result


def inclusion_proof(index: int, tree_size: int, subtree: SubtreeHash) -> list[bytes]:
    """The RFC 9162 §2.1.3.1 inclusion proof of leaf ``index`` in a tree of ``tree_size``.

    Hashes are ordered from the leaf's sibling up to the root's child.
    ``subtree(start, end)`` must return the hash of the leaves [start, end).
    """
    if not 0 <= index < tree_size:
        raise ValueError(f"leaf index {index} is not in a tree of size {tree_size}")
    proof: list[bytes] = []
    start, end = 0, tree_size
    while end - start > 1:
        mid = start + _split(end - start)
        if index < mid:
            proof.append(subtree(mid, end))
            end = mid
        else:
            proof.append(subtree(start, mid))
            start = mid
    proof.reverse()
    return proof


def consistency_proof(first: int, second: int, subtree: SubtreeHash) -> list[bytes]:
    """The RFC 9162 §2.1.4.1 consistency proof from tree size ``first`` to ``second``.

    Requires 0 < first <= second; equal sizes give the empty proof.
    ``subtree(start, end)`` must return the hash of the leaves [start, end).
    """
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from size {first} to size {second}")
    proof: list[bytes] = []
    start, end = 0, second
    complete = True
    while True:
        size = end - start
        if first - start == size:
            if not complete:
                proof.append(subtree(start, end))
            break
        mid = start + _split(size)
        if first <= mid:
            proof.append(subtree(mid, end))
            end = mid
        else:
            proof.append(subtree(start, mid))
            start = mid
            complete = False
    proof.reverse()
    return proof


class MemoryTree:
    """An in-memory log that keeps the hash of every complete, aligned subtree.

    Level ``h`` stores the hashes of the perfect subtrees of 2**h leaves, packed
    into one ``bytearray``. Roots and proofs for any size up to the current
    one take O(log n) lookups.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0
        self.extend(leaf_hashes)

    def __len__(self) -> int:
        return self._size

    @property
    def size(self) -> int:
        """The number of leaves appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> int:
        """Append one leaf hash and return its index."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"leaf hash must be {HASH_SIZE} bytes, got {len(leaf_hash)}")
        index = self._size
        levels = self._levels
        levels[0] += leaf_hash
        position, level = index, 0
        sha256 = hashlib.sha256
        while position & 1:
            row = levels[level]
            offset = (position - 1) * HASH_SIZE
            parent = sha256(_NODE_PREFIX + row[offset : offset + 2 * HASH_SIZE]).digest()
            level += 1
            if level == len(levels):
                levels.append(bytearray())
            levels[level] += parent
            position >>= 1
        self._size = index + 1
        return index

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append leaf hashes in order."""
        for leaf in leaf_hashes:
            self.append(leaf)

    def perfect(self, level: int, index: int) -> bytes:
        """The hash of the complete subtree of 2**level leaves at ``index`` on that level."""
        if level < 0 or index < 0 or level >= len(self._levels):
            raise IndexError(f"no complete subtree at level {level}, index {index}")
        row = self._levels[level]
        offset = index * HASH_SIZE
        if offset + HASH_SIZE > len(row):
            raise IndexError(f"no complete subtree at level {level}, index {index}")
        return bytes(row[offset : offset + HASH_SIZE])

    def leaf_hash(self, index: int) -> bytes:
        """The hash of leaf ``index``."""
        return self.perfect(0, index)

    def subtree(self, start: int, end: int) -> bytes:
        """The hash of the leaves [start, end), for the proof generators."""
        if end > self._size:
            raise IndexError(f"leaf range [{start}, {end}) is beyond size {self._size}")
        return range_hash(start, end, self.perfect)

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise ValueError(f"tree size {size} is not between 0 and {self._size}")

    def root(self, size: int | None = None) -> bytes:
        """The root hash at ``size`` leaves (default: the current size)."""
        size = self._size if size is None else size
        self._check_size(size)
        return range_hash(0, size, self.perfect)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        size = self._size if size is None else size
        self._check_size(size)
        return inclusion_proof(index, size, self.subtree)

    def consistency_proof(self, first: int, second: int | None = None) -> list[bytes]:
        """The consistency proof from size ``first`` to ``second`` (default: current)."""
        second = self._size if second is None else second
        self._check_size(second)
        return consistency_proof(first, second, self.subtree)


class RootAccumulator:
    """An incremental root over a stream of leaf hashes in O(log n) memory.

    Keeps one hash per set bit of the size: the perfect subtrees that tile the
    leaves seen so far, largest first (a "compact range" from 0).
    """

    def __init__(self) -> None:
        self._size = 0
        self._peaks: list[bytes] = []

    def __len__(self) -> int:
        return self._size

    @property
    def size(self) -> int:
        """The number of leaf hashes appended so far."""
        return self._size

    def append(self, leaf_hash: bytes) -> None:
        """Append the next leaf hash."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"leaf hash must be {HASH_SIZE} bytes, got {len(leaf_hash)}")
        peaks = self._peaks
        sha256 = hashlib.sha256
        current = leaf_hash
        position = self._size
        while position & 1:
            current = sha256(_NODE_PREFIX + peaks.pop() + current).digest()
            position >>= 1
        peaks.append(current)
        self._size += 1

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append leaf hashes in order."""
        for leaf in leaf_hashes:
            self.append(leaf)

    def root(self) -> bytes:
        """The root hash of the leaves appended so far."""
        if not self._peaks:
            return EMPTY_ROOT
        result = self._peaks[-1]
        for peak in reversed(self._peaks[:-1]):
            result = node_hash(peak, result)
        return result


def _check_hashes(proof: Sequence[bytes], what: str) -> None:
    for position, item in enumerate(proof):
        if not isinstance(item, bytes | bytearray | memoryview) or len(item) != HASH_SIZE:
            raise ProofError(f"{what} element {position} is not a {HASH_SIZE}-byte hash")


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check an RFC 9162 §2.1.3.2 inclusion proof; raise ProofError if it fails."""
    if index < 0 or tree_size < 0:
        raise ProofError("leaf index and tree size must not be negative")
    if index >= tree_size:
        raise ProofError(f"leaf index {index} is not below tree size {tree_size}")
    if len(leaf_hash) != HASH_SIZE:
        raise ProofError(f"leaf hash is {len(leaf_hash)} bytes, not {HASH_SIZE}")
    _check_hashes(proof, "inclusion proof")
    fn, sn = index, tree_size - 1
    r = bytes(leaf_hash)
    for p in proof:
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = node_hash(bytes(p), r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, bytes(p))
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path to the root")
    if r != root:
        raise ProofError("inclusion proof does not lead to the given root hash")


def verify_consistency(
    first: int, second: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> None:
    """Check an RFC 9162 §2.1.4.2 consistency proof; raise ProofError if it fails.

    Requires 0 < first <= second. Equal sizes need an empty proof and equal
    roots; a proof from the empty tree is refused as meaningless.
    """
    if first < 0 or second < 0:
        raise ProofError("tree sizes must not be negative")
    if first > second:
        raise ProofError(f"first size {first} is larger than second size {second}")
    if first == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if first == second:
        if len(proof) != 0:
            raise ProofError("sizes are equal but the consistency proof is not empty")
        if root1 != root2:
            raise ProofError("sizes are equal but the root hashes differ")
        return
    if len(proof) == 0:
        raise ProofError("consistency proof is empty")
    _check_hashes(proof, "consistency proof")
    path = [bytes(p) for p in proof]
    if first & (first - 1) == 0:
        path.insert(0, bytes(root1))
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("consistency proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is shorter than the path to the root")
    if fr != root1:
        raise ProofError("consistency proof does not lead to the first root hash")
    if sr != root2:
        raise ProofError("consistency proof does not lead to the second root hash")
