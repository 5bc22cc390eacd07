"""The transparency log over HTTP: checkpoints, entries, proofs, cosignatures, keys."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from nacl.signing import SigningKey

from api.http import log as routes_log
from api.service import LedgerService
from ledger.formats.keys import KeyPair
from ledger.formats.merkle import verify_consistency, verify_inclusion
from ledger.formats.notes import cosign, open_checkpoint, verify_cosignature
from ledger.formats.vault import VaultKey
from ledger.tlog.witness import verifier_key
from tests.conftest import LEDGER_ID, Officers, Story


def b64(text: str) -> bytes:
    return base64.b64decode(text)


def assert_error(response: Any, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    for word in words:
        assert word in error["message"]


def checkpoint(client: TestClient, officers: Officers) -> tuple[int, bytes, str]:
    """The latest checkpoint's size and root, after checking the notary's signature."""
    response = client.get("/v1/log/checkpoint")
    assert response.status_code == 200
    note = response.text
    opened = open_checkpoint(note, LEDGER_ID, officers.keys["notary"].public_key, origin=LEDGER_ID)
    return opened.size, opened.root, note


def witness_line(note: str, key: KeyPair, name: str = "witness/thanh-tra") -> str:
    return cosign(note, name, SigningKey(key.seed), 1_700_000_000)


@pytest.fixture
def quiet_client(story: Story, db_url: str, vault_key: VaultKey) -> Iterator[TestClient]:
    """A server without the notary key, over a ledger no checkpoint was ever signed for."""
    from api.http.app import create_app

    service = LedgerService(db_url, vault_key=vault_key)
    with TestClient(create_app(service)) as test_client:
        yield test_client
    service.ledger.close()


# -- checkpoints -----------------------------------------------------------------------
def test_checkpoint_is_a_note_signed_by_the_notary_over_the_whole_log(
    client: TestClient, story: Story, officers: Officers
) -> None:
    story.household()
    response = client.get("/v1/log/checkpoint")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    size, _, _ = checkpoint(client, officers)
    assert size == story.app.size()
    assert response.headers["x-ansinh-tree-size"] == str(size)


def test_checkpoint_is_404_when_none_was_ever_signed(quiet_client: TestClient) -> None:
    assert_error(quiet_client.get("/v1/log/checkpoint"), 404, "NO_CHECKPOINT")


def test_checkpoints_are_listed_newest_first(
    client: TestClient, story: Story, officers: Officers
) -> None:
    first, _, _ = checkpoint(client, officers)
    story.household()
    second, root, note = checkpoint(client, officers)
    listed = client.get("/v1/log/checkpoints").json()
    assert [c["size"] for c in listed] == [second, first]
    assert listed[0]["note"] == note and b64(listed[0]["root"]) == root
    assert listed[0]["issued_at"].endswith("Z")
    assert [c["size"] for c in client.get("/v1/log/checkpoints?limit=1").json()] == [second]
    as_of_first = client.get(f"/v1/log/checkpoints?as_of={second - 1}").json()
    assert [c["size"] for c in as_of_first] == [first]


def test_checkpoint_list_refuses_a_limit_out_of_range(client: TestClient) -> None:
    assert_error(client.get("/v1/log/checkpoints?limit=0"), 400, "INVALID_FIELD", "limit")
    assert_error(client.get("/v1/log/checkpoints?as_of=-3"), 400, "INVALID_FIELD", "as_of")
    assert_error(client.get("/v1/log/checkpoints?as_of=soon"), 400, "INVALID_FIELD", "as_of")


# -- entries -------------------------------------------------------------------------------
def test_entries_are_their_leaf_bytes_one_per_line(client: TestClient, story: Story) -> None:
    story.household()
    size = story.app.size()
    response = client.get(f"/v1/log/entries?start=1&end={size}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.headers["x-ansinh-log-size"] == str(size)
    assert "x-ansinh-next-start" not in response.headers
    lines = response.content.split(b"\n")
    assert lines[-1] == b""
    expected = [e.leaf for e in story.app.entries(1, size)]
    assert lines[:-1] == expected
    assert [json.loads(line)["index"] for line in lines[:-1]] == list(range(1, size))


def test_entries_past_the_end_are_clamped_to_the_log(client: TestClient, story: Story) -> None:
    size = story.app.size()
    response = client.get(f"/v1/log/entries?start={size - 1}&end={size + 50}")
    assert response.status_code == 200
    assert response.content == story.app.entry(size - 1).leaf + b"\n"
    assert "x-ansinh-next-start" not in response.headers


def test_long_ranges_come_a_page_at_a_time_with_the_next_start(
    client: TestClient, story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes_log, "MAX_ENTRIES", 2)
    size = story.app.size()
    assert size >= 5
    seen: list[bytes] = []
    start: str | None = "0"
    while start is not None:
        response = client.get(f"/v1/log/entries?start={start}")
        page = response.content.split(b"\n")[:-1]
        assert len(page) <= 2
        seen += page
        start = response.headers.get("x-ansinh-next-start")
    assert seen == [e.leaf for e in story.app.entries()]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=-1", "start"),
        ("start=3&end=3", "end"),
        ("start=3&end=2", "end"),
        ("start=99", "start"),
        ("start=x", "start"),
    ],
)
def test_entries_refuse_a_bad_range_naming_the_field(
    client: TestClient, story: Story, query: str, field: str
) -> None:
    response = client.get(f"/v1/log/entries?{query}")
    assert_error(response, 400, "INVALID_FIELD", field)


# -- proofs ---------------------------------------------------------------------------------
def test_inclusion_proofs_verify_against_the_checkpoint_root(
    client: TestClient, story: Story, officers: Officers
) -> None:
    story.household()
    size, root, _ = checkpoint(client, officers)
    leaves = client.get("/v1/log/entries").content.split(b"\n")[:-1]
    assert len(leaves) == size
    for index, leaf in enumerate(leaves):
        answer = client.get(f"/v1/log/proof/inclusion?index={index}").json()
        assert answer["tree_size"] == size and answer["index"] == index
        leaf_hash = b64(answer["leaf_hash"])
        assert leaf_hash == hashlib.sha256(b"\x00" + leaf).digest()
        verify_inclusion(leaf_hash, index, size, [b64(p) for p in answer["proof"]], root)


def test_inclusion_proof_for_an_earlier_tree_size(
    client: TestClient, story: Story, officers: Officers
) -> None:
    earlier, root, _ = checkpoint(client, officers)
    story.household()
    story.household()
    answer = client.get(f"/v1/log/proof/inclusion?index=1&tree_size={earlier}").json()
    assert answer["tree_size"] == earlier
    verify_inclusion(b64(answer["leaf_hash"]), 1, earlier, [b64(p) for p in answer["proof"]], root)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("index=-1", "index"),
        ("index=99", "index"),
        ("index=0&tree_size=99", "tree_size"),
        ("index=3&tree_size=2", "index"),
        ("index=0&tree_size=0", "tree_size"),
        ("tree_size=2", "index"),
    ],
)
def test_inclusion_proof_out_of_range_names_the_field(
    client: TestClient, story: Story, query: str, field: str
) -> None:
    response = client.get(f"/v1/log/proof/inclusion?{query}")
    assert_error(response, 400, "INVALID_FIELD", field)


def test_inclusion_proof_without_a_checkpoint_needs_a_tree_size(
    quiet_client: TestClient, story: Story
) -> None:
    assert_error(quiet_client.get("/v1/log/proof/inclusion?index=0"), 404, "NO_CHECKPOINT")
    answer = quiet_client.get("/v1/log/proof/inclusion?index=0&tree_size=2")
    assert answer.status_code == 200 and answer.json()["tree_size"] == 2


def test_consistency_proof_links_two_checkpoints(
    client: TestClient, story: Story, officers: Officers
) -> None:
    first, root1, _ = checkpoint(client, officers)
    story.household()
    story.household()
    second, root2, _ = checkpoint(client, officers)
    answer = client.get(f"/v1/log/proof/consistency?first={first}").json()
    assert (answer["first"], answer["second"]) == (first, second)
    verify_consistency(first, second, root1, root2, [b64(p) for p in answer["proof"]])
    explicit = client.get(f"/v1/log/proof/consistency?first={first}&second={second}").json()
    assert explicit == answer


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("first=0", "first"),
        ("first=4&second=3", "first"),
        ("first=1&second=99", "second"),
        ("second=3", "first"),
    ],
)
def test_consistency_proof_out_of_range_names_the_field(
    client: TestClient, story: Story, query: str, field: str
) -> None:
    response = client.get(f"/v1/log/proof/consistency?{query}")
    assert_error(response, 400, "INVALID_FIELD", field)


# -- witnesses ------------------------------------------------------------------------------
def test_witness_cosignature_is_appended_to_the_checkpoint(
    client: TestClient, officers: Officers
) -> None:
    size, _, note = checkpoint(client, officers)
    witness = officers.keys["inspector"]
    line = witness_line(note, witness)
    vkey = verifier_key("witness/thanh-tra", witness)
    doc = {"tree_size": size, "cosignature": line, "vkey": vkey}
    response = client.post("/v1/log/cosignatures", json=doc)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert answer["verified"] and answer["created"] and answer["witness"] == "witness/thanh-tra"
    assert answer["note"] == note + line
    stored = client.get("/v1/log/checkpoint").text
    assert verify_cosignature(stored, "witness/thanh-tra", witness.public_key) == 1_700_000_000
    again = client.post("/v1/log/cosignatures", json=doc)
    assert again.status_code == 200 and not again.json()["created"]
    assert client.get("/v1/log/checkpoint").text == stored


def test_cosignature_by_a_registered_inspector_is_verified_against_its_key(
    client: TestClient, officers: Officers
) -> None:
    size, _, note = checkpoint(client, officers)
    inspector = officers.keys["inspector"]
    doc = {"tree_size": size, "cosignature": witness_line(note, inspector, "witness/inspector")}
    answer = client.post("/v1/log/cosignatures", json=doc).json()
    assert answer["verified"] is True


def test_cosignature_from_a_witness_not_registered_here_is_refused(
    client: TestClient, officers: Officers
) -> None:
    size, _, note = checkpoint(client, officers)
    outsider = KeyPair.from_seed(b"\x52" * 32)
    line = witness_line(note, outsider)
    vkey = verifier_key("witness/thanh-tra", outsider)
    for doc in (
        {"tree_size": size, "cosignature": line},
        {"tree_size": size, "cosignature": line, "vkey": vkey},
    ):
        answer = client.post("/v1/log/cosignatures", json=doc)
        assert_error(answer, 401, "UNKNOWN_KEY", "cosignature")
    assert client.get("/v1/log/checkpoint").text == note


def test_cosignature_by_a_key_without_the_inspector_role_is_refused(
    client: TestClient, officers: Officers
) -> None:
    size, _, note = checkpoint(client, officers)
    line = witness_line(note, officers.keys["cashier"], "witness/cashier")
    answer = client.post("/v1/log/cosignatures", json={"tree_size": size, "cosignature": line})
    assert_error(answer, 403, "ROLE_NOT_ALLOWED", "cosignature")
    assert client.get("/v1/log/checkpoint").text == note


def test_cosignature_that_does_not_verify_is_refused(
    client: TestClient, story: Story, officers: Officers
) -> None:
    size, _, note = checkpoint(client, officers)
    story.household()
    _, _, newer_note = checkpoint(client, officers)
    witness = KeyPair.from_seed(b"\x53" * 32)
    vkey = verifier_key("witness/thanh-tra", witness)
    assert "+" in vkey.split("+", 2)[2]  # base64 may hold '+': the key still parses
    signed_other = witness_line(newer_note, witness)  # signed over another checkpoint
    doc = {"tree_size": size, "cosignature": signed_other, "vkey": vkey}
    assert_error(client.post("/v1/log/cosignatures", json=doc), 401, "BAD_SIGNATURE")
    inspector = officers.keys["inspector"]
    forged = witness_line(newer_note, inspector, "witness/inspector")
    doc = {"tree_size": size, "cosignature": forged}
    assert_error(client.post("/v1/log/cosignatures", json=doc), 401, "BAD_SIGNATURE")
    assert client.get("/v1/log/checkpoints").json()[-1]["note"] == note


def test_cosignature_by_a_revoked_key_is_refused(
    client: TestClient, story: Story, officers: Officers
) -> None:
    inspector = officers.keys["inspector"]
    story.submit(
        officers.sub("authority", "key.revoked", {"key_id": inspector.key_id, "reason": "nghỉ hưu"})
    )
    size, _, note = checkpoint(client, officers)
    doc = {"tree_size": size, "cosignature": witness_line(note, inspector, "witness/inspector")}
    assert_error(client.post("/v1/log/cosignatures", json=doc), 403, "KEY_REVOKED")


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"tree_size": 999}, 404, "NO_CHECKPOINT", "tree_size"),
        ({"tree_size": 0}, 400, "INVALID_FIELD", "tree_size"),
        ({"cosignature": "not a signature line"}, 400, "INVALID_FIELD", "cosignature"),
        ({"cosignature": "— a AAAA\n— b AAAA"}, 400, "INVALID_FIELD", "cosignature"),
        ({"vkey": "nonsense"}, 400, "INVALID_FIELD", "vkey"),
        ({"vkey": "SHORT"}, 400, "INVALID_FIELD", "vkey"),
        ({"vkey": "WRONG_ID"}, 400, "INVALID_FIELD", "vkey"),
        ({"extra": 1}, 400, "INVALID_FIELD", "extra"),
    ],
)
def test_bad_cosignature_request_is_refused_naming_the_field(
    client: TestClient,
    officers: Officers,
    change: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    size, _, note = checkpoint(client, officers)
    doc = {"tree_size": size, "cosignature": witness_line(note, KeyPair.from_seed(b"\x54" * 32))}
    if change.get("vkey") == "SHORT":  # a well-formed key of another witness
        change = {"vkey": verifier_key("witness/other", KeyPair.from_seed(b"\x55" * 32))}
    if change.get("vkey") == "WRONG_ID":  # the right key under another key id
        name, _, blob = verifier_key("witness/x", KeyPair.from_seed(b"\x54" * 32)).split("+", 2)
        change = {"vkey": f"{name}+00000000+{blob}"}
    response = client.post("/v1/log/cosignatures", json=doc | change)
    assert_error(response, status, code, field)
    assert client.get("/v1/log/checkpoint").text == note


def test_notary_signature_line_is_not_a_cosignature(client: TestClient, officers: Officers) -> None:
    size, _, note = checkpoint(client, officers)
    notary_line = note.split("\n\n")[1]
    doc = {"tree_size": size, "cosignature": notary_line}
    assert_error(client.post("/v1/log/cosignatures", json=doc), 400, "INVALID_FIELD", "v1")


# -- keys -------------------------------------------------------------------------------------
def test_keys_are_public_with_holder_roles_and_history(
    client: TestClient, story: Story, officers: Officers
) -> None:
    cashier = officers.keys["cashier"]
    before = story.app.size()
    story.submit(
        officers.sub("authority", "key.revoked", {"key_id": cashier.key_id, "reason": "nghỉ việc"})
    )
    keys = {k["id"]: k for k in client.get("/v1/keys").json()}
    assert set(keys) == {officers.keys[n].key_id for n in ("authority", *Officers.ROLES)} - {
        officers.keys["registrar2"].key_id
    }
    row = keys[cashier.key_id]
    assert row["public_key"] == cashier.public_key_b64
    assert row["holder"] == {"id": "staff-cashier", "name": "Cán bộ cashier"}
    assert row["roles"] == ["cashier"]
    assert (row["revoked_index"], row["revoked_reason"]) == (before, "nghỉ việc")
    then = {k["id"]: k for k in client.get(f"/v1/keys?as_of={before}").json()}
    assert then[cashier.key_id]["revoked_index"] is None
    assert [k["registered_index"] for k in client.get("/v1/keys?as_of=2").json()] == [0, 1]


def test_keys_as_of_a_time_before_anything_is_empty(client: TestClient) -> None:
    assert client.get("/v1/keys?as_of=2000-01-01T00:00:00Z").json() == []
    assert_error(client.get("/v1/keys?as_of=yesterday"), 400, "INVALID_FIELD", "as_of")
