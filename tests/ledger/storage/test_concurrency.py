"""Many writers at once: indexes stay dense and unique, each statement recorded once.

The writers are real OS processes with their own connections: spawned
``multiprocessing`` processes for concurrent submissions, and a separate
Python process (``python -m tests.support.workers``) for the batch that gets killed.
Every test runs on PostgreSQL (its own schema) and on a SQLite file shared
by the processes, whichever backend the rest of the suite is testing.
"""

from __future__ import annotations

import json
import multiprocessing
import queue
import time
from collections import Counter
from typing import Any

import pytest

from tests.conftest import Story, new_id
from tests.ledger.storage.backends import (
    Backend,
    check_dense,
    fresh,
    payment,
    payment_id,
    recorded_payments,
)
from tests.support.workers import open_ledger, submit_envelopes

SPAWN = multiprocessing.get_context("spawn")
PAYMENTS_EACH = 15  # per writer process
ROUNDS = 10  # simultaneous pairs of submissions
WAIT = 90.0  # seconds to wait for a child before failing


# -- concurrent writers ---------------------------------------------------------
def run_writers(
    url: str, plans: list[list[str]], *, in_step: bool
) -> tuple[list[list[dict[str, Any]]], float]:
    """Each plan submitted by its own spawned process; the outcomes, and the seconds taken.

    All processes open the ledger first and start together; ``in_step`` also
    makes the n-th submissions of all processes wait for each other.
    """
    ready, start, results = SPAWN.Queue(), SPAWN.Event(), SPAWN.Queue()
    barrier = SPAWN.Barrier(len(plans)) if in_step else None
    opening = SPAWN.Lock()
    outcomes, elapsed = run_together(
        submit_envelopes,
        [
            (url, str(i), plan, ready, start, barrier, results, opening)
            for i, plan in enumerate(plans)
        ],
        ready,
        start,
        results,
    )
    for tag, out in enumerate(outcomes):
        if isinstance(out, str):
            pytest.fail(f"writer {tag} failed:\n{out}")
    return outcomes, elapsed


def run_together(
    target: Any, arg_lists: list[tuple[Any, ...]], ready: Any, start: Any, results: Any
) -> tuple[list[Any], float]:
    """Spawn a process per argument list; once all are ready, start them together.

    Each process puts its tag on ``ready`` and ``(tag, result)`` on
    ``results``; the results in tag order, and the seconds from start to the last.
    """
    procs = [SPAWN.Process(target=target, args=args, daemon=True) for args in arg_lists]
    try:
        for p in procs:
            p.start()
        for _ in procs:
            _get(ready, procs)
        began = time.perf_counter()
        start.set()
        got: dict[int, Any] = {}
        for _ in procs:
            tag, out = _get(results, procs)
            got[int(tag)] = out
        elapsed = time.perf_counter() - began
        for p in procs:
            p.join(WAIT)
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()
    return [got[i] for i in range(len(procs))], elapsed


def _get(q: Any, procs: list[Any]) -> Any:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            return q.get(timeout=0.5)
        except queue.Empty:
            dead = [p for p in procs if p.exitcode not in (None, 0)]
            if dead:
                # Its traceback may still be on its way through the queue.
                try:
                    return q.get(timeout=2)
                except queue.Empty:
                    pytest.fail(f"writer {dead[0].name} died with exit code {dead[0].exitcode}")
    pytest.fail(f"no word from the writers within {WAIT:.0f} s")


def test_processes_opening_one_ledger_at_the_same_moment_all_succeed(
    backend: Backend, ledger: Story
) -> None:
    """Several API workers started together: each opens the existing ledger."""
    size = ledger.app.size()
    ready, start, results = SPAWN.Queue(), SPAWN.Event(), SPAWN.Queue()
    outcomes, elapsed = run_together(
        open_ledger,
        [(backend.url, str(i), ready, start, results) for i in range(backend.writers)],
        ready,
        start,
        results,
    )
    print(f"{backend.name}: {backend.writers} processes opened the ledger in {elapsed:.2f} s")
    failures = [
        f"process {i}: {out.strip().splitlines()[-1]}"
        for i, out in enumerate(outcomes)
        if isinstance(out, str)
    ]
    assert not failures, "opening the ledger failed in\n" + "\n".join(failures)
    assert outcomes == [size] * backend.writers


