"""Personal data on disk: readable by its owner only, whatever the umask.

The attack: ``ansinh export --with-vault`` wrote 4,836 national ids into
files any user of the machine could read (0644). A bundle with the vault,
and a payroll with names, are now written as key files are: files 0600,
directories 0700. A public bundle (no personal data, meant to be
published) keeps the usual modes.
"""

from __future__ import annotations

import os
import stat
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.formats.vault import VaultKey
from ledger.storage.private_files import open_private, private_dir
from tests.api.cli.test_bundle_cli import TAM, Cli, person
from tests.conftest import Officers, Story


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """A permissive umask, as many machines have (022) or worse (000), for the test."""
    before = os.umask(request.param)
    yield request.param
    os.umask(before)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, officers: Officers, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("ANSINH_DB", "ANSINH_VAULT_KEY", "ANSINH_VAULT_KEY_FILE", "ANSINH_NOTARY_KEY"):
        monkeypatch.delenv(name, raising=False)
    return Cli(db_url, tmp_path, officers)


@pytest.fixture
def registered(story: Story) -> None:
    hid, _, _ = story.beneficiary()
    person(story, hid, TAM)


def test_an_export_with_the_vault_is_for_its_owner_only_whatever_the_umask(
    registered: None, cli: Cli, umask: int
) -> None:
    bundle = cli.export(
        "private", "--with-vault", "--vault-key", cli.vault_key, "--notary-key", cli.keys["notary"]
    )
    assert TAM["national_id"] in (bundle / "vault.jsonl").read_text()  # personal data, here
    assert mode(bundle) == 0o700
    names = sorted(p.name for p in bundle.iterdir())
    assert names == ["checkpoint", "entries.jsonl", "vault.jsonl"]
    assert {name: mode(bundle / name) for name in names} == dict.fromkeys(names, 0o600)

    tar = cli.export("private.tar", "--with-vault", "--vault-key", cli.vault_key)
    assert mode(tar) == 0o600
    with tarfile.open(tar) as t:
        assert {m.name: m.mode for m in t.getmembers()} == dict.fromkeys(names, 0o600)


def test_an_export_into_an_existing_empty_directory_closes_it_first(
    registered: None, cli: Cli, umask: int
) -> None:
    (cli.dir / "given").mkdir(mode=0o755)
    os.chmod(cli.dir / "given", 0o755)
    bundle = cli.export(
        "given", "--with-vault", "--vault-key", cli.vault_key, "--notary-key", cli.keys["notary"]
    )
    assert mode(bundle) == 0o700 and mode(bundle / "vault.jsonl") == 0o600


def test_a_public_export_keeps_the_usual_modes(registered: None, cli: Cli) -> None:
    before = os.umask(0o022)
    try:
        bundle = cli.export("public", "--notary-key", cli.keys["notary"])
    finally:
        os.umask(before)
    assert mode(bundle) == 0o755 and mode(bundle / "entries.jsonl") == 0o644


def test_a_payroll_with_names_is_written_for_its_owner_only(
    story: Story, db_url: str, tmp_path: Path, umask: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANSINH_VAULT_KEY", raising=False)
    story.beneficiary()
    key = tmp_path / "vault.key"
    VaultKey.write(key, b"\x07" * 32)  # the `app` fixture's vault key
    common = ["report", "payroll", "--month", "2022-01", "--format", "csv", "--db", db_url]
    named, masked = tmp_path / "named.csv", tmp_path / "masked.csv"
    for args in (
        [*common, "--vault-key", str(key), "--out", str(named)],
        [*common, "--out", str(masked)],
    ):
        result = CliRunner().invoke(cli_app, args)
        assert result.exit_code == 0, result.output
    assert "Lò Thị Xuân" in named.read_text()
    assert mode(named) == 0o600
    assert mode(masked) == 0o666 & ~umask  # no names: as any file


def test_an_existing_file_is_closed_before_personal_data_is_written(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_text("")
    os.chmod(path, 0o666)
    with open_private(path, "w") as f:
        assert mode(path) == 0o600  # before the first byte
        f.write("Lò Thị Xuân")
    folder = tmp_path / "old"
    folder.mkdir()
    os.chmod(folder, 0o777)
    assert mode(private_dir(folder)) == 0o700
