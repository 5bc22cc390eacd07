"""The signature helper: a process of its own that checks Ed25519 signatures.

A plain ``python -c`` child (:mod:`ledger.signatures.process`), one per
process, started by the first large batch or by :func:`start_helper`. It is sent a batch's checks a
chunk at a time, as the batch is read, and checks each chunk as it arrives
(a statement's schema, when its validation was deferred, then its
signature), while the parent may take back from the back the chunks it has
not started: two counters in shared memory say how far it may go
(``LIMIT``) and how far it has gone (``TAKEN``). Its answers come back chunk
by chunk, in order (:mod:`ledger.signatures.protocol`).

Whenever the helper is missing, busy with another thread's batch, not ready
yet or broken, :meth:`Job.start` or :meth:`Job.finish` say so and the checks
run in the parent: the helper changes speed, never results.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable

from ledger.signatures.protocol import (
    ANSWER,
    CHECK_S,
    CHUNK,
    CHUNK_S,
    END,
    ITEM,
    LAST,
    LENGTH,
    LIMIT,
    MORE,
    NO_LIMIT,
    READY,
    TAKEN,
    Channel,
    Item,
    ends,
)


class Job:
    """One batch's checks in the helper: chunks from the front, until told to stop.

    The checks may be added as the batch is read (:meth:`open`, :meth:`add`,
    :meth:`close`): each chunk goes to the helper as soon as it is full, so
    the helper starts while the rest is still being parsed.
    """

    def __init__(self, helper: Helper, watch_s: float) -> None:
        self.helper = helper
        self._watch_us = LENGTH.pack(round(watch_s * 1e6))
        self.count = 0  # checks added so far
        self.chunks = 0  # chunks sent so far
        self.closed = False  # every chunk sent
        self._pending: list[bytes] = []  # the checks of the chunk being filled, packed
        self.done: dict[int, list[int]] = {}
        self.ended = False  # the helper said it has stopped on this batch
        self.lost = False  # the helper failed (and was let go): check everything here

    @classmethod
    def open(cls, watch_s: float = 0.0) -> Job | None:
        """A job to add checks to; None if the helper cannot take one now.

        ``watch_s``: once done with it, how long the helper watches for the
        next job before it sleeps (see :func:`_watch`): for a ledger whose
        database works in this process; not for one that needs the other
        core for its database server.
        """
        helper = Helper.acquire()
        if helper is None:
            return None
        helper.counters[LIMIT], helper.counters[TAKEN] = NO_LIMIT, 0
        return cls(helper, watch_s)

    @classmethod
    def start(cls, items: list[Item], watch_s: float = 0.0) -> Job | None:
        """The helper's job for these checks (see :func:`check`); None if it cannot."""
        if not items:
            return None
        job = cls.open(watch_s)
        if job is None:
            return None
        for item in items:
            job.add(item)
        return job if job.close() else None

    def add(self, item: Item) -> bool:
        """One more check; False once the helper is lost (the job is then no use)."""
        key, message, signature, validate = item
        self._pending += (ITEM.pack(key, signature, len(message), validate), message)
        self.count += 1
        if len(self._pending) < 2 * CHUNK:
            return True
        return self._send(MORE)

    def close(self) -> bool:
        """No more checks: the last chunk goes; False once the helper is lost."""
        return self._send(LAST)

    def _send(self, kind: bytes) -> bool:
        if self.closed:
            return False
        count = len(self._pending) // 2
        message = b"".join([kind, LENGTH.pack(count), self._watch_us, *self._pending])
        self._pending = []
        self.chunks += count > 0
        self.closed = kind == LAST
        try:
            self.helper.conn.send_bytes(message)
        except OSError:
            self.closed = self.lost = True
            self.helper.fail()
            return False
        return True

    def finish(self, check_chunk: Callable[[int], list[int]]) -> dict[int, list[int]]:
        """Every chunk's answers: the helper's, and those taken back and checked here.

        Chunks the helper has not started are taken back at once. For one it
        has started, its answer is awaited a while; a helper that does not get
        a core (a busy machine) is not awaited longer: the chunk is checked
        here too. Its end-of-batch message is read before its next batch.
        """
        if self.lost or not (self.closed or self.close()):
            return self.done
        counters = self.helper.counters
        try:
            self._receive()
            chunk = self.chunks - 1  # answers come in order: the last one missing
            while chunk >= 0 and chunk not in self.done:
                counters[LIMIT] = chunk
                if counters[TAKEN] > chunk and self._receive(wait_s=self._patience(chunk)):
                    continue
                self.done[chunk] = check_chunk(chunk)
                chunk -= 1
        except (OSError, EOFError):
            self.lost = True
            self.helper.fail()
        else:
            self.helper.release(ended=self.ended)
        return self.done

    def _patience(self, chunk: int) -> float:
        """How long to wait for the helper's answer on a chunk it has started."""
        size = min(CHUNK, self.count - chunk * CHUNK)
        return 0.001 + 2 * size * CHECK_S

    def received(self) -> dict[int, list[int]]:
        """The answers the helper has sent so far (it goes on)."""
        with contextlib.suppress(OSError, EOFError):  # finish() or abandon() will find out
            self._receive()
        return self.done

    def abandon(self) -> None:
        if self.lost:
            return
        self.helper.counters[LIMIT] = 0
        if self.closed or self.close():
            self.helper.release(ended=self.ended)

    def _receive(self, *, wait_s: float = 0.0) -> bool:
        """Take in the helper's answers so far, waiting up to ``wait_s`` for one; any?"""
        conn = self.helper.conn
        if self.ended or not conn.poll(wait_s):
            return False
        while not self.ended:
            message = conn.recv_bytes()
            if message != END:
                chunk, _ = ANSWER.unpack_from(message)
                self.done[chunk] = list(message[ANSWER.size :])
            self.ended = ends(message)
            if not conn.poll(0):
                break
        return True


