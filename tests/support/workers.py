"""Code that tests/test_concurrency.py runs in other processes.

:func:`submit_envelopes` is the target of ``multiprocessing`` processes
started with the "spawn" method: each opens its own ``LedgerApplication``
(its own connections) and submits signed envelopes given as JSON.

Run as ``python -m tests.support.workers DB BATCH.jsonl``, this module submits the
statements of a JSON-lines file as one batch, telling its parent on stdout
how far it got: ``READY``, ``START`` (right before ``submit_batch``),
``WRITING`` (the store is about to write the batch in one transaction) and
``DONE <size>``. The parent may kill it at any moment.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from typing import Any

from ledger.application import LedgerApplication
from ledger.domain.acceptance import submission_from_json
from ledger.errors import LedgerError
from ledger.formats.vault import VaultKey

VAULT_KEY = b"\x07" * 32
WAIT = 60.0  # seconds a worker waits for its start signal or a barrier


def _writer_ledger(url: str) -> LedgerApplication:
    """The ledger as one writer process opens it: one connection is all it uses.

    (Eight writers, twice over when the suite runs on two workers, would
    otherwise hold four pooled connections each, near PostgreSQL's limit.)
    """
    os.environ["LEDGER_POSTGRES_POOL_SIZE"] = "1"
    os.environ["LEDGER_POSTGRES_MAX_OVERFLOW"] = "1"
    return LedgerApplication(url, vault_key=VaultKey(VAULT_KEY))


def submit_envelopes(
    url: str,
    tag: str,
    envelopes: list[str],
    ready: Any,
    start: Any,
    barrier: Any,
    results: Any,
    opening: Any,
) -> None:
    """Submit each envelope (JSON text) in turn; put ``(tag, outcomes)`` on ``results``.

    The ledger is opened holding the ``opening`` lock (one process at a
    time: opening at once is another test). ``ready`` gets ``tag`` once the
    ledger is open and warm; nothing is submitted before the ``start`` event
    is set. With a ``barrier``, every submission waits for the other
    processes' same-numbered submission, so that they really overlap. An
    outcome is ``{"index", "created"}`` or ``{"error": code, "message"}``.
    """
    try:
        with opening:
            app = _writer_ledger(url)
        try:
            subs = [submission_from_json(json.loads(text)) for text in envelopes]
            app.charter()  # connect, and load what every payment needs
            app.size()
            ready.put(tag)
            if not start.wait(WAIT):
                raise TimeoutError("no start signal")
            outcomes: list[dict[str, Any]] = []
            for sub in subs:
                if barrier is not None:
                    barrier.wait(WAIT)
                try:
                    accepted = app.submit(sub)
                except LedgerError as exc:
                    outcomes.append({"error": exc.code, "message": exc.message})
                else:
                    outcomes.append({"index": accepted.index, "created": accepted.created})
            results.put((tag, outcomes))
        finally:
            app.close()
    except BaseException:
        ready.put(tag)  # never leave the parent waiting for this one
        results.put((tag, traceback.format_exc()))
        raise


def open_ledger(url: str, tag: str, ready: Any, start: Any, results: Any) -> None:
    """Open the ledger when ``start`` is set, read its size; put ``(tag, size or traceback)``."""
    try:
        ready.put(tag)
        if not start.wait(WAIT):
            raise TimeoutError("no start signal")
        app = _writer_ledger(url)
        try:
            results.put((tag, app.size()))
        finally:
            app.close()
    except BaseException:
        results.put((tag, traceback.format_exc()))
        raise


def batch_main(db: str, batch_file: str) -> None:
    """Submit every statement of ``batch_file`` in one ``submit_batch`` call."""
    with open(batch_file, encoding="utf-8") as f:
        subs = [submission_from_json(json.loads(line)) for line in f if line.strip()]
    app = LedgerApplication(db, vault_key=VaultKey(VAULT_KEY))
    app.charter()
    recorder = app.recorder
    insert_events = recorder.insert_events

    def announced(stored_events: Any, **kwargs: Any) -> Any:
        if len(stored_events) >= len(subs):
            print("WRITING", len(stored_events), flush=True)
        return insert_events(stored_events, **kwargs)

    recorder.insert_events = announced  # type: ignore[method-assign]
    print("READY", len(subs), flush=True)
    started = time.perf_counter()
    print("START", flush=True)
    app.submit_batch(subs)
    print("DONE", app.size(), f"{time.perf_counter() - started:.3f}", flush=True)
    app.close()


if __name__ == "__main__":
    batch_main(sys.argv[1], sys.argv[2])
