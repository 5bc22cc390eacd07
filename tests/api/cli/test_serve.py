"""``ansinh serve``: a process that serves one ledger, or refuses to start and says why."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli
from api.client.remote import AnsinhClient
from api.service import GarbagePolicy, LedgerService
from ledger.application import LedgerApplication
from ledger.errors import NoCheckpoint
from ledger.formats.keys import KeyPair, write_key_file
from ledger.formats.notes import open_checkpoint
from ledger.formats.vault import VaultKey
from tests.conftest import LEDGER_ID, Officers, Story
from tests.support.paths import ROOT

runner = CliRunner()
MAX_BANNER_LINES = 20


@dataclass
class Served:
    url: str
    banner: list[str]
    process: subprocess.Popen[str]

    def stop(self) -> tuple[int, str]:
        """Ctrl-C, as an operator would; the exit code and everything on stderr."""
        self.process.send_signal(signal.SIGINT)
        _, stderr = self.process.communicate(timeout=60)
        return self.process.returncode, stderr


def key_files(tmp_path: Path, officers: Officers, vault_key: VaultKey) -> tuple[Path, Path]:
    notary = tmp_path / "notary.key"
    write_key_file(notary, officers.keys["notary"])
    vault = tmp_path / "vault.key"
    VaultKey.write(vault, b"\x07" * 32)
    assert VaultKey.load(vault).fingerprint == vault_key.fingerprint
    return notary, vault


@pytest.fixture
def served(
    story: Story, db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey
) -> Iterator[Served]:
    """``ansinh serve --port 0`` over the story's ledger, in its own process."""
    with serving(db_url, tmp_path, officers, vault_key) as running:
        yield running


@contextmanager
def serving(
    db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey, *flags: str
) -> Iterator[Served]:
    """``ansinh serve --port 0 [flags]`` over the ledger at ``db_url``, while the block runs."""
    notary, vault = key_files(tmp_path, officers, vault_key)
    args = [
        *("serve", "--db", db_url, "--port", "0"),
        *("--notary-key", str(notary), "--vault-key", str(vault), "--checkpoint-every", "0.2"),
        *flags,
    ]
    process = subprocess.Popen(
        [sys.executable, "-c", "from api.cli.main import main; main()", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    banner: list[str] = []
    for _ in range(MAX_BANNER_LINES):
        line = process.stdout.readline()
        if not line or line.startswith("Ctrl-C"):
            break
        banner.append(line.rstrip("\n"))
    urls = [word for line in banner for word in line.split() if word.startswith("http://")]
    if not urls:
        process.kill()
        pytest.fail(f"serve did not start: {banner} {process.communicate()[1]}")
    try:
        yield Served(urls[0].rstrip("/"), banner, process)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def one_line(text: str) -> str:
    """Console output with its wrapping undone."""
    return " ".join(text.split())


def test_serve_prints_where_to_open_and_answers_there(served: Served, story: Story) -> None:
    assert served.banner[0].startswith(f"serving {LEDGER_ID} (UBND xã Chiềng En): 5 entries")
    pages = [line.split()[0] for line in served.banner[1:]]
    paths = ("/", "/lists", "/checkpoints", "/officer", "/docs")
    assert pages == [served.url + path for path in paths]
    with AnsinhClient(served.url) as client:
        assert client.health()["log_size"] == story.app.size() == 5
        docs = client.request("GET", "/docs")
        console = client.request("GET", "/officer")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert console.status_code == 200 and 'type="module"' in console.text


def test_serve_signs_checkpoints_and_logs_each_request_as_a_json_line(
    served: Served, officers: Officers
) -> None:
    with AnsinhClient(served.url) as client:
        note = client.checkpoint()
    notary = officers.keys["notary"].public_key
    assert open_checkpoint(note, LEDGER_ID, notary, origin=LEDGER_ID).size == 5
    code, stderr = served.stop()
    assert code == 0
    requests = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    fetched = [r for r in requests if r["path"] == "/v1/log/checkpoint"]
    assert len(fetched) == 1 and fetched[0]["status"] == 200 and fetched[0]["method"] == "GET"


def test_serve_refuses_a_database_that_holds_no_ledger(db_url: str) -> None:
    LedgerApplication(db_url).close()  # the tables, and no ledger in them
    refused = runner.invoke(cli, ["serve", "--db", db_url])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("NOT_OPENED: no ledger here yet")


def test_serve_refuses_a_file_that_does_not_exist_and_does_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    refused = runner.invoke(cli, ["serve", "--db", str(missing)])
    assert refused.exit_code == 1
    assert one_line(refused.stderr).startswith(f"INVALID_FIELD: db: {missing}: no such file")
    assert not missing.exists()


def test_serve_refuses_a_notary_key_this_ledger_was_not_opened_with(
    story: Story, db_url: str, tmp_path: Path
) -> None:
    other = tmp_path / "other-notary.key"
    write_key_file(other, KeyPair.from_seed(b"\x66" * 32))
    refused = runner.invoke(cli, ["serve", "--db", db_url, "--notary-key", str(other)])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("WRONG_NOTARY_KEY: notary_key:")


def test_serve_refuses_a_port_already_taken(story: Story, db_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = runner.invoke(cli, ["serve", "--db", db_url, "--port", str(port)])
    assert refused.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in one_line(refused.stderr)


class _CountingPolicy(GarbagePolicy):
    """The server's collector policy, counting its ticks instead of freezing anything."""

    def __init__(self, tick_every_s: float) -> None:
        super().__init__(tick_every_s=tick_every_s)
        self.ticks = 0
        self.ticked = threading.Event()

    def tick(self) -> None:
        self.ticks += 1
        self.ticked.set()


@contextmanager
def _running_service(
    story: Story, db_url: str, vault_key: VaultKey, checkpoint_every_s: float, tick_every_s: float
) -> Iterator[tuple[LedgerService, _CountingPolicy]]:
    """A started service over the story's ledger, its collector policy counting ticks."""
    service = LedgerService(
        db_url,
        vault_key=vault_key,
        notary=story.o.keys["notary"],
        checkpoint_every_s=checkpoint_every_s,
    )
    policy = _CountingPolicy(tick_every_s)
    service.gc_policy = policy
    service.start()
    try:
        yield service, policy
    finally:
        service.close()
        service.ledger.close()


def test_the_collector_is_tended_on_its_own_beat_when_checkpoints_are_rare(
    story: Story, db_url: str, vault_key: VaultKey
) -> None:
    with _running_service(story, db_url, vault_key, 3600, tick_every_s=0.02) as (service, policy):
        assert policy.ticked.wait(10), "the collector policy was never called"
        with pytest.raises(NoCheckpoint):
            service.mlog.latest()  # and no checkpoint was signed meanwhile


def test_checkpoints_keep_their_interval_when_the_collector_beats_faster(
    story: Story, db_url: str, vault_key: VaultKey
) -> None:
    with _running_service(story, db_url, vault_key, 0.3, tick_every_s=0.02) as (service, policy):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                signed = service.mlog.latest()
                break
            except NoCheckpoint:
                time.sleep(0.05)
        else:
            pytest.fail("no checkpoint was signed")
        assert signed.size == story.app.size()
        assert policy.ticks >= 2
