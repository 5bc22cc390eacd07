"""`ansinh witness cosign --url A --url B`: one run over several servers, each on its own."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from api.cli.main import app as cli
from api.client.remote import AnsinhClient
from ledger.formats.keys import write_key_file
from ledger.tlog.policy import evaluate, parse_policy
from ledger.tlog.witness import verifier_key
from tests.api.client.server import closed_port
from tests.conftest import LEDGER_ID, Officers

runner = CliRunner()


def test_a_server_that_does_not_answer_does_not_stop_the_others(
    url: str, officers: Officers, tmp_path: Path
) -> None:
    key = tmp_path / "witness.key"
    write_key_file(key, officers.keys["inspector"])  # a registered inspector may cosign
    gone = f"http://127.0.0.1:{closed_port()}"
    args = ["witness", "cosign", "--key", str(key), "--name", "thanh-tra-tinh"]
    done = runner.invoke(cli, [*args, "--state", str(tmp_path / "s"), "--url", gone, "--url", url])
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"FAILED {gone}: UNREACHABLE: "), lines
    assert lines[1].startswith(f"OK {LEDGER_ID}: cosigned checkpoint of size "), lines
    assert lines[2] == "1 of 2 logs cosigned"
    assert [p.name for p in (tmp_path / "s").iterdir()] == [
        "ansinh.vn%2Fson-la%2Fsong-ma%2Fchieng-en"
    ]
    # the policy's log line, read from the server, and the cosignature meet a policy
    log = runner.invoke(cli, ["witness", "log-key", "--url", url]).stdout
    vkey = verifier_key("thanh-tra-tinh", officers.keys["inspector"])
    policy = parse_policy(f"{log}witness tinh {vkey}\nquorum tinh\n")
    with AnsinhClient(url) as client:
        assert evaluate(policy, client.checkpoint()).satisfied
