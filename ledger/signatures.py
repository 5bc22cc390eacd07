"""Signature checks beside the rules, on another core.

An Ed25519 check costs about as much as everything else a statement needs,
so a submission's signatures are checked beside the rules rather than before
them. Threads cannot do that: libsodium releases the GIL, but a thread has
to win the GIL back after every signature, and while the rules run in Python
it only gets it every few milliseconds (measured: no overlap at all). So the
checks go to a helper process, started once per process by the first large
batch (or :func:`start_helper`), that takes chunks of a submission from the
front, while the main thread, once its own work for the submission is done,
takes back the chunks not started yet, from the back; they meet in the
middle. While the helper is running, single statements use it too.

The helper is a plain ``python -c`` child that imports only this module (no
re-import of the parent's ``__main__``). Whenever it is missing, busy with
another thread's submission, not started yet or broken, the checks simply
run in the main thread: the helper changes speed, never results.

Statements are checked against the key their author had when the submission
began; a statement whose key differs by the time the rules reach it (a key
registered inside the batch) is checked there and then.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import nacl.bindings

from ledger.errors import BadSignature

if TYPE_CHECKING:
    from ledger.dsse import SignedStatement

CHUNK = 32
MIN_BATCH = 64
WAIT_S = 120.0
_LIMIT, _TAKEN = 0, 1  # the shared counters: chunks the helper may take, has taken
_ITEM = struct.Struct("<32s64sI")  # public key, signature, message length; then the message
_READY, _END = b"R", b"E"  # the helper is ready; it has stopped on the batch it was sent


def verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Strict Ed25519 (libsodium), as ``ledger.keys.verify_signature``, as a bool."""
    try:
        nacl.bindings.crypto_sign_open(signature + message, public_key)
    except Exception:  # BadSignatureError, or a malformed key or signature
        return False
    return True


def verify_inline(statement: SignedStatement, public_key: bytes) -> None:
    statement.verify(public_key)


