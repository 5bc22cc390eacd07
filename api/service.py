"""What the HTTP server holds: one ledger, its Merkle log, its read models.

:class:`LedgerService` is the one object the routers talk to. It owns the
:class:`~ledger.application.LedgerApplication`, accepts statements through a
:class:`GroupCommit` writer (statements arriving at the same moment from
many clients are recorded together, one transaction each group, in arrival
order, and each client gets its own answer), keeps the snapshot the reads
were last computed from, and, when it holds the notary key, signs a
checkpoint shortly after new entries arrive.
"""

from __future__ import annotations

import gc
import logging
import queue
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Accepted, Submission
from ledger.errors import BatchError, LedgerError, LogTampered, NoCheckpoint
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey
from ledger.signatures.deferred import start_helper
from ledger.tlog.merkle_log import IssuedCheckpoint, MerkleLog
from ledger.tlog.notary import NotaryGuard
from ledger.tlog.policy import Policy
from projections import query
from projections.model import Snapshot

log = logging.getLogger("ansinh.service")

GROUP_MAX = 256  # statements recorded in one transaction, at most
SNAPSHOTS_KEPT = 4


@dataclass
class _Pending:
    submission: Submission
    future: Future[Accepted]


class GroupCommit:
    """One writer thread; submissions wait in a queue and are recorded in groups.

    A group is recorded with ``submit_batch``. When the ledger refuses one of
    its statements, that statement alone gets the refusal; the statements
    before it are recorded as a group and the ones after it are tried again,
    so every client gets the answer it would have had on its own, in arrival
    order. Byte-identical envelopes in one group share one entry (the later
    ones get ``created=False``), as they would one after the other.
    """

    def __init__(self, ledger: LedgerApplication) -> None:
        self.ledger = ledger
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._starting = threading.Lock()
        self.lock = threading.Lock()  # held while writing: batches from elsewhere wait

    def submit(self, submission: Submission) -> Accepted:
        return self.submit_later(submission).result()

    def submit_later(self, submission: Submission) -> Future[Accepted]:
        """Queue the submission; the future holds its answer once its group is recorded."""
        self.start()
        pending = _Pending(submission, Future())
        self._queue.put(pending)
        return pending.future

    def start(self) -> None:
        """Start the writer thread, unless it runs already."""
        with self._starting:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ansinh-writer", daemon=True)
                self._thread.start()

    def close(self) -> None:
        """Let the writer finish what is queued, then stop it (``submit`` starts it again)."""
        with self._starting:
            if self._thread is not None and self._thread.is_alive():
                self._queue.put(None)
                self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            group = [first]
            while len(group) < GROUP_MAX:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.put(None)
                    break
                group.append(item)
            with self.lock:
                try:
                    self._record(group)
                except Exception as exc:  # never leave a client waiting for an answer
                    log.exception("recording a group of %d statements failed", len(group))
                    for item in group:
                        if not item.future.done():
                            item.future.set_exception(exc)

    def _record(self, group: list[_Pending]) -> None:
        unique: dict[str, _Pending] = {}
        same: list[tuple[_Pending, _Pending]] = []
        for item in group:
            key = item.submission.signed.digest
            if key in unique:
                same.append((item, unique[key]))
            else:
                unique[key] = item
        self._record_unique(list(unique.values()))
        for later, earlier in same:
            try:
                first = earlier.future.result()
            except LedgerError as exc:
                later.future.set_exception(exc)
            else:
                later.future.set_result(Accepted(first.index, first.leaf_hash, created=False))

    def _record_unique(self, pending: list[_Pending]) -> None:
        while pending:
            try:
                if len(pending) == 1:
                    results = [self.ledger.submit(pending[0].submission)]
                else:
                    results = self.ledger.submit_batch([p.submission for p in pending])
            except BatchError as exc:
                pending[exc.position].future.set_exception(exc.cause)
                head, pending = pending[: exc.position], pending[exc.position + 1 :]
                self._record_unique(head)
                continue
            except LedgerError as exc:  # about the group as a whole (BUSY, a missing vault key)
                for p in pending:
                    p.future.set_exception(exc)
                return
            except Exception as exc:  # the store failed: nobody's statement was recorded
                log.exception("recording %d statements failed", len(pending))
                for p in pending:
                    p.future.set_exception(exc)
                return
            for p, result in zip(pending, results, strict=True):
                p.future.set_result(result)
            return


class GarbagePolicy:
    """Keep the cyclic collector off the server's long-lived objects.

    A server holds tens of thousands of long-lived objects (the aggregate
    cache, snapshots, the app); every full collection walks them all, a
    pause of about 100 ms during which every request in flight waits (the
    p99 latency of submissions). Every few seconds the objects alive then are
    frozen out of the collector's view; every ``full_every_s`` they are
    thawed and collected once, so cyclic garbage cannot pile up for long.
    """

    def __init__(self, full_every_s: float = 600.0, tick_every_s: float = 2.0) -> None:
        self.full_every_s = full_every_s
        self.tick_every_s = tick_every_s  # how often the server calls tick()
        self._last_full = time.monotonic()

    def tick(self) -> None:
        if time.monotonic() - self._last_full >= self.full_every_s:
            gc.unfreeze()
            gc.collect()
            self._last_full = time.monotonic()
        gc.freeze()


