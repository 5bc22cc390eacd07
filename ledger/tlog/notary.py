"""What the notary checks before it signs: the log, replayed as ``ansinh verify`` replays it.

A checkpoint commits to every entry before it, so the notary must never sign
a log that its own verifier refuses. The stored tables the ledger decides
from (nonce claims, aggregate events) can be changed behind its back, and a
statement accepted on such a state (a replayed nonce, a second approval)
would otherwise be signed into the log for good. So before signing, the
entries not yet checked are replayed from the log itself, trusting no
table: each on its own (form, canonical bytes, signature) and then in
order (keys, roles, nonces, maker-checker), the same code as ``verify``.
The root signed is the one computed from those entries, and it must equal
the node cache's, which proofs are read from.

A guard remembers where it got to: a server keeps one and checks only the
entries recorded since its last checkpoint. Once the log fails, the guard
stays failed: nothing more is signed until the database is put right.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator

from ledger.application import LedgerApplication
from ledger.audit.entry import Checked, check_chunk, checked_accepted
from ledger.audit.verifier import Replay, VerificationFailed, replay_lines
from ledger.domain.acceptance import Accepted, Submission
from ledger.errors import LogTampered

MAX_REMEMBERED = 1_000_000  # entries accepted and not yet replayed (about 200 MB)


class NotaryGuard:
    """The log as ``verify`` sees it, replayed up to the last size checked."""

    def __init__(self, ledger: LedgerApplication, processes: int | None = None) -> None:
        """``processes``: workers for a long replay (default: all cores; 1 in a server)."""
        self.ledger = ledger
        self.processes = processes
        self.replay = Replay()
        self.failure: str | None = None
        self._lock = threading.Lock()
        self._known: dict[int, Checked] = {}  # entries accepted here, not yet replayed
        self._known_lock = threading.Lock()

    @property
    def size(self) -> int:
        return self.replay.size

    def root(self, size: int, keep: set[int] | None = None) -> bytes:
        """The verified root of the first ``size`` entries; raises :class:`LogTampered`.

        ``keep``: sizes (at or above the size checked so far) whose roots to
        remember, so that the checkpoints signed at them can be compared later.
        """
        with self._lock:
            if self.failure is not None:
                raise LogTampered(self.failure)
            replay = self.replay
            if size < replay.size:
                found = replay.roots_at.get(size)
                if found is None:  # an older size not kept: replay afresh
                    self.replay = Replay()
                    return self._advance(size, keep)
                return found
            return self._advance(size, keep)

    def remember(self, recorded_at: str, results: list[Accepted], subs: list[Submission]) -> None:
        """Entries this process has just recorded (see ``LedgerApplication.on_recorded``).

        Their statements were opened and their signatures checked on
        acceptance, here: read back with the same leaf hash, they are the same
        bytes, so the replay takes them without checking them again.
        """
        known = self._known
        if len(known) > MAX_REMEMBERED:
            return  # nobody is signing: keep memory bounded, check them in full later
        for result, sub in zip(results, subs, strict=True):
            if result.created:
                leaf_hash = bytes.fromhex(result.leaf_hash)
                known[result.index] = checked_accepted(recorded_at, sub.signed.statement, leaf_hash)

    def _advance(self, size: int, keep: set[int] | None) -> bytes:
        replay = self.replay
        replay.want_roots |= {s for s in keep or () if s >= replay.size} | {size}
        try:
            if size > replay.size and self.processes == 1:
                self._replay_here(replay.size, size)
            elif size > replay.size:
                replay_lines(self._leaves(replay.size, size), replay, self.processes)
            if replay.size != size:
                raise VerificationFailed(
                    f"the log has {replay.size} entries where {size} were expected"
                )
        except VerificationFailed as exc:
            self.failure = f"refusing to sign: the stored log fails verification: {exc}"
            raise LogTampered(self.failure) from None
        return replay.roots_at.get(size) or replay.tree.root()

    def _replay_here(self, start: int, end: int) -> None:
        """Entries ``start <= index < end`` in this process; those it accepted itself are
        taken as checked when their leaf hash is the one it recorded."""
        replay, known, lock = self.replay, self._known, self._known_lock
        for entry in self.ledger.entries(start, end):
            leaf = entry.leaf
            with lock:
                checked = known.pop(entry.index, None)
            if checked is None or checked[6] != hashlib.sha256(b"\x00" + leaf).digest():
                done, failure = check_chunk(entry.index, [leaf], replay.public_keys())
                if failure is not None:
                    raise VerificationFailed(failure[1], failure[0])
                checked = done[0]
            replay.apply(entry.index, checked)
        with lock:
            for index in [i for i in known if i < end]:
                del known[index]

    def _leaves(self, start: int, end: int) -> Iterator[bytes]:
        for entry in self.ledger.entries(start, end):
            yield entry.leaf

    def check_signed(self, size: int, root: bytes) -> None:
        """A checkpoint signed before at ``size`` must commit to the entries as they are."""
        with self._lock:
            found = self.replay.roots_at.get(size)
        if found is not None and found != root:
            self.failure = (
                f"refusing to sign: the checkpoint signed at size {size} commits to root "
                f"{base64.b64encode(root).decode()}, the entries now give "
                f"{base64.b64encode(found).decode()} (the log was rewritten)"
            )
            raise LogTampered(self.failure)
