"""``ansinh bench console``: a 10,000-row payroll imported through the officer console.

What a commune cashier waits for, measured in Debian's Chromium (headless,
driven by Playwright, the test extras): the console served by this process
over loopback, the cashier signed in with a key file, then, each run, a
filled-in payroll XLSX of ``--rows`` rows for a new month uploaded on the
import screen until its preview is shown (the server reads and checks it),
and "sign all" until the batch is recorded (every statement signed in the
page with WebCrypto, sent as one JSON-lines batch, recorded all or nothing).

The baseline, measured in the same run on the same ledger, is the command
line's path for another month: the same file previewed in process, signed
with the key file and recorded as one batch (``ansinh import``). The
commune (one allowance per household) is recorded untimed, as in ``bench
import``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
from rich.console import Console

from api import reading
from api.bench.imports import BATCH, NAMES, ORIGIN, caught_up, commune, payroll_file
from api.bench.scratch import scratch_db
from api.cli.imports import checked_here, sign_all
from api.cli.listening import bind
from api.demo.statements import Officers, seeded_keys
from api.http.app import create_app
from api.imports.preview import parse
from api.service import LedgerService
from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey

VAULT = VaultKey(b"\x06" * 32)
LONG_MS = 600_000
err = Console(stderr=True, highlight=False)


@contextmanager
def served(service: LedgerService) -> Iterator[str]:
    """The server of ``service`` on a free port of 127.0.0.1, in a thread; its base URL."""
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(service), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the bench's server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A page of headless Chromium (Debian's), or a clear error naming what is missing."""
    import shutil

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise typer.BadParameter("needs Playwright (pip install -e '.[test]')") from None
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise typer.BadParameter("needs Chromium (scripts/ensure-chromium.sh installs it)")
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    flags += ["--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=flags)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(LONG_MS)
            yield page
        finally:
            browser.close()


def caught_up_served(url: str) -> None:
    """Bring the server's read models up to the log before the clock starts.

    A read does it (here the public lists, read all day on a server in use):
    the entries another writer recorded (the baseline's batch) are read in.
    """
    import httpx

    httpx.get(f"{url}/lists.json", timeout=300).raise_for_status()
    health = httpx.get(f"{url}/healthz", timeout=30).json()
    if health["projections"]["behind"]:
        raise RuntimeError(f"the bench's server did not catch up: {health}")


def sign_in(page: Any, url: str, key_file: Path) -> None:
    page.goto(f"{url}/officer")
    page.set_input_files("#key-file", str(key_file))
    page.click("#sign-in")
    page.wait_for_selector("#whoami", state="visible")


def console_import(page: Any, sheet: Path, month: str) -> tuple[float, float]:
    """Seconds until the preview is shown, then until the batch is recorded."""
    page.click("#tab-import")
    page.select_option("#layout", "payroll")
    page.fill("#import-month", f"{month[5:]}/{month[:4]}")
    page.set_input_files("#import-file", str(sheet))
    started = time.perf_counter()
    page.click("#read-file")
    page.wait_for_selector("#import-summary", state="visible")
    previewed = time.perf_counter() - started
    if page.locator("#sign-all").count() != 1:
        raise RuntimeError(f"the preview found bad rows: {page.inner_text('#import-summary')}")
    started = time.perf_counter()
    page.click("#sign-all")
    page.wait_for_selector("#batch-recorded", state="visible")
    return previewed, time.perf_counter() - started


def command_line_import(
    url: str, data: bytes, month: str, officers: Officers
) -> tuple[float, float]:
    """The baseline: previewed in process, signed with the key, recorded as one batch."""
    ledger = LedgerApplication(url, vault_key=VAULT, create=False)
    try:
        started = time.perf_counter()
        preview = parse(
            "payroll", data, "xlsx", reading.read_at(reading.Direct(ledger), None), month=month
        )
        previewed = time.perf_counter() - started
        if preview.bad_rows:
            raise RuntimeError(f"the baseline's preview found bad rows: {preview.bad_rows[:1]}")
        started = time.perf_counter()
        signed = sign_all(checked_here(preview).planned, officers.keys["cashier"], ORIGIN)
        ledger.submit_batch(signed)
        return previewed, time.perf_counter() - started
    finally:
        ledger.close()


def bench_console(
    rows: Annotated[int, typer.Option("--rows", help="Rows of the payroll")] = 10_000,
    repeat: Annotated[int, typer.Option("--repeat", help="Runs; medians reported")] = 3,
    db: Annotated[
        str, typer.Option("--db", help="'sqlite' (a temp file) or a postgresql:// URL")
    ] = "sqlite",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A payroll XLSX imported in the browser console vs the command line's import."""
    if not 10 <= rows <= 50_000 or not 1 <= repeat <= 5:
        raise typer.BadParameter("--rows 10..50000, --repeat 1..5")
    officers = Officers(ORIGIN, seeded_keys(NAMES, 40))
    figures: dict[str, list[float]] = {}
    with scratch_db(db, "console") as url, tempfile.TemporaryDirectory() as tmp:
        ledger = LedgerApplication(url, vault_key=VAULT)
        with err.status("recording the commune (untimed)"):
            subs, facts = commune(officers, rows)
            stream = iter(subs)
            while batch := list(islice(stream, BATCH)):
                ledger.submit_batch(batch)
            caught_up(ledger)
        before = ledger.size()
        ledger.close()
        data = payroll_file(facts)
        sheet, key_file = Path(tmp) / "chi-tra.xlsx", Path(tmp) / "cashier.key"
        sheet.write_bytes(data)
        key_file.write_bytes(officers.keys["cashier"].to_pem())
        service = LedgerService(
            url, vault_key=VAULT, notary=officers.keys["notary"], checkpoint_every_s=1.0
        )
        try:
            with served(service) as base, chromium() as page:
                sign_in(page, base, key_file)
                for run in range(repeat):
                    browser_month, cli_month = f"2023-{2 * run + 1:02d}", f"2023-{2 * run + 2:02d}"
                    caught_up_served(base)  # the last run's 20,000 entries read
                    with err.status(f"run {run + 1}: the console"):
                        preview_s, record_s = console_import(page, sheet, browser_month)
                    with err.status(f"run {run + 1}: the command line"):
                        cli_preview_s, cli_record_s = command_line_import(
                            url, data, cli_month, officers
                        )
                    for name, value in (
                        ("browser_preview_s", preview_s),
                        ("browser_sign_submit_s", record_s),
                        ("cli_preview_s", cli_preview_s),
                        ("cli_sign_submit_s", cli_record_s),
                    ):
                        figures.setdefault(name, []).append(value)
            recorded = service.ledger.size() - before
        finally:
            service.close()
            service.ledger.close()
    result: dict[str, Any] = {"rows": rows, "repeat": repeat}
    result |= {"db": "sqlite" if db == "sqlite" else "postgresql", "recorded": recorded}
    medians = {name: statistics.median(v) for name, v in figures.items()}
    result |= {name: round(value, 3) for name, value in medians.items()}
    for step, browser, cli in (
        ("preview", "browser_preview_s", "cli_preview_s"),
        ("sign_submit", "browser_sign_submit_s", "cli_sign_submit_s"),
    ):
        result[f"{step}_ratio"] = round(medians[browser] / medians[cli], 2)
    if as_json:
        print(json.dumps(result))
        return
    out = Console(highlight=False)
    out.print(f"console import on {result['db']}: a payroll of {rows} rows (medians of {repeat})")
    out.print(
        f"  parse + preview   browser {result['browser_preview_s']:6.2f} s"
        f"   command line {result['cli_preview_s']:6.2f} s   {result['preview_ratio']:.2f}x"
    )
    out.print(
        f"  sign + submit     browser {result['browser_sign_submit_s']:6.2f} s"
        f"   command line {result['cli_sign_submit_s']:6.2f} s   {result['sign_submit_ratio']:.2f}x"
    )
