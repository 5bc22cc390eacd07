"""``ansinh demo``: the Chiềng En demo ledger, January 2022 - December 2024.

The ledger is built the way a real commune would build it: every fact is a
statement signed by the officer whose job it is, submitted in batches. The
same seed gives byte-identical statements: keys, ids, nonces, salts and
signing times all come from ``random.Random(seed)`` and the business dates
(the demo's keys are therefore public knowledge: never use them for real).
A handful of irregularities are planted for the reconciliation to find;
:mod:`api.demo.story` tells the story, this module runs and reports it.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress
from rich.table import Table

from api import reading
from api.cli.deps import PASSPHRASE_ENV, DbOpt, JsonOpt, err, out, refusals
from api.demo import data as d
from api.demo.story import Demo, generate, submit_all
from ledger.application import LedgerApplication
from ledger.errors import InvalidField
from ledger.formats.keys import write_key_file
from ledger.formats.vault import VaultKey
from ledger.signatures.deferred import start_helper
from ledger.tlog.merkle_log import MerkleLog
from projections.model import Snapshot
from projections.query import snapshot

REPORT_FROM, REPORT_TO, REPORT_ON = "2022-01", "2022-06", "2022-06-30"
LATER_FROM, LATER_TO, LATER_ON = "2022-07", "2024-12", "2024-12-31"


def refuse_to_overwrite(ledger: LedgerApplication, keys: Path) -> None:
    """The demo only writes into an empty database and a keys directory without keys."""
    if keys.exists() and not keys.is_dir():
        raise InvalidField("keys", f"{keys} is not a directory")
    existing = sorted(p.name for p in keys.glob("*.key")) if keys.is_dir() else []
    if existing:
        raise InvalidField(
            "keys", f"{keys} already holds keys ({', '.join(existing)}): give an empty directory"
        )
    size = ledger.size()
    if size:
        raise InvalidField(
            "db", f"{ledger.db} already holds a ledger ({size} entries): give a new database"
        )


def write_keys(demo: Demo, keys: Path, vault_key: Path) -> None:
    """Each officer's key (NAME.key 0600, NAME.pub) and the vault key, never overwriting."""
    keys.mkdir(parents=True, exist_ok=True, mode=0o700)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    later = [name for name in demo.keys if name not in d.KEY_FILES]  # the page's, the agent's
    for name in (*d.KEY_FILES, *later):
        pair = demo.keys[name]
        write_key_file(keys / f"{name}.key", pair, passphrase.encode() if passphrase else None)
        pub = {"name": name, "id": pair.key_id, "public_key": pair.public_key_b64}
        (keys / f"{name}.pub").write_text(json.dumps(pub) + "\n")
    if not vault_key.exists():
        VaultKey.write(vault_key, VaultKey.generate())


def build(
    db: str | None,
    keys: Path,
    seed: int = 1,
    vault_key: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    later: bool = True,
) -> dict[str, Any]:
    """Build the demo ledger in ``db`` with its keys in ``keys``; returns the summary.

    ``later``: the years to December 2024 too (:mod:`api.demo.later`); without
    them the first half of 2022 only."""
    started = time.perf_counter()
    start_helper()  # the signature helper gets ready while the statements are written
    vault_key = vault_key or keys / "vault.key"
    ledger = LedgerApplication(db, vault_key=vault_key)  # the key is read when first needed
    try:
        refuse_to_overwrite(ledger, keys)
        demo = generate(seed, later)
        write_keys(demo, keys, vault_key)
        submit_all(demo, ledger.submit_batch, progress)
        issued = MerkleLog(ledger).issue(demo.keys["notary"])
        summary = summarize(snapshot(ledger), demo)
        if demo.later is not None:
            summary["later"] = summarize_later(ledger, demo)
    finally:
        ledger.close()
    summary.update(
        db=ledger.db,
        keys=str(keys),
        seed=seed,
        checkpoint_size=issued.size,
        authority_key_id=demo.keys["authority"].key_id,
        seconds=round(time.perf_counter() - started, 1),
    )
    return summary


# -- the summary ---------------------------------------------------------------------
def approved_statuses(snap: Snapshot) -> Counter[str]:
    """How many households each status holds: the latest approved proposal of each."""
    latest: dict[str, tuple[str, int, str]] = {}
    for p in snap.proposals.values():
        if p.state == "approved" and p.effective <= REPORT_ON:
            key = (p.effective, p.decided_index or 0, p.status)
            latest[p.household_id] = max(latest.get(p.household_id, key), key)
    return Counter(status for _, _, status in latest.values())