def test_concurrent_writers_record_every_payment_once_at_dense_unique_indexes(
    backend: Backend, ledger: Story
) -> None:
    _, person, benefit = ledger.beneficiary()
    before = ledger.app.size()
    plans = [
        [payment(ledger, benefit, person) for _ in range(PAYMENTS_EACH)]
        for _ in range(backend.writers)
    ]
    outcomes, elapsed = run_writers(backend.url, plans, in_step=False)
    total = backend.writers * PAYMENTS_EACH
    print(
        f"{backend.name}: {backend.writers} processes x {PAYMENTS_EACH} payments: {elapsed:.2f} s"
    )

    for plan, outs in zip(plans, outcomes, strict=True):
        assert len(outs) == len(plan)
        assert all(o.get("created") is True for o in outs), outs
        mine = [o["index"] for o in outs]
        assert mine == sorted(mine), "one process's statements are recorded in its order"
    indexes = [o["index"] for outs in outcomes for o in outs]
    assert len(set(indexes)) == total, "no index was returned to two submissions"
    assert sorted(indexes) == list(range(before, before + total))

    app = fresh(backend.url)
    try:
        assert app.size() == before + total
        entries = check_dense(app)
        planned = Counter(payment_id(env) for plan in plans for env in plan)
        assert recorded_payments(entries) == planned, "every payment recorded exactly once"
        for plan, outs in zip(plans, outcomes, strict=True):
            for env, out in zip(plan, outs, strict=True):
                assert entries[out["index"]].envelope == json.loads(env)
    finally:
        app.close()


def test_the_same_envelope_submitted_at_once_by_two_processes_is_recorded_once(
    backend: Backend, ledger: Story
) -> None:
    _, person, benefit = ledger.beneficiary()
    before = ledger.app.size()
    envelopes = [payment(ledger, benefit, person) for _ in range(ROUNDS)]
    outcomes, elapsed = run_writers(backend.url, [envelopes, envelopes], in_step=True)
    print(f"{backend.name}: {ROUNDS} envelopes, each from two processes at once: {elapsed:.2f} s")

    for r, (a, b) in enumerate(zip(*outcomes, strict=True)):
        assert "index" in a and "index" in b, (r, a, b)
        assert a["index"] == b["index"], f"round {r}: both callers get the one entry"
        assert sorted([a["created"], b["created"]]) == [False, True], (r, a, b)

    app = fresh(backend.url)
    try:
        assert app.size() == before + ROUNDS
        entries = check_dense(app)
        assert recorded_payments(entries) == Counter(payment_id(env) for env in envelopes)
        for env, out in zip(envelopes, outcomes[0], strict=True):
            assert entries[out["index"]].envelope == json.loads(env)
    finally:
        app.close()


def test_two_payments_with_one_payment_id_at_once_record_one_and_refuse_the_other(
    backend: Backend, ledger: Story
) -> None:
    _, person, benefit = ledger.beneficiary()
    before = ledger.app.size()
    ids = [new_id() for _ in range(ROUNDS)]
    plans = [
        [payment(ledger, benefit, person, payment_id=i, month="2022-01") for i in ids],
        [payment(ledger, benefit, person, payment_id=i, month="2022-02") for i in ids],
    ]
    outcomes, elapsed = run_writers(backend.url, plans, in_step=True)
    print(f"{backend.name}: {ROUNDS} payment ids, each in two envelopes at once: {elapsed:.2f} s")

    winners: dict[str, tuple[str, int]] = {}
    for r, (a, b) in enumerate(zip(*outcomes, strict=True)):
        recorded = [(plans[w][r], o) for w, o in enumerate((a, b)) if "index" in o]
        refused = [o for o in (a, b) if "error" in o]
        assert len(recorded) == 1 and len(refused) == 1, f"round {r}: {a}, {b}"
        assert recorded[0][1]["created"] is True
        assert refused[0]["error"] == "DUPLICATE", refused[0]
        winners[ids[r]] = (recorded[0][0], recorded[0][1]["index"])

    app = fresh(backend.url)
    try:
        assert app.size() == before + ROUNDS
        entries = check_dense(app)
        assert recorded_payments(entries) == Counter(ids), "one entry per payment id"
        for env, index in winners.values():
            assert entries[index].envelope == json.loads(env)
    finally:
        app.close()