class BatchVerifier:
    """Checks the signatures of a batch beside the rules; reports failures in order.

    Call it where a statement's signature is due (``verifier(statement, key)``):
    it records the check and returns; :meth:`first_failure` then says which
    recorded check, if any, failed first. One verifier serves every attempt
    at the same batch; :meth:`restart` forgets the recorded checks, not the
    results.
    """

    def __init__(self, statements: Sequence[SignedStatement], public_keys: dict[str, bytes]):
        # Imported here: the helper process imports this module, and needs no more.
        from ledger.dsse import PAYLOAD_TYPE, pae

        self._position: dict[int, int] = {}  # id(statement): its position in the batch
        self._keys: list[bytes | None] = []  # by position: the key it is checked against
        self._item_of: dict[int, int] = {}  # position: its check in _items
        self._items: list[tuple[bytes, bytes, bytes]] = []  # key, PAE message, signature
        for position, s in enumerate(statements):
            self._position.setdefault(id(s), position)
            key = public_keys.get(s.by)
            if key is not None and len(s.signature) == 64 and len(key) == 32:
                self._item_of[position] = len(self._items)
                self._items.append((key, pae(PAYLOAD_TYPE, s.payload), s.signature))
            else:
                key = None  # checked where it is due, which also names any problem
            self._keys.append(key)
        self._statements = statements  # keeps the id()s above valid
        self._ok: list[bool | None] = [None] * len(self._items)
        self._due: list[int] = []
        self._job = _Job.start(self._items, spawn=len(self._items) >= MIN_BATCH)

    def __call__(self, statement: SignedStatement, public_key: bytes) -> None:
        position = self._position.get(id(statement))
        if position is None or self._keys[position] != public_key:
            statement.verify(public_key)
            return
        self._due.append(position)

    def restart(self) -> None:
        """A new attempt at the batch: no check is due yet."""
        self._due.clear()

    def first_failure(self, *, whole_batch: bool = True) -> tuple[int, BadSignature] | None:
        """The position and error of the first due check that failed, if any.

        ``whole_batch``: every check is due by now, so finish the batch's
        (with the helper); otherwise only the due ones are completed here.
        """
        if not self._due:
            return None
        if whole_batch:
            self._settle()
        else:
            self._settle_due()
        for position in sorted(self._due):
            if not self._ok[self._item_of[position]]:
                return position, BadSignature(
                    "signature does not verify", field="signatures[0].sig"
                )
        return None

    def close(self) -> None:
        """Stop any helper work on this batch (its results are no longer wanted)."""
        if self._job is not None:
            self._job.abandon()
            self._job = None

    def _settle(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            self._take(job.finish(self._check_chunk))
        for i, ok in enumerate(self._ok):
            if ok is None:
                self._ok[i] = verifies(*self._items[i])

    def _settle_due(self) -> None:
        if self._job is not None:
            self._take(self._job.received())
        for position in self._due:
            i = self._item_of[position]
            if self._ok[i] is None:
                self._ok[i] = verifies(*self._items[i])

    def _take(self, answers: dict[int, list[bool]]) -> None:
        for chunk, oks in answers.items():
            self._ok[chunk * CHUNK : chunk * CHUNK + len(oks)] = oks

    def _check_chunk(self, chunk: int) -> list[bool]:
        return [verifies(*item) for item in self._items[chunk * CHUNK : (chunk + 1) * CHUNK]]


class _Job:
    """One batch's checks in the helper: chunks from the front, until told to stop."""

    def __init__(self, helper: _Helper, chunks: int) -> None:
        self.helper = helper
        self.chunks = chunks
        self.done: dict[int, list[bool]] = {}
        self.ended = False  # the helper said it has stopped on this batch

    @classmethod
    def start(cls, items: list[tuple[bytes, bytes, bytes]], *, spawn: bool) -> _Job | None:
        """The helper's job for these checks; None when they are best done inline."""
        if not items or not (spawn or helper_running()):
            return None
        helper = _Helper.acquire()
        if helper is None:
            return None
        chunks = -(-len(items) // CHUNK)
        parts = [struct.pack("<I", len(items))]
        for key, message, signature in items:
            parts += (_ITEM.pack(key, signature, len(message)), message)
        try:
            helper.counters[_LIMIT], helper.counters[_TAKEN] = chunks, 0
            helper.conn.send_bytes(b"".join(parts))
        except OSError:
            helper.fail()
            return None
        return cls(helper, chunks)

    def finish(self, check_chunk: Callable[[int], list[bool]]) -> dict[int, list[bool]]:
        """Every chunk's answers: the helper's, and those taken back and checked here.

        Waits only for chunks the helper has started; its end-of-batch message
        is read before its next batch.
        """
        counters = self.helper.counters
        try:
            self._receive(block=False)
            chunk = self.chunks - 1
            while chunk >= 0 and chunk not in self.done:
                counters[_LIMIT] = chunk
                if counters[_TAKEN] > chunk:
                    break  # the helper has it, and everything before it
                self.done[chunk] = check_chunk(chunk)
                chunk -= 1
            while len(self.done) < self.chunks and not self.ended:
                self._receive(block=True)
        except (OSError, EOFError, TimeoutError):
            self.helper.fail()
        else:
            self.helper.release(ended=self.ended)
        return self.done

    def received(self) -> dict[int, list[bool]]:
        """The answers the helper has sent so far (it goes on)."""
        with contextlib.suppress(OSError, EOFError):  # finish() or abandon() will find out
            self._receive(block=False)
        return self.done

    def abandon(self) -> None:
        self.helper.counters[_LIMIT] = 0
        self.helper.release(ended=self.ended)

    def _receive(self, *, block: bool) -> None:
        """Take in the helper's answers so far; with ``block``, wait for one first."""
        conn = self.helper.conn
        if block and not conn.poll(WAIT_S):
            raise TimeoutError("signature helper did not answer")
        while not self.ended and conn.poll(0):
            message = conn.recv_bytes()
            if message == _END:
                self.ended = True
            else:
                (chunk,) = struct.unpack_from("<I", message)
                self.done[chunk] = [b == 1 for b in message[4:]]


class _Helper:
    """The helper process of this process, if it is running and ready."""

    _current: _Helper | None = None
    _guard = threading.Lock()
    _disabled = False

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self._control_fd = os.memfd_create("ansinh-verify")
        os.ftruncate(self._control_fd, mmap.PAGESIZE)
        self.counters = memoryview(mmap.mmap(self._control_fd, mmap.PAGESIZE)).cast("q")
        code = "import sys; from ledger.signatures import serve; serve(*map(int, sys.argv[1:]))"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno()), str(self._control_fd)],
            pass_fds=(theirs.fileno(), self._control_fd),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C at the terminal is the parent's to handle
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        theirs.close()
        self.conn = Connection(ours.detach())
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
                cls._current = _Helper()
            except (OSError, AttributeError, ValueError):
                cls._disabled = True  # no helper here (no memfd, no processes): check inline

    @classmethod
    def acquire(cls, wait_s: float = 0.0) -> _Helper | None:
        """The helper, reserved for one batch; None if it cannot take one now.

        Waits up to ``wait_s`` seconds for it to be free and ready.
        """
        cls.start()
        helper = cls._current
        if helper is None or helper.pid != os.getpid():
            return None
        if not (helper.busy.acquire(timeout=wait_s) if wait_s > 0 else helper.busy.acquire(False)):
            return None
        try:
            while not helper.ready and helper.conn.poll(wait_s):
                helper.ready = helper.conn.recv_bytes() == _READY
            while helper.behind and helper.conn.poll(wait_s):
                helper.behind = helper.conn.recv_bytes() != _END  # answers nobody waits for
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
        with _Helper._guard:
            if _Helper._current is self:
                _Helper._current = None
        self.stop()
        self.busy.release()

    def stop(self) -> None:
        self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self._control_fd)


