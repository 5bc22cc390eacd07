"""Where a public page comes from: the tree size and root it was drawn from, its digest,
the printed copy's QR code, ``as_of``, and pages kept while the log does not grow."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import rfc8785
import segno
from fastapi.testclient import TestClient

from api.service import LedgerService
from tests.api.pages.commune import attribute, benefit, page, person, qr_modules, shown
from tests.conftest import Story


# -- where a page comes from, and its digest ---------------------------------------------
def test_the_digest_on_the_page_is_sha256_of_the_jcs_document(
    client: TestClient, commune: dict[str, Any]
) -> None:
    text = page(client, "/lists?village=B%E1%BA%A3n+Hu%E1%BB%95i")
    json_url = attribute(text, "json-link", "href")
    document = client.get(json_url)
    assert document.status_code == 200
    assert document.headers["content-type"] == "application/json"
    assert document.content == rfc8785.dumps(json.loads(document.content))
    digest = hashlib.sha256(document.content).hexdigest()
    assert shown(text, "digest") == digest
    assert document.headers["x-ansinh-digest"] == f"sha256:{digest}"
    doc = document.json()
    assert set(doc) == {"ledger", "on", "as_of", "root", "village", "program", "rows"}
    assert (doc["village"], doc["program"]) == ("Bản Huổi", None)
    assert [(r["list"], r.get("name") or r.get("head")) for r in doc["rows"]] == [
        ("households", "Quàng Văn Pọm"),
        ("beneficiaries", "Quàng Văn Pọm"),
    ]


def test_a_page_names_the_tree_size_and_root_it_was_drawn_from(
    client: TestClient, service: LedgerService, commune: dict[str, Any]
) -> None:
    service.sign_checkpoint()
    size = service.size()
    root = base64.b64encode(service.merkle().root(size)).decode()
    for url in ("/", "/lists", "/totals", "/checkpoints", "/print/lists"):
        text = page(client, url)
        assert (shown(text, "tree-size"), shown(text, "root")) == (str(size), root), url
        assert shown(text, "signed") == "đã ký", url


def test_the_projection_lag_is_shown_when_the_read_models_are_behind(
    client: TestClient,
    service: LedgerService,
    commune: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert 'id="lag"' not in page(client, "/lists")
    size = service.size()
    monkeypatch.setattr(service, "lag", lambda: (size - 3, size))
    text = page(client, "/lists?lang=en")
    assert "3 newer entries are not in it yet" in shown(text, "lag")


def test_the_print_page_carries_the_digest_and_a_qr_code_pinning_the_tree_size(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    text = page(client, "/print/lists?village=B%E1%BA%A3n+Hu%E1%BB%95i")
    size = story.app.size()
    digest = shown(text, "digest")
    assert shown(text, "print-digest") == digest
    url = attribute(text, "qr", "data-url")
    assert shown(text, "qr-url") == url
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/lists")
    params = parse_qs(parts.query)
    assert params["as_of"] == [str(size)] and params["village"] == ["Bản Huổi"]
    day, month, year = shown(text, "on").split("/")
    assert params["on"] == [f"{year}-{month}-{day}"]
    svg = text[text.index("<svg") : text.index("</svg>") + 6]
    assert qr_modules(svg) == qr_modules(segno.make(url, error="m").svg_inline())
    # the QR code keeps showing that list after the ledger has grown
    benefit(story, commune["program"], person(story, commune["huoi"], "Lò Văn Ban"))
    later = page(client, parts.path + "?" + parts.query)
    assert shown(later, "digest") == digest and "Lò Văn Ban" not in later
    assert "Lò Văn Ban" in page(client, "/lists")


def test_as_of_shows_what_the_ledger_knew_then(
    client: TestClient, story: Story, commune: dict[str, Any]
) -> None:
    before = story.app.size()
    recorded_at = next(iter(story.app.entries(before - 1, before))).recorded_at
    benefit(story, commune["program"], person(story, commune["huoi"], "Lò Văn Ban"))
    assert "Lò Văn Ban" in page(client, "/lists")
    then = page(client, f"/lists?as_of={before}")
    assert "Lò Văn Ban" not in then and "Quàng Văn Pọm" in then
    assert shown(then, "tree-size") == str(before)
    by_time = page(client, f"/lists?as_of={recorded_at}")
    assert shown(by_time, "tree-size") == str(before)
    assert shown(by_time, "digest") == shown(then, "digest")


def test_a_kept_page_is_redrawn_when_the_log_grows(
    client: TestClient, service: LedgerService, story: Story, commune: dict[str, Any]
) -> None:
    service.sign_checkpoint()  # a signed page is kept as it is until the log grows
    first = page(client, "/lists")
    assert page(client, "/lists") == first  # kept
    benefit(story, commune["program"], person(story, commune["huoi"], "Lò Văn Ban"))
    again = page(client, "/lists")
    assert "Lò Văn Ban" in again
    assert int(shown(again, "tree-size")) == int(shown(first, "tree-size")) + 3


def test_a_client_holding_the_page_gets_not_modified(
    client: TestClient, service: LedgerService, commune: dict[str, Any]
) -> None:
    service.sign_checkpoint()
    first = client.get("/lists")
    again = client.get("/lists", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