def anomaly_counts(
    snap: Snapshot, period: tuple[str, str, str] = (REPORT_FROM, REPORT_TO, REPORT_ON)
) -> dict[str, int] | None:
    """What the reconciliation of ``(from, to, on)`` finds, by code; None where it is not
    installed."""
    try:
        from projections.reports.reconciliation import reconcile
    except ImportError:
        return None
    first, last, on = period
    report = reconcile(snap, first, last, on=on)
    return dict(sorted(Counter(a["code"] for a in report["anomalies"]).items()))


def summarize(snap: Snapshot, demo: Demo) -> dict[str, Any]:
    """The demo's figures, read back from the ledger (not from the generator)."""
    programs = {p.program_id: p for p in snap.programs.values()}
    rows: dict[str, dict[str, Any]] = {}
    for p in sorted(programs.values(), key=lambda p: p.index):
        rows[p.program_id] = {
            "code": p.code,
            "name": p.name,
            "category": p.category,
            "kind": p.kind,
            "beneficiaries": 0,
            "payments": 0,
            "paid_vnd": 0,
            "planted_vnd": 0,
            "received_vnd": 0,
        }
    paid_benefits: dict[str, set[str]] = {pid: set() for pid in rows}
    for pay in snap.payments.values():
        if pay.reversed or not "2022-01-01" <= pay.paid_on <= REPORT_ON:
            continue
        program_id = snap.benefits[pay.benefit_id].program_id
        row = rows[program_id]
        row["payments"] += 1
        row["paid_vnd"] += pay.amount
        if pay.payment_id in demo.planted_payments:
            row["planted_vnd"] += pay.amount
        paid_benefits[program_id].add(pay.benefit_id)
    for movement in snap.funds.values():
        sign = 1 if movement.kind == "received" else -1
        rows[movement.program_id]["received_vnd"] += sign * movement.amount
    for program_id, benefits in paid_benefits.items():
        rows[program_id]["beneficiaries"] = len(benefits)
    by_code = {row["code"]: row for row in rows.values()}
    merit = [row for row in rows.values() if row["category"] == "meritorious"]
    merit_total = sum(row["paid_vnd"] for row in merit)
    merit_planted = sum(row["planted_vnd"] for row in merit)
    statuses = approved_statuses(snap)
    return {
        "ledger_id": snap.ledger_id,
        "name": snap.name,
        "entries": snap.as_of,
        "households": len(snap.households),
        "people": len(snap.people),
        "villages": len({h.village for h in snap.households.values()}),
        "poor": statuses["poor"],
        "near_poor": statuses["near_poor"],
        "rejected_proposals": sum(p.state == "rejected" for p in snap.proposals.values()),
        "programs": list(rows.values()),
        "meritorious": {
            "beneficiaries": sum(row["beneficiaries"] for row in merit),
            "total_vnd": merit_total,
            "regular_vnd": merit_total - merit_planted,
            "planted_vnd": merit_planted,
        },
        "child_health_insurance_cards": by_code["BHYT-TE"]["payments"],
        "tet_gifts": by_code["TET-2022"]["payments"],
        "relief": {
            "households": by_code["CUU-TRO"]["beneficiaries"],
            "paid_vnd": by_code["CUU-TRO"]["paid_vnd"],
        },
        "planted": [p.to_json() for p in demo.planted],
        "anomalies": anomaly_counts(snap),
        "later": None,
    }


def summarize_later(ledger: LedgerApplication, demo: Demo) -> dict[str, Any]:
    """The years to December 2024: what was paid, and what their reconciliation finds
    (with what only the log and the vault tell: reviews, grievances, namesakes)."""
    assert demo.later is not None
    read = reading.read_at(reading.Direct(ledger), None)
    paid = [p for p in read.snap.payments.values() if not p.reversed and p.paid_on > REPORT_ON]
    doc = reading.reconciliation(read, LATER_FROM, LATER_TO, LATER_ON, identities=True)
    return {
        "period": [LATER_FROM, LATER_TO],
        "formats": ledger.charter().formats,
        "payments": len(paid),
        "paid_vnd": sum(p.amount for p in paid),
        "planted": [{"code": code, "detail": detail} for code, detail in demo.later.planted],
        "anomalies": dict(sorted(Counter(a["code"] for a in doc["anomalies"]).items())),
    }


def vnd(amount: int) -> str:
    """An amount as Vietnamese pages write it: 1.624.000 đ."""
    return f"{amount:,}".replace(",", ".") + " đ"


