"""What runs in the signature helper's process: its loop over the chunks it is sent.

A plain ``python -c`` child imports only this module and the protocol (no
re-import of the parent's ``__main__``; of the ledger's, only the statement
schemas, once it is first asked to validate a statement).
"""

from __future__ import annotations

import mmap
import socket
import time

from ledger.signatures.protocol import (
    ANSWER,
    CHUNK_HEAD,
    END,
    ITEM,
    LAST,
    LIMIT,
    READY,
    TAKEN,
    WATCH_S,
    Channel,
    Item,
    check,
)


def serve(conn_fd: int, control_fd: int) -> None:
    """The helper's loop: for each batch, check chunks from the front while allowed.

    A batch's chunks arrive one message each, the last marked so; chunks are
    checked as they arrive, until the last one or until the parent takes
    the rest back (``LIMIT``). Every batch ends with an answer marked last,
    or with an end-of-batch message.
    """
    conn = Channel(socket.socket(fileno=conn_fd))
    counters = memoryview(mmap.mmap(control_fd, mmap.PAGESIZE)).cast("q")
    try:
        _serve(conn, counters)
    except (EOFError, OSError):
        # The parent has closed its end (it has exited, or given up on this
        # helper), maybe before this was ready or while it was answering: no
        # one is left to tell, and nothing is wrong.
        return


def _serve(conn: Channel, counters: memoryview) -> None:
    conn.send_bytes(READY)
    watch_s = 0.0
    while True:
        chunks: list[list[Item]] = []
        closed, chunk = False, 0
        while True:
            # Take in whatever has arrived first (the parent must never wait on
            # the socket's buffer while this checks); wait when nothing is to
            # be checked, until the last chunk is in.
            while not closed and (chunk >= len(chunks) or chunk >= counters[LIMIT] or conn.poll(0)):
                _watch(conn, watch_s)
                message = conn.recv_bytes()
                items, watch_s = _items(message)
                if items:
                    chunks.append(items)
                closed = message[:1] == LAST
            if chunk < len(chunks) and chunk < counters[LIMIT]:
                counters[TAKEN] = chunk + 1
                answers = bytes(check(*item) for item in chunks[chunk])
                last = closed and chunk + 1 >= min(len(chunks), counters[LIMIT])
                conn.send_bytes(ANSWER.pack(chunk, last) + answers)
                chunk += 1
                if last:
                    break
                continue
            conn.send_bytes(END)  # every chunk received, and checked or taken back
            break


def _watch(conn: Channel, watch_s: float) -> None:
    """Watch for the parent's next message up to ``watch_s`` before sleeping until it comes.

    A sleeping process takes some 30-50 µs to be woken on this kind of
    machine, and a statement sent on its own is answered only as the
    parent is about to commit: waking late, the helper made the parent wait
    for it (measured: 34 µs a statement, against 13 µs when watching). The
    next statement of a steady stream comes within a few hundred µs of the
    last answer. The parent asks for this only when nothing else needs the
    core: with a PostgreSQL server on the same machine, watching took the
    server's core and single statements slowed by a tenth.
    """
    deadline = time.perf_counter() + watch_s
    while not conn.poll(0) and time.perf_counter() < deadline:
        pass


def _items(message: bytes) -> tuple[list[Item], float]:
    """The checks in a chunk message; how long to watch for the next job after it."""
    count, watch_us = CHUNK_HEAD.unpack_from(message, 1)
    items, offset = [], 1 + CHUNK_HEAD.size
    for _ in range(count):
        key, signature, length, validate = ITEM.unpack_from(message, offset)
        offset += ITEM.size
        items.append((key, message[offset : offset + length], signature, validate))
        offset += length
    return items, min(watch_us / 1e6, WATCH_S)
