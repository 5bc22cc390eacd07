"""Keeping the read models up to date: rebuild, resume after a crash, one model at a time,
lag, and the commands that drive them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError
from typer.testing import CliRunner

from api.cli.main import app as cli
from ledger.application import LedgerApplication
from ledger.errors import InvalidField, LogInconsistent
from projections.tables.replay import replay
from projections.tables.runner import Projections, recorder_for
from projections.tables.schema import MODELS
from projections.tables.store import ProjectionTables
from tests.conftest import Story
from tests.ledger.tlog.test_tlog import raw_sql
from tests.projections.test_projection_store import dump, grow
from tests.support.paths import ROOT

runner = CliRunner()


@pytest.mark.parametrize("page_size", [1, 7, 2000])
def test_a_rebuild_gives_the_same_rows_and_snapshot_as_catching_up_as_the_log_grows(
    app: LedgerApplication, story: Story, page_size: int
) -> None:
    incremental = Projections(app, page_size=page_size)
    grow(story, after=incremental.catch_up)
    incremental.catch_up()
    rows, snap = dump(incremental), incremental.load_snapshot()
    assert sum(map(len, rows.values())) > 3 * app.size()
    rebuilt = Projections(app, page_size=page_size)
    assert rebuilt.rebuild() == app.size()
    assert dump(rebuilt) == rows
    assert rebuilt.load_snapshot() == snap == replay(app.entries())


def test_a_crash_inside_a_page_transaction_leaves_nothing_and_catch_up_resumes(
    app: LedgerApplication, story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    grow(story)
    projections = Projections(app, page_size=10)
    track = type(projections.store)._track
    pages: list[int] = []

    def crash_on_the_fourth_page(self: ProjectionTables, c: Any, tracking: Any) -> None:
        track(self, c, tracking)  # type: ignore[arg-type]
        pages.append(tracking.notification_id)
        if len(pages) == 4 * len(MODELS):  # rows and positions written, not committed
            raise RuntimeError("power cut")

    monkeypatch.setattr(type(projections.store), "_track", crash_on_the_fourth_page)
    with pytest.raises(RuntimeError, match="power cut"):
        projections.catch_up()
    monkeypatch.undo()
    assert projections.positions() == dict.fromkeys(MODELS, 30)
    assert len(projections.store.dump("proj_entry_meta")) == 30
    assert projections.catch_up() == app.size() - 30
    rows = dump(projections)
    projections.rebuild()
    assert dump(projections) == rows
    assert projections.load_snapshot() == replay(app.entries())


KILLED_MID_PAGE = """
import sys, time
from ledger.application import LedgerApplication
from projections.tables.runner import Projections, recorder_for
ledger = LedgerApplication(sys.argv[1])
projections = Projections(ledger, page_size=10)
cls = type(projections.store)
track, calls = cls._track, []
def stall(self, c, tracking):
    track(self, c, tracking)
    calls.append(tracking)
    if len(calls) == 3 * len(projections.positions()):
        print("inside the third page", flush=True)
        time.sleep(120)
