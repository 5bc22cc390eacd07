"""`verify --policy` and one witness run over many logs (docs/formats.md section 12)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
from ledger.tlog.merkle_log import MerkleLog
from ledger.tlog.policy import note_vkey
from tests.api.cli.test_bundle_cli import Cli
from tests.api.cli.test_serve import serving
from tests.conftest import Officers, Story, scratch_schema

OTHER_LOG = "ansinh.vn/son-la/song-ma/nam-ty"


@pytest.fixture
def cli(db_url: str, tmp_path: Path, officers: Officers, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("ANSINH_DB", "ANSINH_KEY_PASSPHRASE", "ANSINH_VAULT_KEY", "ANSINH_NOTARY_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ANSINH_VAULT_KEY_FILE", raising=False)
    return Cli(db_url, tmp_path, officers)


def write_policy(cli: Cli, quorum: str = "ca-hai") -> Path:
    """Both the inspectorate (inspector) and an independent body (registrar2) must cosign."""
    log = cli.db("witness", "log-key").stdout
    lines = [log.strip()]
    for local, witness in (("thanh-tra-tinh", "inspector"), ("kiem-toan", "registrar2")):
        lines.append(f"witness {local} {cli.vkey(witness)}")
    lines += ["group ca-hai all thanh-tra-tinh kiem-toan", f"quorum {quorum}"]
    path = cli.dir / "policy.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_verify_with_a_policy_fails_until_its_quorum_has_cosigned(story: Story, cli: Cli) -> None:
    story.beneficiary()
    cli.checkpoint()
    policy = write_policy(cli)
    cli.cosign("inspector")
    failed = cli.db("verify", "--policy", policy, code=1)
    assert "FAILED POLICY_NOT_SATISFIED: policy NOT satisfied (quorum ca-hai: 1 of 2" in (
        failed.stderr
    )
    assert "cosigned by thanh-tra-tinh" in failed.stderr
    assert "missing: kiem-toan" in failed.stderr
    bundle = cli.export("one")
    assert "missing: kiem-toan" in cli("verify", bundle, "--policy", policy, code=1).stderr
    cli.cosign("registrar2", state="state2")
    ok = cli.db("verify", "--policy", policy).stdout
    assert "witnesses thanh-tra-tinh, kiem-toan" in ok
    assert "checked witness policy" in ok
    bundle = cli.export("both")
    assert "witnesses thanh-tra-tinh, kiem-toan" in cli("verify", bundle, "--policy", policy).stdout
    # --witness still works beside it
    assert cli("verify", bundle, "--witness", cli.vkey("inspector")).exit_code == 0


def test_an_evidence_file_is_held_to_the_policy_too(story: Story, cli: Cli) -> None:
    story.beneficiary()
    cli.checkpoint()
    policy = write_policy(cli)
    cli.cosign("inspector")
    evidence = cli.dir / "evidence.json"
    cli.db("export", "evidence", "--index", 3, "--out", evidence)
    failed = cli("verify", evidence, "--policy", policy, code=1)
    assert (
        "FAILED POLICY_NOT_SATISFIED: " in failed.stderr and "missing: kiem-toan" in failed.stderr
    )
    cli.cosign("registrar2", state="state2")
    evidence = cli.dir / "evidence-2.json"
    cli.db("export", "evidence", "--index", 3, "--out", evidence)
    ok = cli("verify", evidence, "--policy", policy).stdout
    assert "witnesses thanh-tra-tinh, kiem-toan" in ok and "witness policy: quorum ca-hai met" in ok


def test_verify_refuses_a_bad_policy_naming_its_code_and_line(story: Story, cli: Cli) -> None:
    story.beneficiary()
    cli.checkpoint()
    policy = cli.dir / "bad.txt"
    policy.write_text(f"{cli.db('witness', 'log-key').stdout}witness a\nquorum a\n")
    failed = cli.db("verify", "--policy", policy, code=1)
    assert failed.stderr.startswith("FAILED POLICY_SYNTAX: "), failed.stderr
    assert "line 2: expected: witness <name> <vkey> [<url>]" in failed.stderr


def test_a_policy_for_another_log_is_not_satisfied(
    story: Story, cli: Cli, officers: Officers
) -> None:
    story.beneficiary()
    cli.checkpoint()
    cli.cosign("inspector")
    policy = cli.dir / "other.txt"
    other = note_vkey(OTHER_LOG, officers.keys["notary"].public_key)
    policy.write_text(f"log {other}\nwitness t {cli.vkey('inspector')}\nquorum t\n")
    failed = cli.db("verify", "--policy", policy, code=1)
    assert "not signed by a log of the policy" in failed.stderr, failed.stderr
    mine = cli.db("witness", "log-key").stdout
    policy.write_text(f"{mine}witness t {cli.vkey('inspector')}\nquorum t\n")
    assert cli.db("verify", "--policy", policy).exit_code == 0


@pytest.fixture
def second_log(db_url: str, tmp_path: Path) -> Iterator[str]:
    """Another commune's ledger (another origin) on the same backend, with a checkpoint."""
    if db_url.startswith("postgresql://"):
        with scratch_schema() as url:
            yield _opened(url)
        return
    yield _opened(str(tmp_path / "nam-ty.db"))