def helper_running() -> bool:
    """Whether this process's helper is up (then even a single statement uses it)."""
    helper = _Helper._current
    return helper is not None and helper.ready and helper.pid == os.getpid()


def start_helper(wait_s: float = 0.0) -> bool:
    """Start the signature helper ahead of the first large batch (it needs a moment).

    Waits up to ``wait_s`` seconds for it to be ready; says whether it is.
    """
    helper = _Helper.acquire(wait_s)
    if helper is None:
        return False
    helper.release()
    return True


@atexit.register
def _stop_helper() -> None:
    helper = _Helper._current
    if helper is not None and helper.pid == os.getpid():
        _Helper._current = None
        helper.conn.close()  # the helper reads end-of-file and exits
        try:
            helper.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            helper.process.kill()


def serve(conn_fd: int, control_fd: int) -> None:
    """The helper's loop: for each batch, check chunks from the front while allowed."""
    conn = Connection(conn_fd)
    counters = memoryview(mmap.mmap(control_fd, mmap.PAGESIZE)).cast("q")
    conn.send_bytes(_READY)
    while True:
        try:
            job = conn.recv_bytes()
        except (EOFError, OSError):
            return
        (count,) = struct.unpack_from("<I", job)
        items, offset = [], 4
        for _ in range(count):
            key, signature, length = _ITEM.unpack_from(job, offset)
            offset += _ITEM.size
            items.append((key, job[offset : offset + length], signature))
            offset += length
        chunk = 0
        while chunk * CHUNK < count and chunk < counters[_LIMIT]:
            counters[_TAKEN] = chunk + 1
            answers = bytes(
                verifies(key, message, signature)
                for key, message, signature in items[chunk * CHUNK : (chunk + 1) * CHUNK]
            )
            conn.send_bytes(struct.pack("<I", chunk) + answers)
            chunk += 1
        conn.send_bytes(_END)
