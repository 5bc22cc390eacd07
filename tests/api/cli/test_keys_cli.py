"""``ansinh keys`` and ``ansinh vault``: officers' keys, and the personal data the vault keeps."""

from __future__ import annotations

import base64
import json
import stat

import pytest

from ledger.formats.keys import key_id, read_key_file
from ledger.formats.vault import commitment
from tests.api.cli.officer import (
    OFFICERS,
    RECORD,
    Cli,
    household_body,
    one_line,
    opts,
    person_body,
)


def test_keys_new_writes_a_key_pair_and_never_overwrites_it(cli: Cli) -> None:
    printed = json.loads(cli("keys", "new", *opts(keys=cli.keys, name="cashier")).stdout)
    assert printed["id"] == key_id(base64.b64decode(printed["public_key"]))
    assert read_key_file(cli.key("cashier")).key_id == printed["id"]
    assert stat.S_IMODE(cli.key("cashier").stat().st_mode) == 0o600
    assert json.loads((cli.keys / "cashier.pub").read_text())["id"] == printed["id"]
    before = cli.key("cashier").read_bytes()
    again = cli("keys", "new", *opts(keys=cli.keys, name="cashier"), code=1)
    assert again.stderr.startswith("INVALID_FIELD: ")
    assert cli.key("cashier").read_bytes() == before


def test_keys_list_shows_each_registered_holder_and_role(commune: Cli) -> None:
    table = one_line(commune("keys", "list").stdout)
    assert all(f"staff-{name}" in table for name in OFFICERS)
    lines = commune("keys", "list", "--json").stdout.splitlines()
    listed = [json.loads(line) for line in lines]
    assert [k["holder_id"] for k in listed[1:]] == [f"staff-{n}" for n in OFFICERS]
    assert [k["roles"] for k in listed] == [["admin", "approver"], *([n] for n in OFFICERS)]
    assert [k["registered_index"] for k in listed] == list(range(4))


def test_a_revoked_key_can_no_longer_sign(commune: Cli) -> None:
    registrar = read_key_file(commune.key("registrar")).key_id
    commune(
        "keys", "revoke", registrar, *opts(reason="Nghỉ hưu", admin_key=commune.key("authority"))
    )
    envelope = commune.sign("registrar", "household.registered", household_body())
    result = commune.submit(commune.write(envelope), code=1)
    assert result.stderr.startswith("KEY_REVOKED: ")


def test_sign_with_pii_commits_to_a_record_that_the_vault_reads_back(
    commune: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, salt = commune.person(RECORD)
    log = commune("log", "--json").stdout
    assert RECORD["national_id"] not in log
    statements = [json.loads(base64.b64decode(x["envelope"]["payload"])) for x in commune.leaves()]
    (registered,) = [s for s in statements if s["type"] == "person.registered"]
    assert registered["body"]["person_id"] == pid
    assert registered["body"]["pii"] == commitment(base64.b64decode(salt), RECORD)
    assert commune("vault", "show", pid, code=1).stderr.startswith("VAULT_KEY_MISSING: ")
    monkeypatch.setenv("ANSINH_VAULT_KEY_FILE", str(commune.key("vault")))
    assert json.loads(commune("vault", "show", pid).stdout)["record"] == RECORD
    commune("vault", "erase", pid)
    assert commune("vault", "show", pid, code=1).stderr.startswith("INVALID_FIELD: person_id:")


def test_vault_show_prints_the_record_as_one_json_document(commune: Cli) -> None:
    long_record = {**RECORD, "address_detail": " ".join(["Bản Huổi Một"] * 30)}
    for record in (RECORD, long_record):
        pid, salt = commune.person(record)
        shown = commune("vault", "show", pid, "--vault-key", commune.key("vault")).stdout
        assert json.loads(shown) == {"person_id": pid, "salt": salt, "record": record}


def test_a_person_without_the_vault_key_is_refused_and_nothing_recorded(commune: Cli) -> None:
    doc = commune.sign("registrar", "person.registered", person_body(commune.household()), RECORD)
    size = len(commune.leaves())
    result = commune.submit(commune.write(doc), code=1)
    assert result.stderr.startswith("VAULT_KEY_MISSING: ")
    assert len(commune.leaves()) == size


def test_an_encrypted_key_signs_only_with_its_passphrase(
    commune: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANSINH_KEY_PASSPHRASE", "mat khau 2022")
    commune("keys", "new", *opts(keys=commune.keys, name="locked"))
    assert commune.key("locked").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY")
    body = json.dumps(household_body())
    args = ["sign", *opts(key=commune.key("locked"), type="household.registered", body=body)]
    assert "payload" in json.loads(commune(*args).stdout)
    monkeypatch.delenv("ANSINH_KEY_PASSPHRASE")
    assert commune(*args, code=1).stderr.startswith("INVALID_FIELD: key:")
