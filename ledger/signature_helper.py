"""The signature helper: a process of its own that checks Ed25519 signatures.

A plain ``python -c`` child that imports only this module (no re-import of
the parent's ``__main__``, nothing of the ledger's), one per process, started
by the first large batch or by :func:`start_helper`. It is sent a batch's
checks as one message; it takes them a chunk at a time from the front, while
the parent may take back from the back the chunks it has not started: two
counters in shared memory say how far it may go (``LIMIT``) and how far it
has gone (``TAKEN``). Its answers come back chunk by chunk, in order.

Whenever the helper is missing, busy with another thread's batch, not ready
yet or broken, :meth:`Job.start` or :meth:`Job.finish` say so and the checks
run in the parent: the helper changes speed, never results.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import select
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable

import nacl.bindings

CHUNK = 32
CHECK_S = 0.0001  # about what one check takes
_LIMIT, _TAKEN = 0, 1  # the shared counters: chunks the helper may take, has taken
_ITEM = struct.Struct("<32s64sI")  # public key, signature, message length; then the message
_ANSWER = struct.Struct("<IB")  # chunk, whether the helper stops after it; then one byte each
_READY, _END = b"R", b"E"  # the helper is ready; it has stopped on the batch it was sent
_LENGTH = struct.Struct("<I")


def verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Strict Ed25519 (libsodium), as ``ledger.keys.verify_signature``, as a bool."""
    try:
        nacl.bindings.crypto_sign_open(signature + message, public_key)
    except Exception:  # BadSignatureError, or a malformed key or signature
        return False
    return True


class Job:
    """One batch's checks in the helper: chunks from the front, until told to stop."""

    def __init__(self, helper: Helper, count: int) -> None:
        self.helper = helper
        self.count = count
        self.chunks = -(-count // CHUNK)
        self.done: dict[int, list[bool]] = {}
        self.ended = False  # the helper said it has stopped on this batch

    @classmethod
    def start(cls, items: list[tuple[bytes, bytes, bytes]]) -> Job | None:
        """The helper's job for these checks (key, message, signature); None if it cannot."""
        if not items:
            return None
        helper = Helper.acquire()
        if helper is None:
            return None
        job = cls(helper, len(items))
        parts = [struct.pack("<I", len(items))]
        for key, message, signature in items:
            parts += (_ITEM.pack(key, signature, len(message)), message)
        try:
            helper.counters[_LIMIT], helper.counters[_TAKEN] = job.chunks, 0
            helper.conn.send_bytes(b"".join(parts))
        except OSError:
            helper.fail()
            return None
        return job

    def finish(self, check_chunk: Callable[[int], list[bool]]) -> dict[int, list[bool]]:
        """Every chunk's answers: the helper's, and those taken back and checked here.

        Chunks the helper has not started are taken back at once. For one it
        has started, its answer is awaited a while; a helper that does not get
        a core (a busy machine) is not awaited longer: the chunk is checked
        here too. Its end-of-batch message is read before its next batch.
        """
        counters = self.helper.counters
        try:
            self._receive()
            chunk = self.chunks - 1  # answers come in order: the last one missing
            while chunk >= 0 and chunk not in self.done:
                counters[_LIMIT] = chunk
                if counters[_TAKEN] > chunk and self._receive(wait_s=self._patience(chunk)):
                    continue
                self.done[chunk] = check_chunk(chunk)
                chunk -= 1
        except (OSError, EOFError):
            self.helper.fail()
        else:
            self.helper.release(ended=self.ended)
        return self.done

    def _patience(self, chunk: int) -> float:
        """How long to wait for the helper's answer on a chunk it has started."""
        size = min(CHUNK, self.count - chunk * CHUNK)
        return 0.001 + 2 * size * CHECK_S

    def received(self) -> dict[int, list[bool]]:
        """The answers the helper has sent so far (it goes on)."""
        with contextlib.suppress(OSError, EOFError):  # finish() or abandon() will find out
            self._receive()
        return self.done

    def abandon(self) -> None:
        self.helper.counters[_LIMIT] = 0
        self.helper.release(ended=self.ended)

    def _receive(self, *, wait_s: float = 0.0) -> bool:
        """Take in the helper's answers so far, waiting up to ``wait_s`` for one; any?"""
        conn = self.helper.conn
        if self.ended or not conn.poll(wait_s):
            return False
        while not self.ended:
            message = conn.recv_bytes()
            if message != _END:
                chunk, _ = _ANSWER.unpack_from(message)
                self.done[chunk] = [b == 1 for b in message[_ANSWER.size :]]
            self.ended = _ends(message)
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
            "import sys; from ledger.signature_helper import serve; serve(*map(int, sys.argv[1:]))"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(theirs.fileno()), str(self._control_fd)],
            pass_fds=(theirs.fileno(), self._control_fd),
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C at the terminal is the parent's to handle
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
        )
        theirs.close()
        self.conn = _Channel(ours)
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
                helper.behind = not _ends(helper.conn.recv_bytes())  # answers nobody wants
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


def _ends(message: bytes) -> bool:
    """Whether the helper stops on its batch after this message."""
    return message == _END or _ANSWER.unpack_from(message)[1] == 1


class _Channel:
    """Length-prefixed messages over a socket (as multiprocessing's, with a cheaper poll)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._poll = select.poll()
        self._poll.register(sock, select.POLLIN)

    def send_bytes(self, data: bytes) -> None:
        if len(data) < 65_536:
            self.sock.sendall(_LENGTH.pack(len(data)) + data)
        else:
            self.sock.sendall(_LENGTH.pack(len(data)))
            self.sock.sendall(data)

    def poll(self, timeout_s: float) -> bool:
        """Whether a message (or end of file) is there to read, waiting up to ``timeout_s``."""
        return bool(self._poll.poll(timeout_s * 1000))

    def recv_bytes(self) -> bytes:
        (length,) = _LENGTH.unpack(self._exactly(_LENGTH.size))
        return self._exactly(length)

    def close(self) -> None:
        self.sock.close()

    def _exactly(self, size: int) -> bytes:
        data = self.sock.recv(size)
        if len(data) == size:
            return data
        buffer = bytearray(data)
        while len(buffer) < size:
            more = self.sock.recv(size - len(buffer))
            if not more:
                raise EOFError("the other end has closed")
            buffer += more
        return bytes(buffer)


def serve(conn_fd: int, control_fd: int) -> None:
    """The helper's loop: for each batch, check chunks from the front while allowed."""
    conn = _Channel(socket.socket(fileno=conn_fd))
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
        chunks, chunk = -(-count // CHUNK), 0
        while chunk < chunks and chunk < counters[_LIMIT]:
            counters[_TAKEN] = chunk + 1
            answers = bytes(
                verifies(key, message, signature)
                for key, message, signature in items[chunk * CHUNK : (chunk + 1) * CHUNK]
            )
            last = chunk + 1 >= min(chunks, counters[_LIMIT])
            conn.send_bytes(_ANSWER.pack(chunk, last) + answers)
            if last:
                break
            chunk += 1
        else:
            conn.send_bytes(_END)
