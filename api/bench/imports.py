"""``ansinh bench import``: 10,000-row sheets previewed, then signed and recorded as the CLI does.

It records, untimed, a ledger of 10,000 households, each with its head (and
vault record) and an approved monthly allowance. Then, each run:

- baseline: reading the XLSX with openpyxl (read-only, values only), the
  least any import does (the files are written as Excel writes them, with
  their size: openpyxl reads a sheet without it twice);
- parse + preview of 10,000 new households, and of a payroll of the
  10,000 allowances, filled in (:func:`api.imports.preview.parse`, after
  reading the snapshot once, which is shown apart too), with their ratio to
  the baseline;
- the CLI path's signing (:func:`api.cli.imports.sign_all`) and recording
  as one batch, of the households and of the payroll (a new month each run).
"""

from __future__ import annotations

import io
import json
import statistics
import time
import uuid
from itertools import islice
from typing import Annotated, Any

import typer
from rich.console import Console

from api import reading
from api.bench.scratch import scratch_db
from api.cli.imports import checked_here, sign_all
from api.demo.statements import Officers, seeded_keys
from api.imports.preview import parse
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.formats.vault import VaultKey, VaultRecord
from ledger.formats.versions import V1_1

ORIGIN = "ansinh.vn/bench/import"
BATCH = 1000
NAMES = ("authority", "notary", "registrar", "approver", "cashier")
PAYROLL = ["STT", "Thôn/bản", "Mã hộ", "Họ và tên", "Chương trình", "Số tiền phải trả"]
PAYROLL += ["Số tiền đã nhận", "Ngày nhận", "Hình thức", "Số biên nhận"]
PAYROLL += ["Số định danh người nhận", "Mã trợ cấp", "Mã tra cứu", "Ký nhận"]
err = Console(stderr=True, highlight=False)


def _opening(officers: Officers) -> list[Submission]:
    from api.demo.statements import ledger_opened

    keys = officers.keys
    body = ledger_opened("UBND xã Bench", keys["authority"], keys["notary"], V1_1)
    subs = [officers.sub("authority", "ledger.opened", body)]
    for name in ("registrar", "approver", "cashier"):
        body = {"key": {"id": keys[name].key_id, "public_key": keys[name].public_key_b64}}
        body |= {"holder": {"id": f"bench-{name}", "name": f"Cán bộ {name}"}, "roles": [name]}
        subs.append(officers.sub("authority", "key.registered", body))
    return subs


def commune(officers: Officers, households: int) -> tuple[list[Submission], list[dict[str, Any]]]:
    """The statements of the commune, and each household's payroll facts."""
    subs = _opening(officers)
    program = str(uuid.uuid4())
    body = {"program_id": program, "code": "TB-61", "name": "Trợ cấp người có công"}
    subs.append(
        officers.sub(
            "authority", "program.defined", body | {"category": "meritorious", "kind": "monthly"}
        )
    )
    facts = []
    for i in range(households):
        hid, pid, bid = (str(uuid.uuid4()) for _ in range(3))
        code = f"BH-{i:05d}"
        subs.append(
            officers.sub(
                "registrar",
                "household.registered",
                {"household_id": hid, "code": code, "village": "Bản Mé"},
            )
        )
        record = VaultRecord.new(pid, {"full_name": f"Lò Văn {i}", "national_id": f"0141{i:08d}"})
        person: dict[str, Any] = {"person_id": pid, "household_id": hid, "relation": "head"}
        person |= {"sex": "m", "birth_year": 1950, "pii": record.commitment}
        subs.append(officers.sub("registrar", "person.registered", person, (record,)))
        benefit: dict[str, Any] = {
            "benefit_id": bid,
            "program_id": program,
            "person_id": pid,
            "amount": 1_624_000,
        }
        subs.append(
            officers.sub(
                "registrar", "benefit.proposed", benefit | {"start": "2022-01", "basis": "Bench"}
            )
        )
        decision = {"number": "15/QĐ-UBND", "date": "2022-01-06"}
        subs.append(
            officers.sub("approver", "benefit.approved", {"benefit_id": bid, "decision": decision})
        )
        facts.append({"code": code, "benefit_id": bid})
    return subs, facts


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()  # as Excel does, it writes the sheet's size (<dimension>)
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def households_file(rows: int, run: int) -> bytes:
    return xlsx([["Mã hộ", "Thôn/bản"]] + [[f"N{run}-{i:05d}", "Bản Nà Sản"] for i in range(rows)])


