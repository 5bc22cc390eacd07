"""``ansinh verify --authority``: the key id as the tool prints it pins the authority; no pin
is said loudly.

Everything ``verify`` checks is signed, in the end, by the key that opened
the ledger: whoever made a ledger of their own passes every check. Only the
authority the inspector expects ties the ledger to the commune.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.cli.test_bundle_cli import Cli
from tests.conftest import Officers, Story


@pytest.fixture
def cli(db_url: str, tmp_path: Path, officers: Officers, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("ANSINH_DB", "ANSINH_KEY_PASSPHRASE", "ANSINH_VAULT_KEY", "ANSINH_NOTARY_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ANSINH_VAULT_KEY_FILE", raising=False)
    return Cli(db_url, tmp_path, officers)


@pytest.fixture
def bundle(story: Story, cli: Cli) -> Path:
    story.beneficiary()
    return cli.export("bundle", "--notary-key", cli.keys["notary"])


def test_verify_pins_the_authority_by_the_short_id_it_prints_itself(
    story: Story, cli: Cli, bundle: Path
) -> None:
    printed = cli("verify", bundle).stdout.split("authority ")[1][:16]  # as `verify` shows it
    assert printed == story.o.keys["authority"].key_id[:16]
    for given in (printed, printed.upper(), story.o.keys["authority"].key_id[:40]):
        assert cli("verify", bundle, "--authority", given).stdout.startswith("OK 10 entries")
        assert cli.db("verify", "--authority", given).stdout.startswith("OK 10 entries")


def test_verify_refuses_a_short_id_of_another_key(story: Story, cli: Cli, bundle: Path) -> None:
    impostor = story.o.keys["registrar"].key_id[:16]
    failed = cli("verify", bundle, "--authority", impostor, code=1)
    assert failed.stderr.startswith("FAILED entry 0: opened by key ")
    assert f"not the authority {impostor}" in failed.stderr
    # The authority's own id with one digit changed at its end is another key too.
    full = story.o.keys["authority"].key_id
    changed = full[:-1] + ("0" if full[-1] != "0" else "1")
    assert cli("verify", bundle, "--authority", changed, code=1).stderr.startswith("FAILED entry 0")


@pytest.mark.parametrize("given", ["0123456789abcde", "", "zz" * 8, "0" * 65])
def test_verify_asks_for_at_least_16_hex_of_the_authority_key_id(
    cli: Cli, bundle: Path, given: str
) -> None:
    refused = cli("verify", bundle, "--authority", given, code=2)
    assert "give at least 16 hex of the authority key id" in " ".join(refused.stderr.split())


def test_verify_without_the_authority_warns_that_it_was_not_pinned_and_names_it(
    story: Story, cli: Cli, bundle: Path
) -> None:
    authority = story.o.keys["authority"].key_id
    for verified in (cli("verify", bundle), cli.db("verify")):
        assert verified.stdout.startswith("OK 10 entries")
        assert f"authority {authority[:16]} (NOT PINNED)" in verified.stdout
        warning = " ".join(verified.stderr.split())
        assert warning.startswith("WARNING: the authority key was not pinned")
        assert f"opened by authority key {authority}" in warning
    pinned = cli("verify", bundle, "--authority", authority)
    assert "WARNING" not in pinned.stderr and "NOT PINNED" not in pinned.stdout


def test_verify_refuses_a_bundle_that_does_not_exist_as_a_usage_mistake(
    cli: Cli, tmp_path: Path
) -> None:
    refused = cli("verify", tmp_path / "nowhere.tar", code=2)
    assert "nowhere.tar" in " ".join(refused.stderr.split())
