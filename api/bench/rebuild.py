"""``ansinh bench rebuild``: how fast the read models are rebuilt from the log.

It records a ledger of N realistic signed statements (households, people with
their vault records, programs and funds, benefits proposed and approved,
monthly payments January-June 2022, and a few status decisions, moves,
deaths and reversals) in batches of 1000, untimed. Then, in one run, it
measures the baseline (reading and decoding the notification log, as any
eventsourcing projection must), the rebuild of every read model, and a
six-month reconciliation from the rebuilt tables.
"""

from __future__ import annotations

import importlib
import json
import statistics
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from itertools import islice
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from api.bench.main import bench_app, scratch_db
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey, VaultRecord
from ledger.storage.settings import is_postgres
from projections.tables.runner import ENTRY_TOPIC, REBUILD_PAGE, Projections

ORIGIN = "ansinh.vn/bench/rebuild"
MONTHS = [f"2022-{m:02d}" for m in range(1, 7)]
BATCH = 1000
err = Console(stderr=True, highlight=False)


class BenchCommune:
    """Officers with fixed keys, and the statements of a commune's half year."""

    def __init__(self) -> None:
        names = ["authority", "notary", "registrar", "approver", "cashier"]
        self.keys = {n: KeyPair.from_seed(bytes([i + 31]) * 32) for i, n in enumerate(names)}

    def sub(
        self, who: str, type_: str, body: dict[str, Any], vault: tuple[VaultRecord, ...] = ()
    ) -> Submission:
        key = self.keys[who]
        envelope = sign_statement(make_statement(ORIGIN, type_, body, key.key_id), key)
        return Submission(open_envelope(envelope), vault)

    def person(self, household_id: str, relation: str, year: int) -> tuple[str, Submission]:
        pid = str(uuid.uuid4())
        record = VaultRecord.new(pid, {"full_name": f"Người {pid[:8]}", "national_id": pid[-12:]})
        body = {
            "person_id": pid,
            "household_id": household_id,
            "relation": relation,
            "sex": "fm"[year % 2],
            "birth_year": year,
            "pii": record.commitment,
        }
        return pid, self.sub("registrar", "person.registered", body, (record,))

    def setup(self) -> tuple[list[Submission], dict[str, str]]:
        a, n = self.keys["authority"], self.keys["notary"]
        opened = {
            "name": "UBND xã Thử Nghiệm",
            "authority_key": {"id": a.key_id, "public_key": a.public_key_b64},
            "notary_key": {"public_key": n.public_key_b64},
            "currency": "VND",
            "timezone": "Asia/Ho_Chi_Minh",
        }
        subs = [self.sub("authority", "ledger.opened", opened)]
        for who in ("registrar", "approver", "cashier"):
            k = self.keys[who]
            body = {
                "key": {"id": k.key_id, "public_key": k.public_key_b64},
                "holder": {"id": f"staff-{who}", "name": f"Cán bộ {who}"},
                "roles": [who],
            }
            subs.append(self.sub("authority", "key.registered", body))
        programs = {}
        for category, kind in [
            ("meritorious", "monthly"),
            ("social_protection", "monthly"),
            ("tet_gift", "one_off"),
        ]:
            pid = programs[category] = str(uuid.uuid4())
            body = {"program_id": pid, "code": category[:6].upper(), "name": category}
            subs.append(
                self.sub(
                    "authority", "program.defined", body | {"category": category, "kind": kind}
                )
            )
            for month in MONTHS:
                fund = {
                    "receipt_id": str(uuid.uuid4()),
                    "program_id": pid,
                    "amount": 3_000_000_000,
                    "date": f"{month}-02",
                    "source": "Phòng LĐ-TB&XH huyện",
                    "reference": f"UNC-{month}",
                }
                subs.append(self.sub("cashier", "fund.received", fund))
        return subs, programs

    def statements(self) -> Iterator[Submission]:
        """An endless commune: the setup, then one household after another."""
        subs, programs = self.setup()
        yield from subs
        previous = None
        for g in range(10**9):
            previous = yield from self._household(g, programs, previous)

    def _household(
        self, g: int, programs: dict[str, str], previous: str | None
    ) -> Generator[Submission, None, str]:
        """Household number ``g`` and its people, benefits and payments; returns its id."""
        hid = str(uuid.uuid4())
        yield self.sub(
            "registrar",
            "household.registered",
            {"household_id": hid, "code": f"TN-{g:07d}", "village": f"Bản {g % 12 + 1}"},
        )
        head, sub = self.person(hid, "head", 1930 + g % 60)
        yield sub
        program = programs["meritorious" if g % 3 == 0 else "social_protection"]
        amount = 1_624_000 if g % 3 == 0 else 540_000
        bid = str(uuid.uuid4())
        benefit: dict[str, Any] = {"benefit_id": bid, "program_id": program, "person_id": head}
        benefit |= {"amount": amount, "start": "2022-01", "basis": "Hồ sơ bench"}
        yield self.sub("registrar", "benefit.proposed", benefit)
        decision = {"number": f"{g}/QĐ-UBND", "date": "2022-01-05"}
        yield self.sub("approver", "benefit.approved", {"benefit_id": bid, "decision": decision})
        for month in MONTHS:
            payment_id = str(uuid.uuid4())
            yield self.sub(
                "cashier", "payment.recorded", _payment(payment_id, bid, head, amount, month)
            )
            if g % 17 == 0 and month == "2022-03":
                yield self.sub(
                    "cashier", "payment.reversed", {"payment_id": payment_id, "reason": "Chi nhầm"}
                )
        if g % 10 == 0:
            proposal = {
                "proposal_id": str(uuid.uuid4()),
                "household_id": hid,
                "status": "poor",
                "effective": "2022-01-01",
                "basis": {"income_per_capita_month": 1_200_000, "deprivation_count": 3},
            }
            yield self.sub("registrar", "household.status.proposed", proposal)
            yield self.sub(
                "approver",
                "household.status.approved",
                {"proposal_id": proposal["proposal_id"], "decision": decision},
            )
        if g % 7 == 0:
            member, sub = self.person(hid, "member", 2000 + g % 20)
            yield sub
            gift = str(uuid.uuid4())
            body = {"benefit_id": gift, "program_id": programs["tet_gift"], "person_id": member}
            yield self.sub(
                "registrar",
                "benefit.proposed",
                body | {"amount": 500_000, "start": "2022-01", "basis": "Quà Tết"},
            )
            yield self.sub(
                "approver", "benefit.approved", {"benefit_id": gift, "decision": decision}
            )
            yield self.sub(
                "cashier",
                "payment.recorded",
                _payment(str(uuid.uuid4()), gift, member, 500_000, None),
            )
            if g % 21 == 0 and previous is not None:
                yield self.sub(
                    "registrar", "person.moved", {"person_id": member, "household_id": previous}
                )
        if g % 13 == 0:
            record = VaultRecord.new(
                head, {"full_name": f"Người {head[:8]}", "phone": "0912000000"}
            )
            body = {"person_id": head, "pii": record.commitment}
            yield self.sub("registrar", "person.pii.updated", body, (record,))
        if g % 50 == 0:
            yield self.sub("registrar", "person.died", {"person_id": head, "date": "2022-04-20"})
        return hid


