"""`ansinh province ...` and `ansinh verify --province` (docs/formats.md §13)."""

from __future__ import annotations

import base64
import gc
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli.main import app as cli_app
from ledger.formats.keys import KeyPair, write_key_file
from ledger.province.entries import canonical
from tests.conftest import Officers
from tests.ledger.province.conftest import PROVINCE, PROVINCE_KEY, Commune, province_db

__all__ = ["province_db"]


def _run(*args: object, code: int = 0) -> Result:
    result = CliRunner().invoke(cli_app, [str(a) for a in args])
    gc.collect()  # close a command's PostgreSQL connections now
    assert result.exit_code == code, (args, result.output, result.exception)
    return result


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ANSINH_DB", "ANSINH_PROVINCE_DB", "ANSINH_KEY_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)


def test_province_commands_log_checkpoints_refuse_a_rebuilt_commune_and_verify(
    province_db: str, tmp_path: Path
) -> None:
    key = tmp_path / "province.key"
    write_key_file(key, PROVINCE_KEY)
    commune_db = str(tmp_path / "chieng-en.db")
    commune = Commune(commune_db, Officers("ansinh.vn/son-la/song-ma/chieng-en"))
    db = ("--db", province_db, "--key", key)
    try:
        _run("province", "init", *db, "--origin", PROVINCE)
        vkey = base64.b64encode(commune.notary_key).decode()
        _run("province", "add-commune", *db, "--origin", commune.origin, "--notary-vkey", vkey)
        first = commune.grow(1)
        out = _run("province", "collect", *db, "--commune-db", commune_db).output
        assert f"logged {commune.origin} 3" in out
        later = commune.grow(2)
        out = _run("province", "collect", *db, "--commune-db", commune_db).output
        assert f"logged {commune.origin} 5" in out and "signed size 3" in out
    finally:
        commune.app.close()
    rebuilt_db = str(tmp_path / "rebuilt.db")
    rebuilt = Commune(rebuilt_db, Officers(commune.origin))
    try:
        rebuilt.grow(6)
    finally:
        rebuilt.app.close()
    refused = _run("province", "collect", *db, "--commune-db", rebuilt_db, code=1)
    assert f"REFUSED commune {commune.origin}: the tree of size 8 is not consistent" in (
        refused.stderr
    )
    bundle = tmp_path / "bundle"
    _run("province", "export", bundle, "--db", province_db)
    first_file, later_file = tmp_path / "first.cp", tmp_path / "later.cp"
    first_file.write_text(first)
    later_file.write_text(later)
    held = ("--checkpoint", first_file, "--checkpoint", later_file)
    ok = _run("verify", "--province", bundle, *held)
    assert ok.output.startswith(f"OK province {PROVINCE}: 3 entries")
    assert f"checkpoint held: {commune.origin} 5 is in the province log" in ok.output
    pinned = ("--province-key", PROVINCE_KEY.public_key_b64)
    assert _run("verify", "--province", bundle, *pinned).output.startswith("OK province")
    other = KeyPair.from_seed(b"\x56" * 32).public_key_b64
    refused = _run("verify", "--province", bundle, "--province-key", other, code=1)
    said = " ".join(refused.stderr.split())
    assert said == f"FAILED province key: the bundle names {PROVINCE_KEY.public_key_b64}, " + (
        f"not the key given {other}"
    )
    lines = (bundle / "entries.jsonl").read_bytes().split(b"\n")
    entry = json.loads(lines[2])
    entry["previous_size"] = 2
    lines[2] = canonical(entry)
    (bundle / "entries.jsonl").write_bytes(b"\n".join(lines))
    failed = _run("verify", "--province", bundle, code=1)
    assert f"FAILED entry 2: commune {commune.origin}: previous_size 2" in failed.stderr
