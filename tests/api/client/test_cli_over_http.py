"""`ansinh submit --url` and `ansinh witness cosign --url`: the command line via the client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli
from api.client.remote import AnsinhClient, HttpLogSource
from ledger.formats.keys import KeyPair, write_key_file
from ledger.tlog.witness import WitnessRefused, cosign_latest
from tests.api.client.server import client_of, closed_port, household_body
from tests.conftest import LEDGER_ID, Officers, Story

runner = CliRunner()


def write_lines(path: Path, *docs: dict[str, Any] | None) -> Path:
    """JSON lines; None leaves a blank line (it keeps its number)."""
    path.write_text("".join("\n" if d is None else json.dumps(d) + "\n" for d in docs))
    return path


def test_ansinh_submit_url_sends_a_file_to_the_server(
    url: str, story: Story, officers: Officers, tmp_path: Path
) -> None:
    one = tmp_path / "one.json"
    one.write_text(
        json.dumps(
            officers.envelope("registrar", "household.registered", household_body()), indent=2
        )
    )
    done = runner.invoke(cli, ["submit", str(one), "--url", url])
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["created"] is True and answer["index"] == story.app.size() - 1

    size = story.app.size()
    stranger = Officers()
    stranger.keys["registrar"] = KeyPair.from_seed(b"\x42" * 32)
    batch = write_lines(
        tmp_path / "batch.jsonl",
        officers.envelope("registrar", "household.registered", household_body()),
        None,
        stranger.envelope("registrar", "household.registered", household_body()),
    )
    refused = runner.invoke(cli, ["submit", str(batch), "--url", url])
    assert refused.exit_code == 1
    assert refused.stderr.startswith("UNKNOWN_KEY: line 3:")
    assert story.app.size() == size


def one_household(tmp_path: Path, officers: Officers) -> Path:
    """A file holding one signed household, as an officer would submit it."""
    path = tmp_path / "one.json"
    envelope = officers.envelope("registrar", "household.registered", household_body())
    path.write_text(json.dumps(envelope))
    return path


def test_ansinh_submit_url_says_when_no_server_answers(officers: Officers, tmp_path: Path) -> None:
    path = one_household(tmp_path, officers)
    refused = runner.invoke(
        cli, ["submit", str(path), "--url", f"http://127.0.0.1:{closed_port()}"]
    )
    assert refused.exit_code == 1
    assert refused.stderr.startswith("UNREACHABLE: cannot reach")


def test_with_url_the_keys_the_server_holds_are_refused_rather_than_ignored(
    url: str, officers: Officers, tmp_path: Path
) -> None:
    path = one_household(tmp_path, officers)
    notary = tmp_path / "notary.key"
    write_key_file(notary, officers.keys["notary"])
    submitted = runner.invoke(cli, ["submit", str(path), "--url", url, "--notary-key", str(notary)])
    signed = runner.invoke(cli, ["checkpoint", "--url", url, "--notary-key", str(notary)])
    for refused in (submitted, signed):
        assert refused.exit_code == 1
        assert refused.stderr.startswith("INVALID_FIELD: url: the server")


def test_witness_cosign_url_cosigns_what_the_server_shows_and_it_keeps_the_line(
    url: str, officers: Officers, tmp_path: Path
) -> None:
    key = tmp_path / "witness.key"
    write_key_file(key, officers.keys["inspector"])  # a registered inspector may cosign
    args = [
        "witness",
        "cosign",
        "--key",
        str(key),
        "--state",
        str(tmp_path / "state"),
        "--name",
        "thanh-tra-huyen",
        "--url",
        url,
    ]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    with client_of(url, officers, "registrar") as client:
        assert "— thanh-tra-huyen " in client.checkpoint()
        client.sign_and_submit("household.registered", household_body())
        size = client.size()
    second = runner.invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert f"cosigned checkpoint of size {size} (extends {size - 1})" in second.stdout
    fetched = runner.invoke(cli, ["checkpoint", "--url", url])
    assert fetched.stdout.startswith(f"{LEDGER_ID}\n{size}\n")
    assert fetched.stdout.count("— thanh-tra-huyen ") == 1


def test_a_witness_refuses_a_server_showing_another_ledger(
    url: str, officers: Officers, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    pinned = {"origin": "ansinh.vn/ha-giang/meo-vac/pai-lung", "notary_key": "AAAA"}
    (state / "log.json").write_text(json.dumps(pinned))
    with AnsinhClient(url) as client, pytest.raises(WitnessRefused):
        cosign_latest(HttpLogSource(client), KeyPair.from_seed(b"\x33" * 32), "w", state)
    key = tmp_path / "witness.key"
    write_key_file(key, KeyPair.from_seed(b"\x33" * 32))
    refused = runner.invoke(
        cli, ["witness", "cosign", "--key", str(key), "--state", str(state), "--url", url]
    )
    assert refused.exit_code == 1 and refused.stderr.startswith("WITNESS_REFUSED:")
