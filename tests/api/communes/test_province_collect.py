"""``ansinh province collect --server``: every commune of a province's server, in one command."""

from __future__ import annotations

import base64
import gc
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner, Result

from api.cli.main import app as cli_app
from api.http.communes import create_communes_app
from ledger.formats.keys import KeyPair, write_key_file
from tests.support.communes import Province
from tests.support.live import running


def _run(*args: object, code: int = 0) -> Result:
    result = CliRunner().invoke(cli_app, [str(a) for a in args])
    gc.collect()  # close a command's connections now
    assert result.exit_code == code, (args, result.output, result.exception)
    return result


@pytest.fixture
def server(province: Province) -> Iterator[str]:
    with running(create_communes_app(province.communes(checkpoint_every_s=0.2))) as url:
        for schema in province.schemas.values():  # each commune's first checkpoint signed
            deadline = time.monotonic() + 20
            while httpx.get(f"{url}/c/{schema}/v1/log/checkpoint").status_code != 200:
                assert time.monotonic() < deadline, f"no checkpoint of {schema}"
                time.sleep(0.1)
        yield url


@pytest.fixture
def db(tmp_path: Path) -> tuple[object, ...]:
    """A new province log (its --db and --key)."""
    key = tmp_path / "province.key"
    write_key_file(key, KeyPair.from_seed(b"\x55" * 32))
    found = ("--db", tmp_path / "province.db", "--key", key)
    _run("province", "init", *found, "--origin", "ansinh.vn/thu")
    return found


def test_collect_from_a_server_of_many_logs_each_communes_checkpoint(
    server: str, province: Province, db: tuple[object, ...]
) -> None:
    for story in province.stories.values():
        vkey = base64.b64encode(story.o.keys["notary"].public_key).decode()
        _run("province", "add-commune", *db, "--origin", story.o.ledger_id, "--notary-vkey", vkey)
    out = _run("province", "collect", *db, "--server", server).output
    for story in province.stories.values():
        assert f"logged {story.o.ledger_id} {story.app.size()}" in out
    assert "province log: 4 entries, signed size 4" in out  # two communes followed, two logged


def test_collect_refuses_a_server_that_serves_one_commune_or_none(
    server: str, province: Province, db: tuple[object, ...]
) -> None:
    one = f"{server}/c/{province.schemas['a']}"
    refused = _run("province", "collect", *db, "--server", one, code=1)
    said = " ".join(refused.stderr.split())
    assert said.startswith(f"INVALID_FIELD: server: {one} is no server of many communes")