def _payment(pid: str, bid: str, person: str, amount: int, month: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "payment_id": pid,
        "benefit_id": bid,
        "amount": amount,
        "paid_on": f"{month or '2022-01'}-10",
        "method": "cash",
        "recipient": person,
        "receipt": {"kind": "thumbprint", "evidence": uuid.uuid4().hex * 2},
    }
    if month is not None:
        body["month"] = month
    return body


def generate(ledger: LedgerApplication, entries: int, progress: Callable[[int], None]) -> None:
    """Record ``entries`` statements in batches of 1000."""
    stream = islice(BenchCommune().statements(), entries)
    while batch := list(islice(stream, BATCH)):
        ledger.submit_batch(batch)
        progress(len(batch))
    assert ledger.size() == entries, (ledger.size(), entries)


def decode_rate(ledger: LedgerApplication) -> float:
    """Log entries per second read from the notification log and decoded into events."""
    started = time.perf_counter()
    position, count = 0, 0
    while True:
        notifications = ledger.recorder.select_notifications(
            start=position, limit=REBUILD_PAGE, topics=[ENTRY_TOPIC], inclusive_of_start=False
        )
        if not notifications:
            break
        for n in notifications:
            ledger.mapper.to_domain_event(n)
        count += len(notifications)
        position = notifications[-1].id
    assert count == ledger.size()
    return count / (time.perf_counter() - started)