class Helper:
    """The helper process of this process, if it is running and ready."""

    _current: Helper | None = None
    _guard = threading.Lock()
    _disabled = False

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self._control_fd = os.memfd_create("ansinh-verify")
        os.ftruncate(self._control_fd, mmap.PAGESIZE)
        self.counters = memoryview(mmap.mmap(self._control_fd, mmap.PAGESIZE)).cast("q")
        code = (
            "import sys; from ledger.signatures.process import serve; "
            "serve(*map(int, sys.argv[1:]))"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno()), str(self._control_fd)],
            pass_fds=(theirs.fileno(), self._control_fd),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C at the terminal is the parent's to handle
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        theirs.close()
        self.conn = Channel(ours)
        self.pid = os.getpid()
        self.ready = False  # it has said so
        self.behind = False  # a batch's end-of-batch message is still to be read
        self.busy = threading.Lock()

    @classmethod
    def start(cls) -> None:
        """Start the helper now, if it is not running (it takes a moment to be ready)."""
        with cls._guard:
            current = cls._current
            if current is not None and current.pid == os.getpid():
                return
            if cls._disabled:
                return
            try:
                cls._current = Helper()
            except (OSError, AttributeError, ValueError):
                cls._disabled = True  # no helper here (no memfd, no processes): check inline

    @classmethod
    def acquire(cls, wait_s: float = 0.0) -> Helper | None:
        """The helper, reserved for one batch; None if it cannot take one now.

        Waits up to ``wait_s`` seconds for it to be free and ready; and, if it
        is still finishing a batch given up on (it stops after the chunk it is
        on), for as long as a chunk takes.
        """
        cls.start()
        helper = cls._current
        if helper is None or helper.pid != os.getpid():
            return None
        if not (helper.busy.acquire(timeout=wait_s) if wait_s > 0 else helper.busy.acquire(False)):
            return None
        try:
            while not helper.ready and helper.conn.poll(wait_s):
                helper.ready = helper.conn.recv_bytes() == READY
            while helper.behind and helper.conn.poll(max(wait_s, CHUNK_S)):
                helper.behind = not ends(helper.conn.recv_bytes())  # answers nobody wants
        except (OSError, EOFError):
            helper.fail()
            return None
        if not helper.ready or helper.behind:
            helper.busy.release()
            return None
        return helper

    def release(self, *, ended: bool = True) -> None:
        self.behind = not ended
        self.busy.release()

    def fail(self) -> None:
        """Give up on this helper; the next batch starts another."""
        with Helper._guard:
            if Helper._current is self:
                Helper._current = None
        self.stop()
        self.busy.release()

    def stop(self) -> None:
        self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self._control_fd)


def helper_running() -> bool:
    """Whether this process's helper is up and ready."""
    helper = Helper._current
    return helper is not None and helper.ready and helper.pid == os.getpid()


def start_helper(wait_s: float = 0.0) -> bool:
    """Start the signature helper ahead of the first large batch (it needs a moment).

    Waits up to ``wait_s`` seconds for it to be ready; says whether it is.
    """
    helper = Helper.acquire(wait_s)
    if helper is None:
        return False
    helper.release()
    return True


@atexit.register
def _stop_helper() -> None:
    helper = Helper._current
    if helper is not None and helper.pid == os.getpid():
        Helper._current = None
        helper.conn.close()  # the helper reads end-of-file and exits
        try:
            helper.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            helper.process.kill()