def payroll_file(facts: list[dict[str, Any]]) -> bytes:
    rows: list[list[Any]] = [PAYROLL]
    for i, f in enumerate(facts, start=1):
        due = [i, "Bản Mé", f["code"], f"Lò Văn {i}", "TB-61", 1_624_000]
        rows.append(
            [*due, 1624000, "10/02/2022", "Tiền mặt", f"BN-{i:06d}", "", f["benefit_id"], "", ""]
        )
    return xlsx(rows)


def caught_up(ledger: LedgerApplication) -> None:
    """Bring the read models and the Merkle tree up to the log (a server does as it goes)."""
    reading.read_at(reading.Direct(ledger), None)


def read_only_s(data: bytes) -> float:
    """The baseline: every cell of the first sheet read by openpyxl, nothing checked."""
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert count > 0
    return time.perf_counter() - started


def bench_import(
    rows: Annotated[int, typer.Option("--rows", help="Rows of each spreadsheet")] = 10_000,
    repeat: Annotated[int, typer.Option("--repeat", help="Runs of each; medians reported")] = 3,
    db: Annotated[
        str, typer.Option("--db", help="'sqlite' (a temp file) or a postgresql:// URL")
    ] = "sqlite",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Parse + preview of 10,000-row XLSX files vs reading them; the CLI's sign + submit."""
    if not 10 <= rows <= 50_000 or not 1 <= repeat <= 12:
        raise typer.BadParameter("--rows 10..50000, --repeat 1..12")
    officers = Officers(ORIGIN, seeded_keys(NAMES, 40))
    figures: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        figures.setdefault(name, []).append(seconds)

    with scratch_db(db, "import") as url:
        ledger = LedgerApplication(url, vault_key=VaultKey(b"\x06" * 32))
        with err.status("recording the commune (untimed)"):
            subs, facts = commune(officers, rows)
            stream = iter(subs)
            while batch := list(islice(stream, BATCH)):
                ledger.submit_batch(batch)
            caught_up(ledger)
        pay_sheet = payroll_file(facts)
        ledger_id = ORIGIN
        for run in range(repeat):
            month = f"{2022 + (run + 1) // 12:04d}-{(run + 1) % 12 + 1:02d}"
            for layout, data, key in (
                ("households", households_file(rows, run), "registrar"),
                ("payroll", pay_sheet, "cashier"),
            ):
                note(f"{layout}_read_s", read_only_s(data))
                started = time.perf_counter()
                read = reading.read_at(reading.Direct(ledger), None)
                note(f"{layout}_snapshot_s", time.perf_counter() - started)
                preview = parse(
                    layout, data, "xlsx", read, month=month if layout == "payroll" else None
                )
                note(f"{layout}_preview_s", time.perf_counter() - started)
                assert not preview.bad_rows and len(preview.statements) == rows, preview.bad_rows[
                    :1
                ]
                started = time.perf_counter()
                signed = sign_all(checked_here(preview).planned, officers.keys[key], ledger_id)
                note(f"{layout}_sign_s", time.perf_counter() - started)
                started = time.perf_counter()
                ledger.submit_batch(signed)
                note(f"{layout}_submit_s", time.perf_counter() - started)
                caught_up(ledger)
        ledger.close()
    result: dict[str, Any] = {
        "rows": rows,
        "repeat": repeat,
        "db": "sqlite" if db == "sqlite" else "postgresql",
    }
    for name, values in figures.items():
        result[name] = round(statistics.median(values), 3)
    for layout in ("households", "payroll"):
        result[f"{layout}_preview_ratio"] = round(
            result[f"{layout}_preview_s"] / result[f"{layout}_read_s"], 2
        )
    if as_json:
        print(json.dumps(result))
        return
    out = Console(highlight=False)
    out.print(f"import on {result['db']}: {rows} rows (medians of {repeat})")
    for layout in ("households", "payroll"):
        figure = {
            k.removeprefix(layout + "_"): v for k, v in result.items() if k.startswith(layout)
        }
        out.print(f"  {layout:10} read the XLSX (baseline) {figure['read_s']:7.2f} s")
        out.print(
            f"  {layout:10} parse + preview          {figure['preview_s']:7.2f} s"
            f"   {figure['preview_ratio']:.2f}x"
        )
        out.print(f"  {layout:10} of which the snapshot    {figure['snapshot_s']:7.2f} s")
        out.print(
            f"  {layout:10} CLI sign, submit         {figure['sign_s']:7.2f} s,"
            f" {figure['submit_s']:.2f} s"
        )
