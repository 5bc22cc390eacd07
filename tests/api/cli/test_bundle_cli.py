"""`ansinh export`, `verify` and `witness`: what a bundle holds, and who vouches for it."""

from __future__ import annotations

import base64
import gc
import hashlib
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from click.testing import Result
from nacl.signing import SigningKey
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.application import LedgerApplication
from ledger.formats.keys import write_key_file
from ledger.formats.notes import sign_checkpoint
from ledger.formats.vault import VaultKey, VaultRecord
from ledger.tlog.merkle_log import MerkleLog
from tests.conftest import LEDGER_ID, Officers, Story, new_id, scratch_schema

TAM = {"full_name": "Quàng Văn Tám", "national_id": "038192000417", "phone": "0912345678"}
TAM_MOVED = {**TAM, "phone": "0987654321", "address": "Bản Nà Hát"}


class Cli:
    """`ansinh` in-process against the test's database, with the officers' key files."""

    def __init__(self, db_url: str, directory: Path, officers: Officers) -> None:
        self.db_url = db_url
        self.dir = directory
        self.keys: dict[str, Path] = {}
        for name in ("notary", "inspector", "registrar2"):
            self.keys[name] = directory / f"{name}.key"
            write_key_file(self.keys[name], officers.keys[name])
        self.vault_key = directory / "vault.key"
        VaultKey.write(self.vault_key, b"\x07" * 32)  # the `app` fixture's vault key

    def __call__(self, *args: object, code: int = 0) -> Result:
        result = CliRunner().invoke(cli_app, [str(a) for a in args])
        if self.db_url.startswith("postgresql://"):
            gc.collect()  # close the command's connection pool now
        assert result.exit_code == code, (args, result.stdout, result.stderr, result.exception)
        return result

    def db(self, *args: object, code: int = 0) -> Result:
        return self(*args, "--db", self.db_url, code=code)

    def export(self, name: str, *args: object, code: int = 0) -> Path:
        self.db("export", self.dir / name, *args, code=code)
        return self.dir / name

    def checkpoint(self) -> str:
        return self.db("checkpoint", "--notary-key", self.keys["notary"]).stdout

    def cosign(self, witness: str = "inspector", state: str = "state", code: int = 0) -> Result:
        return self.db(
            "witness",
            "cosign",
            "--key",
            self.keys[witness],
            "--name",
            f"witness/{witness}",
            "--state",
            self.dir / state,
            code=code,
        )

    def vkey(self, witness: str) -> str:
        out = self("witness", "vkey", "--key", self.keys[witness], "--name", f"witness/{witness}")
        return out.stdout.strip()


@pytest.fixture
def cli(db_url: str, tmp_path: Path, officers: Officers, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("ANSINH_DB", "ANSINH_KEY_PASSPHRASE", "ANSINH_VAULT_KEY", "ANSINH_NOTARY_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ANSINH_VAULT_KEY_FILE", raising=False)
    return Cli(db_url, tmp_path, officers)


def person(story: Story, household_id: str, record: dict[str, Any]) -> str:
    pid = new_id()
    vault = VaultRecord.new(pid, record)
    body = {"person_id": pid, "household_id": household_id, "relation": "member", "sex": "m"}
    body |= {"birth_year": 1971, "pii": vault.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(vault,)))
    return pid


def update_pii(story: Story, person_id: str, record: dict[str, Any]) -> None:
    vault = VaultRecord.new(person_id, record)
    body = {"person_id": person_id, "pii": vault.commitment}
    story.submit(story.o.sub("registrar", "person.pii.updated", body, vault=(vault,)))


def statements(bundle: Path) -> list[dict[str, Any]]:
    lines = (bundle / "entries.jsonl").read_bytes().splitlines()
    return [json.loads(base64.b64decode(json.loads(x)["envelope"]["payload"])) for x in lines]


