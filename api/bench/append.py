"""``ansinh bench append``: appends, signed and not, measured side by side in one run.

This machine is shared and noisy: absolute rates drift between runs, so
every figure is printed beside a baseline measured in the same run, and the
ratio is what to compare. Run a few times and quote medians.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import typer
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from rich.console import Console
from rich.progress import Progress

from api.bench.scratch import scratch_db
from api.demo.statements import SampleCommune
from api.http.wire import Batch, parse_submissions, read_submissions
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.formats.vault import VaultKey
from ledger.signatures.deferred import start_helper
from ledger.storage.settings import eventsourcing_env, is_postgres

err = Console(stderr=True)

BENCH_LEDGER = "ansinh.vn/bench/append"


class PlainRecord(Aggregate):
    """The baseline: an unsigned event carrying a payload of the same size."""

    @event("Recorded")
    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload


class AppendCommune(SampleCommune):
    """The seeded commune of the benches up to its first approved benefit, and payments on it."""

    def __init__(self) -> None:
        # No funds: a payment loads its program, which then holds one event, as it always has here.
        super().__init__(BENCH_LEDGER, first_key=1, funded=())
        self.opening: list[Submission] = []  # recorded, untimed, in each new ledger
        proposed = {}
        for sub in self.statements():
            self.opening.append(sub)
            s = sub.signed
            if s.type == "benefit.proposed":
                proposed[s.body["benefit_id"]] = (s.body["person_id"], s.body["amount"])
            elif s.type == "benefit.approved":
                self.benefit_id = s.body["benefit_id"]
                self.person_id, self.amount = proposed[self.benefit_id]
                return
        raise AssertionError("the commune approves no benefit")

    def payments(self, count: int) -> list[str]:
        """Signed payment statements, as the JSON text a client would send."""
        out = []
        for i in range(count):
            month = f"{2022 + i // 12 % 50}-{i % 12 + 1:02d}"
            receipt = ("signature", self.evidence())
            body = self.payment(
                self.benefit_id,
                self.person_id,
                self.amount,
                month,
                paid_on="2022-01-10",
                receipt=receipt,
            )
            out.append(json.dumps(self.officers.envelope("cashier", "payment.recorded", body)))
        return out


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run_plain(db: str, payloads: list[str]) -> float:
    plain = Application[uuid.UUID](
        env=eventsourcing_env(db, name="Plain") | {"APPLICATION_RECORDER_TOPIC": ""}
    )
    docs = [json.loads(p) for p in payloads]
    started = time.perf_counter()
    for doc in docs:
        plain.save(PlainRecord(payload=doc))
    seconds = time.perf_counter() - started
    plain.close()
    return _rate(len(docs), seconds)


def _ledger(db: str, commune: AppendCommune) -> LedgerApplication:
    ledger = LedgerApplication(db, vault_key=VaultKey(b"\x01" * 32))
    ledger.submit_batch(commune.opening)
    return ledger


def run_single(db: str, commune: AppendCommune, payloads: list[str]) -> float:
    ledger = _ledger(db, commune)
    start_helper(wait_s=30)  # as in a running server, which starts its signature helper
    started = time.perf_counter()
    for text in payloads:
        ledger.submit(parse_submissions(text)[0][0])  # as a client's statement is read
    seconds = time.perf_counter() - started
    ledger.close()
    return _rate(len(payloads), seconds)


def run_batches(db: str, commune: AppendCommune, payloads: list[str], size: int) -> float:
    ledger = _ledger(db, commune)
    start_helper(wait_s=30)  # warm, as a running server is: its signature helper started
    started = time.perf_counter()
    for i in range(0, len(payloads), size):
        lines = "\n".join(payloads[i : i + size])
        read = read_submissions(lines, json_lines=True)
        assert isinstance(read, Batch)
        ledger.submit_batch(read)  # read as it is recorded, as the server does
    seconds = time.perf_counter() - started
    ledger.close()
    return _rate(len(payloads), seconds)


def _medians(repeat: int, *measures: Callable[[], float]) -> list[float]:
    """Each measure's median over ``repeat`` rounds; every round runs each once, in turn.

    Interleaved, so that a neighbour's load on this machine weighs on the
    baseline and on the ledger alike, and the ratios stay comparable.
    """
    rounds = [[measure() for measure in measures] for _ in range(repeat)]
    return [statistics.median(r[i] for r in rounds) for i in range(len(measures))]


def bench_append(
    events: Annotated[int, typer.Option("--events", help="Statements per single-save run")] = 2000,
    batch_events: Annotated[
        int, typer.Option("--batch-events", help="Statements in batches")
    ] = 10_000,
    batch_size: Annotated[int, typer.Option("--batch-size")] = 1000,
    repeat: Annotated[int, typer.Option("--repeat", help="Runs of each; medians reported")] = 1,
    db: Annotated[
        str, typer.Option("--db", help="'sqlite' (temp files) or a postgresql:// URL")
    ] = "sqlite",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """(a) plain eventsourcing saves vs (b) signed statements one per transaction vs (c) batches."""
    commune = AppendCommune()
    with Progress(console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("signing statements", total=None)
        single_payloads = commune.payments(events)
        batch_payloads = commune.payments(batch_events)

        def plain() -> float:
            with scratch_db(db, "plain") as url:
                return run_plain(url, single_payloads)

        def single() -> float:
            with scratch_db(db, "single") as url:
                return run_single(url, commune, single_payloads)

        def batches() -> float:
            with scratch_db(db, "batch") as url:
                return run_batches(url, commune, batch_payloads, batch_size)

        progress.update(task, description="plain saves, then ansinh single and batched")
        plain_rate, single_rate, batch_rate = _medians(repeat, plain, single, batches)
    result = {
        "db": "postgresql" if is_postgres(db) else "sqlite",
        "events": events,
        "batch_events": batch_events,
        "batch_size": batch_size,
        "repeat": repeat,
        "plain_single_per_s": round(plain_rate, 1),
        "single_per_s": round(single_rate, 1),
        "batch_per_s": round(batch_rate, 1),
        "ratio_single_vs_plain": round(single_rate / plain_rate, 3),
        "ratio_batch_vs_plain": round(batch_rate / plain_rate, 3),
        "cpus": os.cpu_count(),
    }
    if as_json:
        print(json.dumps(result))
        return
    out = Console(highlight=False)
    out.print(
        f"append on {result['db']} ({events} single, {batch_events} in batches of "
        f"{batch_size}; medians of {repeat})"
    )
    out.print(f"  (a) plain eventsourcing, unsigned, one per save : {plain_rate:10.1f} /s")
    out.print(
        f"  (b) ansinh, signed, one per transaction        : {single_rate:10.1f} /s"
        f"   {single_rate / plain_rate:.2f}x (a)"
    )
    out.print(
        f"  (c) ansinh, signed, batches of {batch_size:<5}          : {batch_rate:10.1f} /s"
        f"   {batch_rate / plain_rate:.2f}x (a)"
    )