cls._track = stall
projections.catch_up()
"""


def test_a_catch_up_killed_mid_page_resumes_without_counting_anything_twice(
    app: LedgerApplication, story: Story, db_url: str
) -> None:
    grow(story)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_PAGE, db_url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "inside the third page"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    projections = Projections(app)
    assert projections.positions() == dict.fromkeys(MODELS, 20)
    assert projections.catch_up() == app.size() - 20
    rows = dump(projections)
    assert len(rows["proj_entry_meta"]) == app.size()
    projections.rebuild()
    assert dump(projections) == rows


def test_two_catch_ups_at_once_write_every_entry_once(app: LedgerApplication, story: Story) -> None:
    grow(story)
    workers = [Projections(app, page_size=5) for _ in range(2)]
    errors: list[BaseException] = []

    def run(projections: Projections) -> None:
        try:
            projections.catch_up()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert workers[0].lag() == (app.size(), app.size())
    rows = dump(workers[0])
    workers[1].rebuild()
    assert dump(workers[1]) == rows


def test_rebuilding_one_read_model_leaves_the_others_untouched(
    app: LedgerApplication, story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    grow(story)
    projections = Projections(app, page_size=10)
    projections.catch_up()
    before = dump(projections)
    written: set[str] = set()
    write_page = ProjectionTables.write_page

    def watch(self: ProjectionTables, page: Any, application: str) -> None:
        written.update(t for t, rows in page.inserts.items() if rows)
        written.update(m for m in page.advanced)
        write_page(self, page, application)

    monkeypatch.setattr(ProjectionTables, "write_page", watch)
    assert projections.rebuild(only="payments") == app.size()
    assert written == {"proj_payments", "payments"}
    assert dump(projections) == before
    assert projections.load_snapshot() == replay(app.entries())
    with pytest.raises(InvalidField, match="no read model 'payment'"):
        projections.rebuild(only="payment")


def test_the_lag_counts_entries_not_yet_projected(app: LedgerApplication, story: Story) -> None:
    projections = Projections(app)
    size = app.size()
    assert projections.lag() == (0, size)
    assert projections.catch_up() == size
    assert projections.lag() == (size, size)
    for _ in range(3):
        story.household()
    assert projections.lag() == (size, size + 3)
    assert projections.catch_up() == 3
    assert projections.catch_up() == 0
    assert projections.position() == size + 3


def test_a_model_whose_position_disagrees_with_the_log_stops_the_projection(
    app: LedgerApplication, story: Story, db_url: str
) -> None:
    projections = Projections(app)
    projections.catch_up()
    story.household()
    raw_sql(db_url, "UPDATE proj_position SET entries = entries + 1 WHERE model = 'payments'")
    with pytest.raises(LogInconsistent, match="model payments has 6 entries; entry 5 is next"):
        projections.catch_up()


def test_the_commands_rebuild_one_model_or_all_and_report_the_lag(
    app: LedgerApplication, story: Story, db_url: str
) -> None:
    story.household()
    status = runner.invoke(cli, ["projections", "status", "--db", db_url, "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout) == {
        "position": 0,
        "log_size": 6,
        "lag": 6,
        "models": dict.fromkeys(MODELS, 0),
    }
    done = runner.invoke(cli, ["projections", "rebuild", "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "rebuilt every read model: 6 entries" in done.stdout
    one = runner.invoke(cli, ["projections", "rebuild", "--only", "people", "--db", db_url])
    assert one.exit_code == 0 and "rebuilt people: 6 entries" in one.stdout
    table = runner.invoke(cli, ["projections", "status", "--db", db_url])
    assert "position 6 of 6 entries (lag 0)" in table.stdout
    wrong = runner.invoke(cli, ["projections", "rebuild", "--only", "nobody", "--db", db_url])
    assert wrong.exit_code == 2 and "no read model 'nobody'" in wrong.output


def test_the_rebuild_bench_prints_its_rates_and_their_ratio() -> None:
    result = runner.invoke(cli, ["bench", "rebuild", "--entries", "300", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["entries"] == 300
    assert figures["decode_per_s"] > 0 and figures["rebuild_per_s"] > 0
    assert figures["rebuild_ratio"] == pytest.approx(
        figures["rebuild_per_s"] / figures["decode_per_s"], rel=0.01
    )
    assert figures["reconciliation_s"] > 0


def test_opening_the_read_models_tries_again_when_sqlite_says_locked(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another connection's commit can make SQLite refuse the tables' creation at once."""
    real = story.app.factory.tracking_recorder
    errors = [OperationalError("database is locked")]

    def flaky(cls: Any) -> Any:
        if errors:
            raise errors.pop(0)
        return real(cls)

    monkeypatch.setattr(story.app.factory, "tracking_recorder", flaky)
    assert isinstance(recorder_for(story.app), ProjectionTables)
    assert errors == []  # refused once, then made
    errors.extend([OperationalError("disk I/O error")])
    with pytest.raises(OperationalError, match="disk I/O"):  # only a lock is tried again
        recorder_for(story.app)