def rebuild_rate(ledger: LedgerApplication) -> float:
    started = time.perf_counter()
    done = Projections(ledger).rebuild()
    assert done == ledger.size()
    return done / (time.perf_counter() - started)


def reconciliation_time(ledger: LedgerApplication) -> dict[str, Any]:
    """Seconds to load the snapshot from the tables and reconcile six months over it."""
    try:
        reconcile = importlib.import_module("projections.reports.reconciliation").reconcile
    except (ImportError, AttributeError):
        reconcile = None
    started = time.perf_counter()
    snap = Projections(ledger).load_snapshot()
    loaded = time.perf_counter()
    if reconcile is not None:
        reconcile(snap, MONTHS[0], MONTHS[-1])
    done = time.perf_counter()
    return {
        "reconciliation_s": round(done - started, 3),
        "load_snapshot_s": round(loaded - started, 3),
        "reconciliation_timed": "load_snapshot + reconcile" if reconcile else "load_snapshot only",
    }


@bench_app.command("rebuild")
def bench_rebuild(
    entries: Annotated[
        int, typer.Option("--entries", help="Entries in the generated ledger")
    ] = 200_000,
    repeat: Annotated[
        int, typer.Option("--repeat", help="Runs of each, alternated; medians reported")
    ] = 3,
    db: Annotated[
        str, typer.Option("--db", help="'sqlite' (a temp file) or a postgresql:// URL")
    ] = "sqlite",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Rebuild rate of every read model vs reading and decoding the log; reconciliation time."""
    if entries < 100:
        raise typer.BadParameter("at least 100 entries", param_hint="--entries")
    with scratch_db(db, "rebuild") as url:
        ledger = LedgerApplication(url, vault_key=VaultKey(b"\x05" * 32))
        with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("recording the ledger", total=entries)
            generate(ledger, entries, lambda n: bar.advance(task, n))
        decodes, rebuilds = [], []
        for _ in range(repeat):  # alternated, so drift hits both alike
            decodes.append(decode_rate(ledger))
            rebuilds.append(rebuild_rate(ledger))
        decode, rebuild = statistics.median(decodes), statistics.median(rebuilds)
        result = {
            "db": "postgresql" if is_postgres(db) else "sqlite",
            "entries": entries,
            "repeat": repeat,
            "decode_per_s": round(decode, 1),
            "rebuild_per_s": round(rebuild, 1),
            "rebuild_ratio": round(rebuild / decode, 3),
            **reconciliation_time(ledger),
        }
        ledger.close()
    if as_json:
        print(json.dumps(result))
        return
    out = Console(highlight=False)
    out.print(f"rebuild on {result['db']}: {entries} entries (medians of {repeat})")
    out.print(f"  read + decode the notification log : {decode:10.0f} /s")
    out.print(
        f"  rebuild every read model           : {rebuild:10.0f} /s   {rebuild / decode:.2f}x"
    )
    out.print(
        f"  six-month reconciliation           : {result['reconciliation_s']:.2f} s "
        f"({result['reconciliation_timed']}; loading {result['load_snapshot_s']:.2f} s)"
    )
