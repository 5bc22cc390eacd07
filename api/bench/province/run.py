"""One run of the province bench: communes' schemas made, traffic recorded, checked, dropped.

The statements are signed before each phase, untimed (signing is the
officers' machines' work, not the server's); what is timed is recording:
each batch read as the server reads it and recorded in one transaction.
Month-end payrolls run at each number of concurrent writers given, in turn
(month 1 at the first, month 2 at the second, ...), so that each number
is measured on ledgers of about the same size and the medians compare.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import psycopg

from api.bench.province import after
from api.bench.province.traffic import CommuneTraffic, Month
from api.bench.province.writers import Phase, Writers, connections, peak_connections, record

PREFIX = "bench_province_"


@dataclass(frozen=True)
class Options:
    db: str
    communes: int
    months: int
    scale: float
    writers: tuple[int, ...]
    batch_size: int
    pair_rounds: int
    verify_processes: int


def quantile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def _schemas(base: str, prefix: str) -> list[str]:
    with psycopg.connect(base, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s",
            (prefix.replace("_", r"\_") + "%",),
        ).fetchall()
    return [r[0] for r in rows]


class ProvinceRun:
    """The communes of one run, their schemas, and the figures measured."""

    def __init__(self, opts: Options, say: Callable[[str], None]) -> None:
        self.opts, self.say = opts, say
        self.base = opts.db.split("?")[0]
        self.prefix = f"{PREFIX}{uuid.uuid4().hex[:8]}_"
        self.urls: dict[str, str] = {}
        self.communes: dict[str, CommuneTraffic] = {}
        for i in range(opts.communes):
            origin = f"{after.PROVINCE}/c{i:03d}"
            self.urls[origin] = f"{self.base}?schema={self.prefix}c{i:03d}"
            self.communes[origin] = CommuneTraffic(origin, i, opts.scale, opts.batch_size)
        self.signing_s = 0.0
        self.phases: list[Phase] = []
        self.writers = Writers()
        self.pair_entries = 0  # recorded by the one-against-two rounds, outside the phases

    def run(self) -> dict[str, Any]:
        """The whole run; the schemas are dropped whatever happens."""
        before = connections(self.base)
        with psycopg.connect(self.base, autocommit=True) as conn:
            for url in self.urls.values():
                conn.execute(f'CREATE SCHEMA "{url.split("schema=")[1]}"')
        try:
            for writers in sorted({*self.opts.writers, 2}):
                self.writers.pool(writers)
            with peak_connections(self.base) as peak:
                self._traffic()
                pair = self._pair()
                connections_peak = peak()
            result = self._figures() | pair
            result |= {"connections_before": before, "connections_peak": connections_peak}
            result |= self._after()
        finally:
            self.writers.close()
            with psycopg.connect(self.base, autocommit=True) as conn:
                for schema in _schemas(self.base, self.prefix):
                    conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        result["schemas_left"] = len(_schemas(self.base, self.prefix))
        result["schema_prefix"] = self.prefix
        return result

    def _signed(self, make: Callable[[CommuneTraffic], Any]) -> dict[str, Any]:
        started = time.perf_counter()
        made = {origin: make(c) for origin, c in self.communes.items()}
        self.signing_s += time.perf_counter() - started
        return made

    def _traffic(self) -> None:
        most = max(self.opts.writers)
        self.say(f"signing and recording {self.opts.communes} communes' registers")
        opening = self._signed(lambda c: c.opening())
        work = {
            self.urls[o]: [
                "\n".join(lines[i : i + self.opts.batch_size])
                for i in range(0, len(lines), self.opts.batch_size)
            ]
            for o, lines in opening.items()
        }
        self._phase("opening", work, most)
        for m in range(1, self.opts.months + 1):
            writers = self.opts.writers[(m - 1) % len(self.opts.writers)]
            self.say(f"month {m} of {self.opts.months}: payroll at {writers} writers")
            months: dict[str, Month] = self._signed(partial(CommuneTraffic.month, month=m))
            trickle = {self.urls[o]: x.trickle for o, x in months.items()}
            self._phase("trickle", trickle, most)
            payroll = {self.urls[o]: x.payroll for o, x in months.items()}
            self._phase("payroll", payroll, writers)

    def _phase(self, name: str, work: dict[str, list[str]], writers: int) -> None:
        phase = self.writers.run(name, work, writers)
        self.phases.append(phase)
        self.say(
            f"  {name}: {phase.entries} entries in {phase.seconds:.1f} s, {phase.per_s:.0f} /s, "
            f"batch p99 {quantile(phase.latencies_ms, 0.99):.0f} ms"
        )

    def _pair(self) -> dict[str, Any]:
        """Two writers on two communes against one writer on one, payroll by payroll."""
        if self.opts.communes < 2 or self.opts.pair_rounds < 1:
            return {}
        two = list(self.communes)[:2]
        solos, pairs, ratios = [], [], []
        month = self.opts.months
        for round_ in range(self.opts.pair_rounds):
            self.say(f"one writer against two, round {round_ + 1} of {self.opts.pair_rounds}")
            rates = []
            for origin in two:  # each commune alone, in turn
                month += 1
                rates.append(self._payroll_alone(origin, month))
            month += 1
            made = {o: self.communes[o].month(month) for o in two}
            for o in two:
                self.pair_entries += record(self.urls[o], made[o].trickle, [])
            together = self.writers.run("pair", {self.urls[o]: made[o].payroll for o in two}, 2)
            self.pair_entries += together.entries
            solo = statistics.fmean(rates)
            solos.append(solo)
            pairs.append(together.per_s)
            ratios.append(together.per_s / solo)
        return {
            "pair_solo_per_s": round(statistics.median(solos), 1),
            "pair_two_per_s": round(statistics.median(pairs), 1),
            "pair_ratio": round(statistics.median(ratios), 3),
            "pair_ratio_each": [round(r, 3) for r in ratios],
            "pair_entries": self.pair_entries,
        }

    def _payroll_alone(self, origin: str, month: int) -> float:
        """The payroll of ``month`` in ``origin`` alone: entries/s (its trickle first, untimed)."""
        made = self.communes[origin].month(month)
        self.pair_entries += record(self.urls[origin], made.trickle, [])
        alone = self.writers.run("solo", {self.urls[origin]: made.payroll}, 1)
        self.pair_entries += alone.entries
        return alone.per_s

    def _figures(self) -> dict[str, Any]:
        phases = self.phases
        recorded = sum(p.entries for p in phases)
        seconds = sum(p.seconds for p in phases)
        monthly = [p for p in phases if p.name != "opening"]
        opening = phases[0]
        trickle = [p for p in phases if p.name == "trickle"]
        levels = []
        for writers in self.opts.writers:
            at = [p for p in phases if p.name == "payroll" and p.writers == writers]
            if not at:
                continue
            lat = [ms for p in at for ms in p.latencies_ms]
            levels.append(
                {
                    "writers": writers,
                    "months": len(at),
                    "per_s": round(statistics.median(p.per_s for p in at), 1),
                    "batch_ms_p50": round(quantile(lat, 0.5), 1),
                    "batch_ms_p99": round(quantile(lat, 0.99), 1),
                }
            )
        best = max(levels, key=lambda x: x["per_s"]) if levels else None
        trickle_lat = [ms for p in trickle for ms in p.latencies_ms]
        months_entries = sum(p.entries for p in monthly)
        return {
            "entries_recorded": recorded,
            "signing_s": round(self.signing_s, 1),
            "recording_s": round(seconds, 1),
            "sustained_per_s": round(recorded / seconds, 1) if seconds else 0.0,
            "opening_entries": opening.entries,
            "opening_per_s": round(opening.per_s, 1),
            "entries_per_commune_month": round(
                months_entries / (self.opts.communes * self.opts.months), 1
            ),
            "trickle_per_s": round(
                sum(p.entries for p in trickle) / sum(p.seconds for p in trickle), 1
            ),
            "trickle_batch_ms_p99": round(quantile(trickle_lat, 0.99), 1),
            "peak_levels": levels,
            "peak_per_s": best["per_s"] if best else 0.0,
            "peak_writers": best["writers"] if best else 0,
            "peak_batch_ms_p99": best["batch_ms_p99"] if best else 0.0,
        }

    def _after(self) -> dict[str, Any]:
        self.say("reading back, signing checkpoints, verifying every commune")
        sizes = after.sizes(self.urls)
        entries = sum(sizes.values())
        disk = after.disk_bytes(self.base, self.prefix)
        checkpoints_s = after.sign_checkpoints(self.communes, self.urls)
        verify_s, verified = after.verify_communes(self.urls, self.opts.verify_processes)
        self.say("collecting the checkpoints into the province log")
        province = after.province_log(self.communes, self.urls)
        return {
            "entries_in_db": entries,
            "disk_bytes": disk,
            "disk_gb_per_million": round(disk / entries * 1e6 / 1e9, 3) if entries else 0.0,
            "checkpoints_s": round(checkpoints_s, 1),
            "verify_s": round(verify_s, 1),
            "verify_entries": verified,
            "verify_per_s": round(verified / verify_s, 1) if verify_s else 0.0,
        } | province
