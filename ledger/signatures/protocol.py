"""What the signature helper and its parent say to each other, and the check itself.

The parent (:mod:`ledger.signatures.helper`) sends a batch's checks a chunk
at a time, each a message over a socket (:class:`Channel`); the helper
(:mod:`ledger.signatures.process`) answers chunk by chunk, in order. Two
counters in shared memory say how far the helper may go (``LIMIT``) and how
far it has gone (``TAKEN``).
"""

from __future__ import annotations

import select
import socket
import struct

import nacl.bindings

CHUNK = 32
CHECK_S = 0.0001  # about what one check takes
CHUNK_S = 0.001 + 2 * CHUNK * CHECK_S  # as long as the helper may take on one chunk
WATCH_S = 0.001  # how long the helper may watch for the next message before it sleeps
LIMIT, TAKEN = 0, 1  # the shared counters: chunks the helper may take, has taken
# public key, signature, message length, length of the payload to validate (0: none);
# then the message (PAE: the payload is its tail)
ITEM = struct.Struct("<32s64sII")
ANSWER = struct.Struct("<IB")  # chunk, whether the helper stops after it; then one byte each
# The answer for each check:
BAD_SIGNATURE, VERIFIED, INVALID_STATEMENT = 0, 1, 2

Item = tuple[bytes, bytes, bytes, int]  # public key, PAE message, signature, payload to validate
READY, END = b"R", b"E"  # the helper is ready; it has stopped on the batch it was sent
MORE, LAST = b"C", b"L"  # a chunk of checks, more to come; the last chunk (maybe empty)
NO_LIMIT = 2**62
LENGTH = struct.Struct("<I")
CHUNK_HEAD = struct.Struct("<II")  # after the kind: checks in the chunk, µs to watch after the job


def verifies(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Strict Ed25519 (libsodium), as ``ledger.formats.keys.verify_signature``, as a bool."""
    try:
        nacl.bindings.crypto_sign_open(signature + message, public_key)
    except Exception:  # BadSignatureError, or a malformed key or signature
        return False
    return True


def check(public_key: bytes, message: bytes, signature: bytes, validate: int) -> int:
    """One item's answer: its statement, if asked (its payload is the message's tail), then
    its signature."""
    if validate and not _valid_statement(message[len(message) - validate :]):
        return INVALID_STATEMENT
    return VERIFIED if verifies(public_key, message, signature) else BAD_SIGNATURE


def _valid_statement(payload: bytes) -> bool:
    """Whether a payload opened with its validation deferred holds a valid statement.

    Such a payload is already known to be canonical JSON; this is the rest of
    what opening it checks (``ledger.formats.dsse``), imported when first needed.
    """
    import orjson

    from ledger.formats.schemas import validate_statement

    try:
        validate_statement(orjson.loads(payload))
    except Exception:
        return False
    return True


def ends(message: bytes) -> bool:
    """Whether the helper stops on its batch after this message."""
    return message == END or ANSWER.unpack_from(message)[1] == 1


class Channel:
    """Length-prefixed messages over a socket (as multiprocessing's, with a cheaper poll)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._poll = select.poll()
        self._poll.register(sock, select.POLLIN)

    def send_bytes(self, data: bytes) -> None:
        if len(data) < 65_536:
            self.sock.sendall(LENGTH.pack(len(data)) + data)
        else:
            self.sock.sendall(LENGTH.pack(len(data)))
            self.sock.sendall(data)

    def poll(self, timeout_s: float) -> bool:
        """Whether a message (or end of file) is there to read, waiting up to ``timeout_s``."""
        return bool(self._poll.poll(timeout_s * 1000))

    def recv_bytes(self) -> bytes:
        (length,) = LENGTH.unpack(self._exactly(LENGTH.size))
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