class LedgerService:
    """The ledger behind the server, shared by every request."""

    def __init__(
        self,
        db: str | None,
        *,
        vault_key: VaultKey | Path | None = None,
        notary: KeyPair | None = None,
        checkpoint_every_s: float = 2.0,
        manage_gc: bool = False,
    ) -> None:
        """``manage_gc``: this process is a server (see :class:`GarbagePolicy`)."""
        self.ledger = LedgerApplication(db, vault_key=vault_key)
        self.gc_policy = GarbagePolicy() if manage_gc else None
        self.mlog = MerkleLog(self.ledger)
        self.notary = notary
        # The entries the notary has checked, replayed in this process as they
        # come (a worker pool would fork this threaded server).
        self.guard = NotaryGuard(self.ledger, processes=1)
        if notary is not None:
            self.ledger.on_recorded = self.guard.remember
        self.checkpoint_every_s = checkpoint_every_s
        self.policy: Policy | None = None  # the witness policy the pages report on
        self.writer = GroupCommit(self.ledger)
        self._snapshots: OrderedDict[tuple[int, int], Snapshot] = OrderedDict()
        self._snapshot_lock = threading.Lock()
        self._mlog_lock = threading.Lock()
        self._stop = threading.Event()
        self._checkpointer: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------
    def start(self) -> None:
        """Start the writer, and signing checkpoints in the background (with the notary key).

        Also the signature helper process: with it running, even a statement
        that arrives alone has its signature checked beside the rules.
        """
        start_helper()
        self.writer.start()
        self._stop.clear()
        if (self.notary is not None or self.gc_policy is not None) and self._checkpointer is None:
            self._checkpointer = threading.Thread(
                target=self._background_loop, name="ansinh-background", daemon=True
            )
            self._checkpointer.start()

    def close(self) -> None:
        self._stop.set()
        if self._checkpointer is not None:
            self._checkpointer.join(timeout=10)
            self._checkpointer = None
        self.writer.close()
        if self.gc_policy is not None:
            gc.unfreeze()

    # -- writing ---------------------------------------------------------------------
    def submit(self, submission: Submission) -> Accepted:
        self.check_log()
        return self.writer.submit(submission)

    def submit_later(self, submission: Submission) -> Future[Accepted]:
        """Like :meth:`submit`, without waiting: for callers on an event loop."""
        self.check_log()
        return self.writer.submit_later(submission)

    def submit_batch(self, submissions: Iterable[Submission]) -> list[Accepted]:
        """A batch, all or nothing (it may be read as it is recorded: see the ledger's)."""
        self.check_log()
        with self.writer.lock:
            return self.ledger.submit_batch(submissions)

    def check_log(self) -> None:
        """Refuse to write once the stored log has failed the notary's check.

        Its state was changed behind the ledger's back: whatever it would
        accept now could rest on that change. Someone must look (``ansinh
        verify --db`` names the entry and table) before it writes again.
        """
        if self.guard.failure is not None:
            raise LogTampered(self.guard.failure)

    # -- the Merkle log --------------------------------------------------------------
    def merkle(self) -> MerkleLog:
        """The Merkle log, caught up with every entry recorded so far."""
        with self._mlog_lock:
            self.mlog.catch_up()
        return self.mlog

    def latest_checkpoint(self) -> IssuedCheckpoint:
        """The newest signed checkpoint (signing one first when entries are newer)."""
        if self.notary is not None:
            self.sign_checkpoint()
        return self.mlog.latest()

    def sign_checkpoint(self) -> IssuedCheckpoint | None:
        """Sign a checkpoint of the whole log if it has grown since the last one."""
        if self.notary is None:
            return None
        mlog = self.merkle()
        size = mlog.size()
        try:
            latest = mlog.latest()
        except NoCheckpoint:
            latest = None
        if size == 0 or (latest is not None and latest.size >= size):
            return latest
        with self._mlog_lock:
            return self.mlog.issue(self.notary, size, guard=self.guard)

    def _background_loop(self) -> None:
        """Sign a checkpoint every ``checkpoint_every_s``; tend the collector on its own beat.

        (The collector's beat does not follow the checkpoints': a server
        signing every minute would otherwise leave new long-lived objects in
        the collector's view for a minute, and its pauses would be back.)
        """
        step = self.checkpoint_every_s
        if self.gc_policy is not None:
            step = min(step, self.gc_policy.tick_every_s)
        next_checkpoint = time.monotonic() + self.checkpoint_every_s
        while not self._stop.wait(step):
            if self.notary is not None and time.monotonic() >= next_checkpoint:
                try:
                    self.sign_checkpoint()
                except Exception:  # keep serving; the next round tries again
                    log.exception("signing a checkpoint failed")
                next_checkpoint = time.monotonic() + self.checkpoint_every_s
            if self.gc_policy is not None:
                self.gc_policy.tick()

    # -- reading ---------------------------------------------------------------------
    def size(self) -> int:
        return self.ledger.size()

    def snapshot(self, end: int) -> Snapshot:
        """The read models' state after the first ``end`` entries, kept while current.

        ``end`` is a count :func:`projections.query.resolve_as_of` gave (the
        one reading of ``as_of``: :func:`api.reading.read_at`).
        """
        size = self.ledger.size()
        assert 0 <= end <= size, f"{end} entries of a log of {size}"
        key = (size, end)
        with self._snapshot_lock:
            found = self._snapshots.get(key)
            if found is None:
                found = query.snapshot(self.ledger, end)
                self._snapshots[key] = found
                while len(self._snapshots) > SNAPSHOTS_KEPT:
                    self._snapshots.popitem(last=False)
            else:
                self._snapshots.move_to_end(key)
            return found

    def forget_reads(self) -> None:
        """Let the read models' snapshots go (a server of many communes keeps a few warm)."""
        with self._snapshot_lock:
            self._snapshots.clear()

    def lag(self) -> tuple[int, int]:
        """(entries the read models hold, entries in the log)."""
        return query.projection_lag(self.ledger)