def test_export_without_vault_holds_no_personal_data(story: Story, cli: Cli) -> None:
    hid, _, _ = story.beneficiary()
    person(story, hid, TAM)
    bundle = cli.export("public", "--notary-key", cli.keys["notary"])
    tar = cli.export("public.tar")
    assert sorted(p.name for p in bundle.iterdir()) == ["checkpoint", "entries.jsonl"]
    with tarfile.open(tar) as t:
        assert sorted(t.getnames()) == ["checkpoint", "entries.jsonl"]
    secrets = [TAM["national_id"].encode(), TAM["full_name"].encode(), TAM["phone"].encode()]
    for blob in [*(p.read_bytes() for p in bundle.iterdir()), tar.read_bytes()]:
        assert not [s for s in secrets if s in blob]
    # The same search finds them where they are meant to be: in an authorised bundle.
    private = cli.export("private", "--with-vault", "--vault-key", cli.vault_key)
    assert all(s in (private / "vault.jsonl").read_bytes() for s in secrets)


def test_export_with_vault_holds_each_persons_latest_record_and_verify_checks_them(
    story: Story, cli: Cli
) -> None:
    hid, first, _ = story.beneficiary()
    tam = person(story, hid, TAM)
    update_pii(story, tam, TAM_MOVED)
    MerkleLog(story.app).issue(story.o.keys["notary"])
    bundle = cli.export("private", "--with-vault", "--vault-key", cli.vault_key)
    latest = {
        s["body"]["person_id"]: s["body"]["pii"]
        for s in statements(bundle)
        if s["type"] in ("person.registered", "person.pii.updated")
    }
    vault = [json.loads(line) for line in (bundle / "vault.jsonl").read_text().splitlines()]
    assert sorted(v["person_id"] for v in vault) == sorted([first, tam])
    for item in vault:
        salt = base64.b64decode(item["salt"])
        digest = hashlib.sha256(b"ansinh/pii/v1\n" + salt + rfc8785.dumps(item["record"]))
        assert digest.hexdigest() == latest[item["person_id"]]
    assert next(v["record"] for v in vault if v["person_id"] == tam) == TAM_MOVED
    assert "2 vault records" in cli("verify", bundle).stdout

    lines = (bundle / "vault.jsonl").read_text().splitlines()
    forged = [json.loads(x) for x in lines]
    for item in forged:
        if item["person_id"] == tam:
            item["record"]["national_id"] = "038192000418"
    (bundle / "vault.jsonl").write_text("".join(json.dumps(x) + "\n" for x in forged))
    failed = cli("verify", bundle, code=1)
    assert f"vault record of {tam} does not match its latest commitment" in failed.stderr


def test_export_as_of_n_writes_n_entries_with_a_checkpoint_of_size_n(
    story: Story, cli: Cli
) -> None:
    story.beneficiary()
    full = cli.export("full", "--notary-key", cli.keys["notary"])
    assert story.app.size() == 10
    refused = cli.db("export", cli.dir / "seven", "--as-of", 7, code=1)
    assert refused.stderr.startswith("NO_CHECKPOINT: no checkpoint was issued at size 7")
    assert not (cli.dir / "seven").exists() or not any((cli.dir / "seven").iterdir())
    seven = cli.export("seven-signed", "--as-of", 7, "--notary-key", cli.keys["notary"])
    lines = (seven / "entries.jsonl").read_bytes().splitlines(keepends=True)
    assert lines == (full / "entries.jsonl").read_bytes().splitlines(keepends=True)[:7]
    assert (seven / "checkpoint").read_text().split("\n")[:2] == [LEDGER_ID, "7"]
    verified = cli("verify", seven).stdout
    assert "OK 7 entries" in verified and "checkpoint 7" in verified
    again = cli.export("seven-again", "--as-of", 7)  # now a checkpoint of size 7 exists
    assert (again / "checkpoint").read_text() == (seven / "checkpoint").read_text()


def test_verify_with_a_wrong_authority_exits_1(story: Story, cli: Cli) -> None:
    story.beneficiary()
    bundle = cli.export("bundle", "--notary-key", cli.keys["notary"])
    impostor = story.o.keys["registrar"].key_id
    failed = cli("verify", bundle, "--authority", impostor, code=1)
    assert failed.stderr.startswith("FAILED entry 0: opened by key"), failed.stderr
    assert f"not the authority {impostor[:16]}" in failed.stderr
    assert cli.db("verify", "--authority", impostor, code=1).stderr.startswith("FAILED entry 0")
    authority = story.o.keys["authority"].key_id
    assert cli("verify", bundle, "--authority", authority).stdout.startswith("OK 10 entries")


