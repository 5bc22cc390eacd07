"""Large bodies: refused before they are read whole, and batches that still fit.

The attack: eight clients each sending a 63 MB body at once took the server
from 209 MB to 1.4 GB before it refused them. Here the server refuses a
body that declares more than its limit before a byte of it is sent, and a
body sent without a length (chunked) as soon as it passes the limit, while
the client is still sending: memory is bounded because the server never
holds more than the limit, which these tests show by what the server
answers, and when in the exchange, never by timing.
"""

from __future__ import annotations

import json
import select
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.limits import MIB, Limits
from ledger.formats.vault import VaultKey
from tests.api.cli.test_serve import Served, serving
from tests.conftest import Officers, Story, new_id

ATTACK_BYTES = 63 * MIB
JSONL = {"Content-Type": "application/jsonl"}
SOCKET_TIMEOUT_S = 60  # only so that a broken server fails the test instead of hanging it


@pytest.fixture
def small(
    story: Story, db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey
) -> Iterator[Served]:
    """``ansinh serve --max-body-mb 1``, in its own process."""
    with serving(db_url, tmp_path, officers, vault_key, "--max-body-mb", "1") as running:
        yield running


def connect(served: Served) -> socket.socket:
    url = urlsplit(served.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=SOCKET_TIMEOUT_S)
    return sock


def head(path: str, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: ansinh", *headers, "", ""]
    return "\r\n".join(lines).encode()


def answer_of(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Status, headers and JSON body of the response on ``sock``."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    top, rest = data.split(b"\r\n\r\n", 1)
    status_line, *header_lines = top.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in header_lines)
    while len(rest) < int(headers["content-length"]):
        rest += sock.recv(65536)
    return int(status_line.split()[1]), headers, json.loads(rest)


def answered(sock: socket.socket) -> bool:
    return bool(select.select([sock], [], [], 0)[0])


# -- the attack, refused ------------------------------------------------------------------------
def test_bodies_declaring_more_than_the_limit_are_refused_before_a_byte_is_sent(
    small: Served,
) -> None:
    sockets = [connect(small) for _ in range(8)]
    for sock in sockets:  # eight at once, as in the attack
        sock.sendall(
            head(
                "/v1/statements",
                "Content-Type: application/jsonl",
                f"Content-Length: {ATTACK_BYTES}",
            )
        )
    for sock in sockets:
        status, headers, body = answer_of(sock)  # not one byte of the body was sent
        assert status == 413 and headers["connection"] == "close"
        assert body["error"]["code"] == "TOO_LARGE"
        assert body["error"]["message"] == (
            f"body: {ATTACK_BYTES} bytes; at most {MIB} are accepted"
        )
        sock.close()
    with connect(small) as sock:  # and the server goes on answering
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: ansinh\r\n\r\n")
        assert answer_of(sock)[0] == 200


def test_a_chunked_body_is_refused_once_past_the_limit_while_the_client_still_sends(
    small: Served,
) -> None:
    chunk = 64 * 1024
    with connect(small) as sock:
        sock.sendall(
            head(
                "/v1/statements",
                "Content-Type: application/jsonl",
                "Transfer-Encoding: chunked",
            )
        )
        sent = 0
        while sent < ATTACK_BYTES and not answered(sock):
            try:
                sock.sendall(b"%x\r\n" % chunk + b"x" * chunk + b"\r\n")
            except OSError:  # the server closed its side: the answer is there to read
                break
            sent += chunk
        status, _, body = answer_of(sock)
    assert status == 413 and body["error"]["code"] == "TOO_LARGE"
    assert body["error"]["message"] == f"body: more than {MIB} bytes; at most {MIB} are accepted"
    assert sent < ATTACK_BYTES // 4  # answered long before the client was done


def test_requests_other_than_statements_take_small_bodies_only(client: Any) -> None:
    padding = {"key_id": "ab" * 32, "padding": "x" * (Limits().body_bytes + 1)}
    for path in ("/v1/auth/challenge", "/v1/auth/token", "/v1/log/cosignatures"):
        response = client.post(path, json=padding)
        assert response.status_code == 413, path
        assert response.json()["error"]["code"] == "TOO_LARGE"
        assert f"at most {Limits().body_bytes} are accepted" in response.json()["error"]["message"]


# -- what fits ---------------------------------------------------------------------------------
@pytest.fixture
def limited(service: Any) -> Iterator[Any]:
    """A test client of a server that takes statement bodies of 4,000 bytes, one batch at a time."""
    app = create_app(service, Limits(statements_body_bytes=4000, batches_at_once=1))
    with TestClient(app) as test_client:
        yield test_client


def household(officers: Officers) -> dict[str, Any]:
    hid = new_id()
    body = {"household_id": hid, "code": f"CE-{hid[:6]}", "village": "Bản Mé"}
    return officers.envelope("registrar", "household.registered", body)


def test_a_statement_body_over_the_limit_is_refused_and_nothing_is_recorded(
    limited: Any, story: Story, officers: Officers
) -> None:
    size = story.app.size()
    padded = json.dumps(household(officers) | {"padding": "x" * 4000}).encode()
    declared = limited.post("/v1/statements", content=padded)
    streamed = limited.post("/v1/statements", content=iter([padded[:3000], padded[3000:]]))
    for response in (declared, streamed):
        assert response.status_code == 413, response.text
        assert response.json()["error"]["code"] == "TOO_LARGE"
        assert "at most 4000 are accepted" in response.json()["error"]["message"]
    assert story.app.size() == size
    assert limited.post("/v1/statements", json=household(officers)).status_code == 201


def test_batches_take_turns_and_a_refused_one_frees_its_turn(
    limited: Any, story: Story, officers: Officers
) -> None:
    """One batch at a time here: each waits for the one before, none is lost."""
    size = story.app.size()
    broken = limited.post("/v1/statements", content="{not json\n" * 100, headers=JSONL)
    assert broken.status_code == 400
    batches = ["".join(json.dumps(household(officers)) + "\n" for _ in range(3)) for _ in range(4)]
    chunked = [iter([b.encode()]) for b in batches]  # no length: each waits for its turn
    with ThreadPoolExecutor(4) as pool:
        answers = list(
            pool.map(
                lambda body: limited.post("/v1/statements", content=body, headers=JSONL), chunked
            )
        )
    assert [a.status_code for a in answers] == [201] * 4
    assert story.app.size() == size + 12


def test_a_batch_of_a_thousand_statements_with_personal_data_fits_the_default_limit(
    client: Any, story: Story
) -> None:
    hid = story.household()
    lines = []
    for _ in range(1000):
        sub, record = story.person_sub(hid)
        lines.append(json.dumps({"envelope": sub.signed.envelope, "vault": [record.to_json()]}))
    body = "\n".join(lines).encode()
    assert MIB < len(body) < Limits().statements_body_bytes // 10  # about 1.2 MB: room to spare
    response = client.post("/v1/statements", content=body, headers=JSONL)
    assert response.status_code == 201, response.text[:300]
    assert len(response.json()["entries"]) == 1000