def num(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def print_summary(s: dict[str, Any]) -> None:
    out.print(f"[bold]Sổ cái mẫu (demo ledger)[/bold]: {s['name']}")
    out.print(
        f"  {s['ledger_id']} — {num(s['entries'])} bút toán (entries), điểm kiểm chứng "
        f"(checkpoint) ở {num(s['checkpoint_size'])}; {s['db']}"
    )
    out.print(
        f"  khóa (keys): {s['keys']}; authority {s['authority_key_id'][:16]}; seed {s['seed']}"
    )
    out.print(
        f"Hộ gia đình (households): {num(s['households'])} trong {s['villages']} bản (villages); "
        f"nhân khẩu (people): {num(s['people'])}"
    )
    out.print(
        f"Hộ nghèo (poor): {num(s['poor'])}; hộ cận nghèo (near-poor): {num(s['near_poor'])}; "
        f"đề nghị bị từ chối (rejected proposals): {s['rejected_proposals']}"
    )
    table = Table(title="Chi trả 01/2022 - 06/2022 (paid January-June)", title_justify="left")
    for column in (
        "chương trình (program)",
        "người/hộ",
        "lượt chi",
        "đã chi (paid)",
        "kinh phí nhận (received)",
    ):
        table.add_column(column, justify="left" if column.startswith("ch") else "right")
    for row in s["programs"]:
        table.add_row(
            f"{row['code']} {row['name']}",
            num(row["beneficiaries"]),
            num(row["payments"]),
            vnd(row["paid_vnd"]),
            vnd(row["received_vnd"]),
        )
    out.print(table)
    m = s["meritorious"]
    out.print(
        f"Người có công (meritorious), {num(m['beneficiaries'])} người: {vnd(m['regular_vnd'])} "
        f"chi thường xuyên (regular) + {vnd(m['planted_vnd'])} sai phạm cài sẵn (planted) "
        f"= {vnd(m['total_vnd'])}"
    )
    out.print(
        f"Thẻ BHYT trẻ em dưới 6 tuổi (child health-insurance cards): "
        f"{s['child_health_insurance_cards']}; quà Tết (Tết gifts): {num(s['tet_gifts'])}; "
        f"cứu trợ đột xuất (emergency relief): {s['relief']['households']} hộ, "
        f"{vnd(s['relief']['paid_vnd'])}"
    )
    out.print("Sai phạm cài sẵn (planted irregularities):")
    for p in s["planted"]:
        money = f", {vnd(p['amount_vnd'])}" if p["amount_vnd"] else ""
        out.print(f"  {p['code']:<24} {p['program']}{money}: {p['detail']}")
    found = s["anomalies"]
    where = "01/2022 - 06/2022, ngày (on) 30/06/2022"
    if found is None:
        out.print(
            f"Đối soát (reconciliation) {where}: not available (projections.reports.reconciliation)"
        )
    else:
        out.print(
            f"Đối soát (reconciliation) {where}: {sum(found.values())} bất thường (anomalies)"
        )
        for code, count in found.items():
            out.print(f"  {code:<24} {count}")
    if s["later"] is not None:
        print_later(s["later"])
    out.print(f"Thời gian (time): {s['seconds']} s")


def print_later(later: dict[str, Any]) -> None:
    out.print(
        f"[bold]07/2022 - 12/2024[/bold] (FORMATS 1.3 từ 05/2024): {num(later['payments'])} "
        f"lượt chi (payments), {vnd(later['paid_vnd'])}"
    )
    if later["planted"]:
        out.print("Cài sẵn trong các năm sau (planted in the later years):")
        for p in later["planted"]:
            out.print(f"  {p['code']:<24} {p['detail']}")
    found = later["anomalies"] or {}
    out.print(
        f"Đối soát (reconciliation) 07/2022 - 12/2024, ngày (on) 31/12/2024: "
        f"{sum(found.values())} bất thường (anomalies)"
    )
    for code, count in found.items():
        out.print(f"  {code:<24} {count}")


def demo(
    db: DbOpt = None,
    keys: Annotated[
        Path, typer.Option("--keys", help="New directory for the demo's keys (0600 files)")
    ] = Path("demo-keys"),
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same statements")] = 1,
    vault_key: Annotated[
        Path | None,
        typer.Option(
            "--vault-key",
            help="Vault key file to use, created if missing (default: KEYS/vault.key)",
        ),
    ] = None,
    as_json: JsonOpt = False,
    later: Annotated[
        bool,
        typer.Option(
            "--later/--no-later",
            help="Go on to December 2024 (FORMATS 1.3 procedures), or stop at June 2022",
        ),
    ] = True,
) -> None:
    """Build the Chiềng En demo ledger (January 2022 - December 2024) in --db, keys in --keys."""
    with refusals(), Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("building the demo ledger", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = build(db, keys, seed, vault_key, advance, later)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print_summary(summary)