def test_a_witness_cosigns_checkpoints_that_extend_each_other_and_verify_requires_it(
    story: Story, cli: Cli
) -> None:
    story.beneficiary()
    cli.checkpoint()
    first = cli.cosign().stdout
    assert first.startswith("cosigned checkpoint of size 10 as witness/inspector")
    story.household()
    story.household()
    cli.checkpoint()
    assert "cosigned checkpoint of size 12 (extends 10)" in cli.cosign().stdout
    vkey = cli.vkey("inspector")
    assert "witnesses witness/inspector" in cli.db("verify", "--witness", vkey).stdout
    bundle = cli.export("bundle")
    assert "witnesses witness/inspector" in cli("verify", bundle, "--witness", vkey).stdout
    assert "\n— witness/inspector " in (bundle / "checkpoint").read_text()


def forge_checkpoint(story: Story, size: int) -> None:
    """Replace the stored checkpoint of ``size`` by one over another root, notary-signed."""
    other_root = hashlib.sha256(b"another history").digest()
    note = sign_checkpoint(
        LEDGER_ID, size, other_root, LEDGER_ID, SigningKey(story.o.keys["notary"].seed)
    )
    MerkleLog(story.app).store.replace_note(size, note)


@pytest.mark.parametrize("later", [True, False], ids=["larger-size", "same-size"])
def test_a_witness_refuses_a_checkpoint_from_a_split_view(
    story: Story, cli: Cli, later: bool
) -> None:
    story.beneficiary()
    cli.checkpoint()
    cli.cosign()
    kept = (cli.dir / "state" / "checkpoint").read_text()
    if later:
        story.household()
        cli.checkpoint()
    forge_checkpoint(story, story.app.size())
    refused = cli.cosign(code=1)
    assert refused.stderr.startswith("LOG_INCONSISTENT:"), refused.stderr
    assert ("does not extend the size 10" if later else "two different roots") in refused.stderr
    assert (cli.dir / "state" / "checkpoint").read_text() == kept


@pytest.fixture
def other_db_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same backend."""
    if not db_url.startswith("postgresql://"):
        yield str(tmp_path / "other.db")
        return
    with scratch_schema() as url:
        yield url


def test_a_witness_refuses_a_ledger_whose_history_differs_from_what_it_cosigned(
    story: Story, cli: Cli, officers: Officers, other_db_url: str
) -> None:
    # Another ledger with the same origin and notary key, but other entries.
    other = LedgerApplication(other_db_url, vault_key=VaultKey(b"\x07" * 32))
    try:
        other.submit(officers.opened())
        other.submit(officers.register("registrar"))
        Story(other, officers).household()
        MerkleLog(other).issue(officers.keys["notary"])
    finally:
        other.close()
    cli(
        "witness",
        "cosign",
        "--key",
        cli.keys["inspector"],
        "--name",
        "witness/inspector",
        "--state",
        cli.dir / "state",
        "--db",
        other_db_url,
    )
    story.beneficiary()
    cli.checkpoint()
    refused = cli.cosign(code=1)
    assert refused.stderr.startswith("LOG_INCONSISTENT:"), refused.stderr
    assert "does not extend the size 3" in refused.stderr


def test_verify_with_a_witness_that_never_cosigned_exits_1(story: Story, cli: Cli) -> None:
    story.beneficiary()
    cli.checkpoint()
    stranger = cli.vkey("registrar2")
    failed = cli.db("verify", "--witness", stranger, code=1)
    assert failed.stderr.startswith("FAILED witness witness/registrar2: checkpoint has no")
    cli.cosign()
    bundle = cli.export("bundle")
    assert cli("verify", bundle, "--witness", cli.vkey("inspector")).exit_code == 0
    failed = cli(
        "verify", bundle, "--witness", cli.vkey("inspector"), "--witness", stranger, code=1
    )
    assert "FAILED witness witness/registrar2: checkpoint has no cosignature" in failed.stderr