def _opened(url: str) -> str:
    officers = Officers(OTHER_LOG)
    other = LedgerApplication(url, vault_key=VaultKey(b"\x07" * 32))
    try:
        other.submit(officers.opened())
        other.submit(officers.register("registrar"))
        Story(other, officers).household()
        MerkleLog(other).issue(officers.keys["notary"])
    finally:
        other.close()
    return url


def test_one_witness_run_cosigns_two_logs_each_with_its_own_state(
    story: Story, cli: Cli, second_log: str
) -> None:
    story.beneficiary()
    cli.checkpoint()
    config = cli.dir / "logs.txt"
    config.write_text(f"# the province's communes\n{cli.db_url}\n{second_log}  # Nậm Ty\n")
    args = ("witness", "cosign", "--key", cli.keys["inspector"], "--name", "thanh-tra-tinh")
    done = cli(*args, "--state", cli.dir / "many", "--config", config).stdout.splitlines()
    assert (
        done[0]
        == "OK ansinh.vn/son-la/song-ma/chieng-en: cosigned checkpoint of size 10 as thanh-tra-tinh"
    )
    assert done[1] == f"OK {OTHER_LOG}: cosigned checkpoint of size 3 as thanh-tra-tinh"
    assert done[2] == "2 of 2 logs cosigned"
    states = sorted(p.name for p in (cli.dir / "many").iterdir())
    assert states == [
        "ansinh.vn%2Fson-la%2Fsong-ma%2Fchieng-en",
        "ansinh.vn%2Fson-la%2Fsong-ma%2Fnam-ty",
    ]
    note = MerkleLog(story.app).latest().note
    assert "\n— thanh-tra-tinh " in note
    story.household()
    cli.checkpoint()
    again = cli(*args, "--state", cli.dir / "many", "--config", config).stdout
    assert "cosigned checkpoint of size 11 (extends 10)" in again


def test_a_log_that_fails_does_not_stop_the_others_and_the_exit_status_says_so(
    story: Story, cli: Cli, second_log: str
) -> None:
    story.beneficiary()
    cli.checkpoint()
    config = cli.dir / "logs.txt"
    missing = cli.dir / "no-such-ledger.db"
    config.write_text(f"{missing}\n{second_log}\n")
    args = ("witness", "cosign", "--key", cli.keys["inspector"], "--name", "thanh-tra-tinh")
    done = cli(*args, "--state", cli.dir / "many", "--config", config, code=1).stdout
    lines = done.splitlines()
    assert lines[0].startswith(f"FAILED {missing}: "), lines
    assert lines[1] == f"OK {OTHER_LOG}: cosigned checkpoint of size 3 as thanh-tra-tinh"
    assert lines[2] == "1 of 2 logs cosigned"


def test_serve_refuses_a_bad_policy_naming_its_code_and_line(story: Story, cli: Cli) -> None:
    policy = cli.dir / "bad.txt"
    policy.write_text(f"{cli.db('witness', 'log-key').stdout}quorum nobody\n")
    refused = cli.db("serve", "--policy", policy, code=1)
    assert refused.stderr.startswith("POLICY_UNKNOWN_NAME: line 2: 'nobody' is not a witness")


def test_serve_with_a_policy_reports_it_over_http(
    story: Story, cli: Cli, db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey
) -> None:
    story.beneficiary()
    cli.checkpoint()
    cli.cosign("inspector")
    policy = write_policy(cli, quorum="thanh-tra-tinh")
    where = tmp_path / "server"
    where.mkdir()
    with serving(db_url, where, officers, vault_key, "--policy", str(policy)) as served:
        status = httpx.get(served.url + "/v1/log/policy", timeout=30).json()
        page = httpx.get(served.url + "/checkpoints", timeout=30).text
        _, stderr = served.stop()
    assert "names no log key" not in stderr
    assert status["checkpoint"]["satisfied"] is True, status
    assert status["checkpoint"]["signed"] == ["thanh-tra-tinh"]
    assert "đã được 1/2 bên chứng kiến ký xác nhận (thanh-tra-tinh): đủ theo quy định" in page


def test_serve_warns_of_a_policy_for_another_ledger(
    story: Story, cli: Cli, db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey
) -> None:
    policy = cli.dir / "other.txt"
    other = note_vkey(OTHER_LOG, officers.keys["notary"].public_key)
    policy.write_text(f"log {other}\nquorum none\n")
    where = tmp_path / "server"
    where.mkdir()
    with serving(db_url, where, officers, vault_key, "--policy", str(policy)) as served:
        status = httpx.get(served.url + "/v1/log/policy", timeout=30).json()
        _, stderr = served.stop()
    assert "note: the --policy names no log key of this ledger: never met" in stderr
    assert status["checkpoint"]["satisfied"] is False
