"""``ansinh bench http``: statements and public pages over HTTP, against the ledger in-process.

One run on one freshly generated ledger (a commune's households, people,
programs and approved benefits, recorded untimed), three phases of
``--seconds`` each:

(a) the baseline: ``payment.recorded`` statements accepted in-process with
    ``LedgerApplication.submit``, one at a time, parsed from their JSON text
    as a server would;
(b) the same kind of statements POSTed to ``/v1/statements`` of a real
    server (uvicorn, in its own process, on loopback) by ``--clients``
    concurrent keep-alive connections; every statement is signed before the
    window opens, so the clients' signing is not timed;
(c) the public list page ``GET /lists`` by the same number of connections.

The clients are a minimal HTTP/1.1 client on one asyncio loop, sending
request bytes prepared in advance: they need far less CPU than a general
client, which matters because they share this machine's cores with the
server. Every statement must be accepted; any other answer is an error and
makes the run invalid, as does a ledger that afterwards does not hold
exactly the entries accepted.

Beside each rate, the CPU time per statement (of this process in (a), of
the server's process in (b)): on a machine that neighbours load, rates
drift from phase to phase far more than CPU per statement does.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress, TaskID

from api.bench.http_load import SAMPLES_KEPT, Load, drive, request, running_server
from api.bench.scratch import scratch_db
from api.demo.statements import SampleCommune
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission, submission_from_json
from ledger.formats.fields import MAX_YEAR
from ledger.formats.vault import VaultKey
from ledger.storage.settings import is_postgres

ORIGIN = "ansinh.vn/bench/http"
VAULT_KEY = b"\x06" * 32
MAX_POOL = 500_000  # statements signed for one phase, at most
MIN_RATE_PER_S = 1500.0  # statements signed for each second of a phase, at least
PAYABLE_MONTHS = (MAX_YEAR - 2022 + 1) * 12 - 6  # 2022-07 to the last month of MAX_YEAR
TARGETS = {"http_per_s": 400.0, "http_ratio": 0.5, "p99_ms": 50.0, "page_per_s": 300.0}
err = Console(stderr=True, highlight=False)


class HttpCommune(SampleCommune):
    """The seeded commune of the benches, signing for this bench's ledger, and its payments."""

    def __init__(self) -> None:
        super().__init__(ORIGIN)
        self.monthly: list[tuple[str, str, int]] = []  # approved: (benefit, recipient, amount)
        self._paid = 0

    def households(self, count: int) -> Iterator[Submission]:
        """The setup and ``count`` households; remembers the monthly benefits approved."""
        proposed: dict[str, tuple[str, int]] = {}
        died: set[str] = set()
        monthly_programs: set[str] = set()
        for sub in self.statements():
            s = sub.signed
            if s.type == "household.registered" and s.body["code"] == f"TN-{count:07d}":
                break
            if s.type == "program.defined" and s.body["kind"] == "monthly":
                monthly_programs.add(s.body["program_id"])
            elif s.type == "benefit.proposed" and s.body["program_id"] in monthly_programs:
                proposed[s.body["benefit_id"]] = (s.body["person_id"], s.body["amount"])
            elif s.type == "benefit.approved" and s.body["benefit_id"] in proposed:
                person, amount = proposed[s.body["benefit_id"]]
                self.monthly.append((s.body["benefit_id"], person, amount))
            elif s.type == "person.died":
                died.add(s.body["person_id"])
            yield sub
        self.monthly = [m for m in self.monthly if m[1] not in died]
        assert self.monthly, "no living beneficiary of a monthly program to pay"

    def payments(self, count: int) -> list[bytes]:
        """``count`` signed payment statements, as the JSON a client sends: new ids, round robin."""
        out = []
        for _ in range(count):
            n, self._paid = self._paid, self._paid + 1
            benefit, person, amount = self.monthly[n % len(self.monthly)]
            # The months after the half year the setup paid, round by round; a
            # long run starts over from the first (a second payment for a
            # month is recorded too) rather than go past the last year a
            # statement may name.
            month = 6 + (n // len(self.monthly)) % PAYABLE_MONTHS
            paid = f"{2022 + month // 12}-{month % 12 + 1:02d}"
            body = self.payment(benefit, person, amount, paid, paid_on="2022-07-10")
            envelope = self.officers.envelope("cashier", "payment.recorded", body)
            out.append(json.dumps(envelope).encode())
        return out


# -- (a) in-process ---------------------------------------------------------------------------
def submit_for(
    ledger: LedgerApplication, payloads: Iterable[bytes], seconds: float
) -> tuple[int, float]:
    """Statements accepted one at a time until ``seconds`` pass (or they run out): (count, s)."""
    count = 0
    started = time.perf_counter()
    stop_at = started + seconds
    for payload in payloads:
        if time.perf_counter() >= stop_at:
            break
        accepted = ledger.submit(submission_from_json(json.loads(payload)))
        assert accepted.created, "a bench statement was already recorded"
        count += 1
    return count, time.perf_counter() - started


def _statements(
    commune: HttpCommune, seconds: float, rate_per_s: float, clients: int
) -> list[bytes]:
    """Enough signed statements for ``seconds`` at three times ``rate_per_s``, signed now.

    The rate is a short warm-up's, which a noisy neighbour can drag far
    down: the floor keeps the window from running out of statements.
    """
    count = int(max(3 * rate_per_s, MIN_RATE_PER_S) * seconds) + 50 * clients
    return commune.payments(min(MAX_POOL, count))


def _posts(payloads: list[bytes]) -> Iterator[bytes]:
    """The requests' bytes, all built now: the clients only send them."""
    return iter([request("POST", "/v1/statements", p) for p in payloads])


# -- the command ------------------------------------------------------------------------------
@dataclass
class Phases:
    """The run's measurements, filled in phase by phase."""

    setup_entries: int = 0
    warmup: int = 0  # statements accepted untimed (calibration and warm-up)
    inprocess: tuple[int, float] = (0, 0.0)
    inprocess_cpu_s: float = 0.0
    http: Load = field(default_factory=Load)
    page: Load = field(default_factory=Load)
    client_cpu_s: float = 0.0
    server_cpu_s: float | None = None
    ledger_entries: int = 0


def run(db: str, seconds: float, clients: int, households: int, bar: Progress) -> Phases:
    """All three phases on a new ledger in ``db`` (a scratch database)."""
    task: TaskID = bar.add_task("recording the commune", total=None)
    commune, ph = HttpCommune(), Phases()
    ledger = LedgerApplication(db, vault_key=VaultKey(VAULT_KEY))
    stream = commune.households(households)
    while batch := list(islice(stream, 1000)):
        ledger.submit_batch(batch)
    ph.setup_entries = ledger.size()

    bar.update(task, description="(a) in-process submissions")
    warm, calibration_s = submit_for(ledger, commune.payments(500), seconds)
    payloads = _statements(commune, seconds, warm / calibration_s, clients)
    cpu_before = time.process_time()
    ph.inprocess = submit_for(ledger, payloads, seconds)
    ph.inprocess_cpu_s = time.process_time() - cpu_before
    ph.warmup += warm
    ledger.close()

    bar.update(task, description="(b) starting the server")
    with running_server(db, VAULT_KEY, commune.keys["notary"]) as server:
        bar.update(task, description="(b) POST /v1/statements")
        warmup = asyncio.run(
            drive(server.port, clients, _posts(commune.payments(25 * clients)), seconds)
        )
        ph.warmup += warmup.count
        posts = _posts(_statements(commune, seconds, max(warmup.per_s(), 1.0), clients))
        cpu_before, server_before = time.process_time(), server.cpu_s()
        timed = asyncio.run(drive(server.port, clients, posts, seconds))
        ph.client_cpu_s = time.process_time() - cpu_before
        server_after = server.cpu_s()
        if server_before is not None and server_after is not None:
            ph.server_cpu_s = server_after - server_before
        timed.errors += warmup.errors  # every statement sent must be accepted, timed or not
        timed.samples = (warmup.samples + timed.samples)[:SAMPLES_KEPT]
        ph.http = timed

        bar.update(task, description="(c) GET /lists")
        page = request("GET", "/lists")
        asyncio.run(drive(server.port, clients, repeat(page, clients * 2), seconds))  # warm
        ph.page = asyncio.run(drive(server.port, clients, repeat(page), seconds))
    reopened = LedgerApplication(db, vault_key=VaultKey(VAULT_KEY))
    ph.ledger_entries = reopened.size()
    reopened.close()
    return ph


def result_of(ph: Phases, db: str, seconds: float, clients: int) -> dict[str, Any]:
    """The figures, the targets and whether each was met, and whether the run is valid."""
    count, inprocess_s = ph.inprocess
    inprocess_per_s = count / inprocess_s if inprocess_s > 0 else 0.0
    http_per_s = ph.http.per_s()
    expected = ph.setup_entries + ph.warmup + count + ph.http.count
    figures = {
        "http_per_s": round(http_per_s, 1),
        "inprocess_per_s": round(inprocess_per_s, 1),
        "http_ratio": round(http_per_s / inprocess_per_s, 3) if inprocess_per_s else 0.0,
        "p50_ms": round(ph.http.percentile_ms(50), 2),
        "p99_ms": round(ph.http.percentile_ms(99), 2),
        "page_per_s": round(ph.page.per_s(), 1),
    }
    met = {
        name: figures[name] < target if name == "p99_ms" else figures[name] >= target
        for name, target in TARGETS.items()
    }
    errors = ph.http.errors + ph.page.errors
    return {
        **figures,
        "targets": TARGETS,
        "met": met,
        "db": "postgresql" if is_postgres(db) else "sqlite",
        "seconds": seconds,
        "windows_s": {
            "inprocess": round(inprocess_s, 2),
            "http": round(ph.http.seconds, 2),
            "page": round(ph.page.seconds, 2),
        },
        "clients": clients,
        "cpus": os.cpu_count(),
        "inprocess_count": count,
        "http_count": ph.http.count,
        "page_count": ph.page.count,
        "http_errors": ph.http.errors,
        "page_errors": ph.page.errors,
        "errors": errors,
        "error_samples": ph.http.samples + ph.page.samples,
        # CPU per statement drifts far less than rates when neighbours load the machine
        "inprocess_cpu_ms": round(1000 * ph.inprocess_cpu_s / count, 3) if count else None,
        "http_server_cpu_ms": (
            round(1000 * ph.server_cpu_s / ph.http.count, 3)
            if ph.server_cpu_s is not None and ph.http.count
            else None
        ),
        "http_cpu_ratio": (
            round(ph.inprocess_cpu_s / count / (ph.server_cpu_s / ph.http.count), 3)
            if ph.server_cpu_s and count and ph.http.count
            else None
        ),
        "client_cpu_share": round(ph.client_cpu_s / ph.http.seconds, 2) if ph.http.seconds else 0,
        "server_cpu_share": (
            round(ph.server_cpu_s / ph.http.seconds, 2)
            if ph.server_cpu_s is not None and ph.http.seconds
            else None
        ),
        "setup_entries": ph.setup_entries,
        "warmup_count": ph.warmup,
        "ledger_entries": ph.ledger_entries,
        "expected_entries": expected,
        "valid": errors == 0 and ph.ledger_entries == expected,
    }


@contextmanager
def _database(db: str) -> Iterator[str]:
    """'sqlite' or a postgresql:// URL: a scratch database; a path: a new SQLite file, kept."""
    if db == "sqlite" or is_postgres(db):
        with scratch_db(db, "http") as url:
            yield url
    elif Path(db).exists():
        raise typer.BadParameter(f"{db} exists: the bench needs a new database", param_hint="--db")
    else:
        yield db


def bench_http(
    seconds: Annotated[float, typer.Option("--seconds", help="Length of each timed phase")] = 10.0,
    clients: Annotated[int, typer.Option("--clients", help="Concurrent connections")] = 16,
    households: Annotated[
        int, typer.Option("--households", help="Households in the generated commune")
    ] = 300,
    db: Annotated[
        str,
        typer.Option(
            "--db", help="'sqlite' (a temp file), a new SQLite file (kept), or a postgresql:// URL"
        ),
    ] = "sqlite",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Statements/s over HTTP vs in-process, submission latency, public page requests/s."""
    if seconds <= 0 or clients < 1:
        raise typer.BadParameter("--seconds and --clients must be positive")
    if households < 2:  # the first household's head dies: nobody to pay
        raise typer.BadParameter("at least 2", param_hint="--households")
    with (
        _database(db) as url,
        Progress(console=err, transient=True, disable=not err.is_terminal) as bar,
    ):
        result = result_of(run(url, seconds, clients, households, bar), db, seconds, clients)
    if as_json:
        print(json.dumps(result))
    else:
        _print(result)
    if not result["valid"]:
        raise typer.Exit(1)


def _print(r: dict[str, Any]) -> None:
    out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    yes = {True: "met", False: "NOT met"}
    met, t = r["met"], r["targets"]
    out.print(
        f"http on {r['db']}: {r['seconds']:g} s per phase, {r['clients']} clients; the clients "
        f"share this machine's {r['cpus']} cores with the server"
    )
    out.print(f"  (a) in-process, submit one at a time : {r['inprocess_per_s']:8.1f} statements/s")
    out.print(
        f"  (b) POST /v1/statements              : {r['http_per_s']:8.1f} statements/s  "
        f"{r['http_ratio']:.2f}x (a)   targets >= {t['http_per_s']:g}/s: {yes[met['http_per_s']]},"
        f" >= {t['http_ratio']:g}x: {yes[met['http_ratio']]}"
    )
    out.print(
        f"      latency p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
        f"{'':17}target p99 < {t['p99_ms']:g} ms: {yes[met['p99_ms']]}"
    )
    out.print(
        f"  (c) GET /lists                       : {r['page_per_s']:8.1f} requests/s"
        f"{'':18}target >= {t['page_per_s']:g}/s: {yes[met['page_per_s']]}"
    )
    out.print(
        f"      CPU per statement: (a) {r['inprocess_cpu_ms']} ms, (b) server "
        f"{r['http_server_cpu_ms']} ms ({r['http_cpu_ratio']}x); CPU during (b), in cores: "
        f"server {r['server_cpu_share']}, clients {r['client_cpu_share']}"
    )
    out.print(
        f"  ledger: {r['ledger_entries']} entries, expected {r['expected_entries']} (setup "
        f"{r['setup_entries']} + warm-up {r['warmup_count']} + (a) {r['inprocess_count']} + "
        f"(b) {r['http_count']})"
    )
    if r["errors"]:
        out.print(f"  errors: {r['http_errors']} statements, {r['page_errors']} pages; first:")
        for sample in r["error_samples"]:
            out.print(f"    {sample}")
    out.print(
        "  run: valid" if r["valid"] else "  run: INVALID (errors, or the ledger's size differs)"
    )
