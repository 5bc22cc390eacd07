"""The address printed notices carry: ``--public-url``, else a trusted proxy's
``X-Forwarded-*``, else the ``Host`` header; never a header from an untrusted client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send
from typer.testing import CliRunner

from api.cli.main import app as cli
from api.http.app import create_app
from api.http.forwarded import ForwardedHeaders, PublicAddress, check_public_url
from api.service import LedgerService
from ledger.errors import InvalidField

runner = CliRunner()
PUBLIC = "https://xa-chieng-en.example.vn"
PROXIED = {"X-Forwarded-Host": "niem-yet.example.vn", "X-Forwarded-Proto": "https"}


def qr_url(client: TestClient, **headers: str) -> str:
    """The address the printed notice's QR code carries."""
    text = client.get("/print/lists?village=Bản Huổi", headers=headers).text
    found = re.search(r'id="qr" data-url="([^"]+)"', text)
    assert found is not None, "the printed notice has no QR code"
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def app_of(service: LedgerService) -> Iterator[Any]:
    """A TestClient over an app given ``public``, seen from the address ``peer``."""
    opened: list[TestClient] = []

    def make(public: PublicAddress | None, peer: str) -> TestClient:
        client = TestClient(create_app(service, public=public), client=(peer, 40000))
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


# -- --public-url -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("xa-chieng-en.example.vn", "is not an http:// or https:// address"),
        ("ftp://xa-chieng-en.example.vn", "is not an http:// or https:// address"),
        ("https://", "has no host name"),
        ("https://xa-chieng-en.example.vn/?village=x", "must not carry a query"),
        ("https://xa-chieng-en.example.vn/#top", "must not carry a query"),
        ("https://officer@xa-chieng-en.example.vn", "must not carry a user name"),
        ("https://xa-chieng-en.example.vn:70000", "has a port that is not a number"),
    ],
)
def test_serve_refuses_a_public_url_that_is_not_a_web_address_naming_the_option(
    given: str, problem: str
) -> None:
    refused = runner.invoke(cli, ["serve", "--public-url", given], env={"COLUMNS": "300"})
    assert refused.exit_code == 2
    said = " ".join(refused.stderr.replace("│", " ").split())
    assert "Invalid value for '--public-url'" in said
    assert problem in said


def test_a_public_url_keeps_its_path_and_loses_its_trailing_slash() -> None:
    assert check_public_url("https://xa.example.vn/ansinh/") == "https://xa.example.vn/ansinh"
    assert check_public_url("http://10.0.0.5:8080") == "http://10.0.0.5:8080"
    with pytest.raises(InvalidField) as refused:
        check_public_url("mailto:xa@example.vn")
    assert refused.value.field == "public_url"


def test_serve_refuses_a_forwarded_allow_ips_that_is_not_an_address() -> None:
    refused = runner.invoke(cli, ["serve", "--forwarded-allow-ips", "127.0.0.1,proxy"])
    assert refused.exit_code == 2
    assert "'--forwarded-allow-ips'" in refused.stderr
    assert "'proxy' is not an IP address or network" in " ".join(refused.stderr.split())


def test_the_printed_qr_carries_the_public_url_whatever_the_request_says(
    app_of: Any, commune: dict[str, Any]
) -> None:
    client = app_of(PublicAddress.of(PUBLIC), "127.0.0.1")
    url = qr_url(client, **PROXIED)
    assert url.startswith(PUBLIC + "/lists?village=B")
    assert "niem-yet" not in url and "testserver" not in url


# -- forwarded headers ------------------------------------------------------------------
def test_forwarded_host_and_scheme_are_believed_from_the_loopback_proxy(
    app_of: Any, commune: dict[str, Any]
) -> None:
    client = app_of(None, "127.0.0.1")
    assert qr_url(client, **PROXIED).startswith("https://niem-yet.example.vn/lists?")
    assert qr_url(client).startswith("http://testserver/lists?")  # no proxy: the Host header


def test_forwarded_headers_from_any_other_client_are_ignored(
    app_of: Any, commune: dict[str, Any]
) -> None:
    client = app_of(None, "203.0.113.9")
    assert qr_url(client, **PROXIED).startswith("http://testserver/lists?")


def test_forwarded_allow_ips_names_the_proxies_believed(
    app_of: Any, commune: dict[str, Any]
) -> None:
    behind = PublicAddress.of(None, "10.0.0.0/8")
    assert qr_url(app_of(behind, "10.1.2.3"), **PROXIED).startswith("https://niem-yet.example")
    assert qr_url(app_of(behind, "127.0.0.1"), **PROXIED).startswith("http://testserver/")


def test_a_forwarded_host_that_is_not_a_host_name_is_not_printed(
    app_of: Any, commune: dict[str, Any]
) -> None:
    client = app_of(None, "127.0.0.1")
    url = qr_url(client, **{"X-Forwarded-Host": "evil.example/phish?x=", "X-Forwarded-Proto": "x"})
    assert url.startswith("http://testserver/lists?")


async def _seen(scope: Scope, peer: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    """The scope the app behind :class:`ForwardedHeaders` sees, for a request from ``peer``."""
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.update(scope)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    async def send(_: Any) -> None:
        return None

    middleware = ForwardedHeaders(app, PublicAddress.of(None, "127.0.0.1,10.0.0.0/8"))
    await middleware({**scope, "client": (peer, 5000), "headers": headers}, receive, send)
    return seen


@pytest.mark.parametrize(
    ("peer", "chain", "client"),
    [
        ("127.0.0.1", b"198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", b"6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),  # rightmost untrusted
        ("203.0.113.9", b"198.51.100.7", "203.0.113.9"),  # an untrusted peer says what it likes
    ],
)
def test_the_client_address_counted_is_the_one_a_trusted_proxy_saw(
    peer: str, chain: bytes, client: str
) -> None:
    import asyncio

    scope: Scope = {"type": "http", "scheme": "http", "path": "/", "query_string": b""}
    seen = asyncio.run(_seen(scope, peer, [(b"x-forwarded-for", chain)]))
    assert seen["client"][0] == client
