"""A process that ends leaves its signature helper to end quietly: nothing on stderr.

The helper takes a moment to start; a batch small enough to be checked
before it is ready, or a command that is done quickly, ends the parent while
the helper is still starting or answering. It used to print a
``BrokenPipeError`` traceback on the parent's stderr after a successful batch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import Story, new_id
from tests.support.paths import ROOT

BATCH = 200  # more than MIN_BATCH: its checks may go to the helper
WAIT_S = 120.0  # against hanging only
CLI = "from api.cli.main import main; main()"


def test_a_process_that_exits_while_its_helper_starts_prints_nothing_on_stderr() -> None:
    code = "from ledger.signatures.deferred import start_helper; start_helper()"  # and exit at once
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=WAIT_S
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_a_successful_batch_prints_its_entries_and_nothing_on_stderr(
    story: Story, db_url: str, tmp_path: Path
) -> None:
    batch = tmp_path / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as f:
        for n in range(BATCH):
            body = {"household_id": new_id(), "code": f"Q-{n}", "village": "Bản Huổi"}
            f.write(json.dumps(story.o.envelope("registrar", "household.registered", body)))
            f.write("\n")
    done = subprocess.run(
        [sys.executable, "-c", CLI, "submit", str(batch), "--db", db_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT_S,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert len(done.stdout.splitlines()) == BATCH
