"""After the traffic: disk used, checkpoints signed, every commune verified, the province log.

What a province does with its communes' ledgers once they are written: the
notary signs each commune's checkpoint (replaying its log, as a notary
does), ``ansinh verify --db`` checks each commune's ledger (every table,
read models rebuilt and compared), and the province collects the
checkpoints into its own log, exports it and verifies it
(``ansinh verify --province``). Each step is timed on its own.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from api.bench.province.traffic import CommuneTraffic
from api.bench.province.writers import VAULT_KEY, open_commune
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey
from ledger.province.log import ProvinceLog
from ledger.province.verify import verify_province
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.witness import DatabaseSource, LogSource
from projections.tables.audit import verify_database

PROVINCE = "ansinh.vn/bench/province"
COLLECT_AT_ONCE = 8  # communes open at once while collecting: a few connections each


def disk_bytes(base: str, prefix: str) -> int:
    """Bytes of every table (indexes and TOAST included) in the schemas named ``prefix*``."""
    with psycopg.connect(base, autocommit=True) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname LIKE %s AND c.relkind IN ('r', 'm')",
            (prefix.replace("_", r"\_") + "%",),
        ).fetchone()
    return int(row[0]) if row else 0


def sizes(urls: dict[str, str]) -> dict[str, int]:
    """Each commune's log size, read back from its schema."""
    out = {}
    for origin, url in urls.items():
        ledger = open_commune(url)
        try:
            out[origin] = ledger.size()
        finally:
            ledger.close()
    return out


def sign_checkpoints(communes: dict[str, CommuneTraffic], urls: dict[str, str]) -> float:
    """Seconds for every commune's notary to sign a checkpoint of the whole log."""
    started = time.perf_counter()
    for origin, url in urls.items():
        ledger = open_commune(url)
        try:
            MerkleLog(ledger).issue(communes[origin].keys["notary"])
        finally:
            ledger.close()
    return time.perf_counter() - started


def verify_communes(urls: dict[str, str], processes: int) -> tuple[float, int]:
    """Seconds to run ``verify --db`` on every commune, and the entries verified."""
    started, entries = time.perf_counter(), 0
    for url in urls.values():
        ledger = open_commune(url)
        try:
            outcome = verify_database(ledger, processes=processes, vault_key=VaultKey(VAULT_KEY))
            entries += outcome.entries
        finally:
            ledger.close()
    return time.perf_counter() - started, entries


def province_log(communes: dict[str, CommuneTraffic], urls: dict[str, str]) -> dict[str, Any]:
    """The province log: every commune followed, its checkpoint collected; exported, verified."""
    key = KeyPair.from_seed(hashlib.sha256(PROVINCE.encode()).digest())
    with tempfile.TemporaryDirectory(prefix="ansinh-bench-province-") as scratch:
        log = ProvinceLog.init(str(Path(scratch) / "province.db"), key, PROVINCE)
        try:
            for origin in urls:
                log.add_commune(origin, communes[origin].keys["notary"].public_key, key)
            started = time.perf_counter()
            origins = list(urls)
            for i in range(0, len(origins), COLLECT_AT_ONCE):
                chunk = origins[i : i + COLLECT_AT_ONCE]
                ledgers = [open_commune(urls[o]) for o in chunk]
                try:
                    sources: list[LogSource] = [DatabaseSource(MerkleLog(x)) for x in ledgers]
                    done = log.collect(sources, key, chunk)
                finally:
                    for ledger in ledgers:
                        ledger.close()
                assert not done.refused, [r.message for r in done.refused]
            collected = time.perf_counter() - started
            bundle = Path(scratch) / "bundle"
            log.export(bundle)
        finally:
            log.store.close()
        started = time.perf_counter()
        outcome = verify_province(bundle)
        verified = time.perf_counter() - started
    assert len(outcome.communes) == len(urls)
    return {
        "province_collect_s": round(collected, 2),
        "province_verify_s": round(verified, 2),
        "province_log_entries": outcome.size,
        "province_communes": len(outcome.communes),
    }
