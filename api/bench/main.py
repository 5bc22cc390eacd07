"""``ansinh bench``: speed measured side by side, in one run, on one machine.

This machine is shared and noisy: absolute rates drift between runs, so
every figure is printed beside a baseline measured in the same run, and the
ratio is what to compare. Run a few times and quote medians.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import psycopg
import typer
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from rich.console import Console
from rich.progress import Progress

from api.cli.main import app
from api.http.wire import Batch, parse_submissions, read_submissions
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission, submission_from_json
from ledger.formats.dsse import make_statement, sign_statement
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey, VaultRecord
from ledger.signatures.deferred import start_helper
from ledger.storage.settings import eventsourcing_env, is_postgres

bench_app = typer.Typer(
    help="Benchmarks: ratios against a baseline measured in the same run.", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")
err = Console(stderr=True)

BENCH_LEDGER = "ansinh.vn/bench/append"


class PlainRecord(Aggregate):
    """The baseline: an unsigned event carrying a payload of the same size."""

    @event("Recorded")
    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload


@contextmanager
def scratch_db(kind: str, name: str) -> Iterator[str]:
    """A new empty database of the kind given (a SQLite file or a PostgreSQL schema)."""
    if is_postgres(kind):
        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        base = kind.split("?")[0]
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield f"{base}?schema={schema}"
        finally:
            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    else:
        directory = tempfile.mkdtemp(prefix=f"ansinh-bench-{name}-")
        try:
            yield str(Path(directory) / "ledger.db")
        finally:
            shutil.rmtree(directory, ignore_errors=True)


class Commune:
    """A bench ledger: officers' keys, and one approved benefit to pay on."""

    def __init__(self) -> None:
        self.keys = {
            n: KeyPair.from_seed(bytes([i + 1]) * 32)
            for i, n in enumerate(["authority", "notary", "registrar", "approver", "cashier"])
        }
        self.person_id = str(uuid.uuid4())
        self.benefit_id = str(uuid.uuid4())

    def envelope(self, who: str, type_: str, body: dict[str, Any]) -> dict[str, Any]:
        key = self.keys[who]
        return sign_statement(make_statement(BENCH_LEDGER, type_, body, key.key_id), key)

    def setup(self) -> list[Submission]:
        a, n = self.keys["authority"], self.keys["notary"]
        household_id, program_id = str(uuid.uuid4()), str(uuid.uuid4())
        record = VaultRecord.new(self.person_id, {"full_name": "Người Thử Nghiệm"})
        docs: list[Any] = [
            self.envelope(
                "authority",
                "ledger.opened",
                {
                    "name": "UBND xã Thử Nghiệm",
                    "currency": "VND",
                    "timezone": "Asia/Ho_Chi_Minh",
                    "authority_key": {"id": a.key_id, "public_key": a.public_key_b64},
                    "notary_key": {"public_key": n.public_key_b64},
                },
            ),
        ]
        for who in ("registrar", "approver", "cashier"):
            k = self.keys[who]
            docs.append(
                self.envelope(
                    "authority",
                    "key.registered",
                    {
                        "key": {"id": k.key_id, "public_key": k.public_key_b64},
                        "holder": {"id": who, "name": who},
                        "roles": [who],
                    },
                )
            )
        docs += [
            self.envelope(
                "registrar",
                "household.registered",
                {"household_id": household_id, "code": "B-1", "village": "Bản A"},
            ),
            {
                "envelope": self.envelope(
                    "registrar",
                    "person.registered",
                    {
                        "person_id": self.person_id,
                        "household_id": household_id,
                        "relation": "head",
                        "sex": "m",
                        "birth_year": 1950,
                        "pii": record.commitment,
                    },
                ),
                "vault": [record.to_json()],
            },
            self.envelope(
                "authority",
                "program.defined",
                {
                    "program_id": program_id,
                    "code": "NCC",
                    "name": "Trợ cấp",
                    "category": "meritorious",
                    "kind": "monthly",
                },
            ),
            self.envelope(
                "registrar",
                "benefit.proposed",
                {
                    "benefit_id": self.benefit_id,
                    "program_id": program_id,
                    "person_id": self.person_id,
                    "amount": 1_624_000,
                    "start": "2022-01",
                    "basis": "Thương binh",
                },
            ),
            self.envelope(
                "approver",
                "benefit.approved",
                {
                    "benefit_id": self.benefit_id,
                    "decision": {"number": "1/QĐ", "date": "2022-01-05"},
                },
            ),
        ]
        return [submission_from_json(d) for d in docs]

    def payments(self, count: int) -> list[str]:
        """Signed payment statements, as the JSON text a client would send."""
        out = []
        for i in range(count):
            body = {
                "payment_id": str(uuid.uuid4()),
                "benefit_id": self.benefit_id,
                "month": f"{2022 + i // 12 % 50}-{i % 12 + 1:02d}",
                "amount": 1_624_000,
                "paid_on": "2022-01-10",
                "method": "cash",
                "recipient": self.person_id,
                "receipt": {"kind": "signature", "evidence": os.urandom(32).hex()},
            }
            out.append(json.dumps(self.envelope("cashier", "payment.recorded", body)))
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


def _ledger(db: str, commune: Commune) -> LedgerApplication:
    ledger = LedgerApplication(db, vault_key=VaultKey(b"\x01" * 32))
    ledger.submit_batch(commune.setup())
    return ledger


def run_single(db: str, commune: Commune, payloads: list[str]) -> float:
    ledger = _ledger(db, commune)
    start_helper(wait_s=30)  # as in a running server, which starts its signature helper
    started = time.perf_counter()
    for text in payloads:
        ledger.submit(parse_submissions(text)[0][0])  # as a client's statement is read
    seconds = time.perf_counter() - started
    ledger.close()
    return _rate(len(payloads), seconds)


def run_batches(db: str, commune: Commune, payloads: list[str], size: int) -> float:
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


@bench_app.command("append")
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
    commune = Commune()
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
