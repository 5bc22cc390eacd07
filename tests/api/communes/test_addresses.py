"""A commune's pages on a province's server print and link its own address, /c/SCHEMA/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.http.communes import create_communes_app
from api.http.forwarded import PublicAddress
from tests.projections.verbs import set_status
from tests.support.communes import Province

PUBLIC = "https://tinh-son-la.example.vn"


def qr_url(client: TestClient, path: str) -> str:
    text = client.get(f"{path}/print/lists?village=Bản Mé").text
    found = re.search(r'id="qr" data-url="([^"]+)"', text)
    assert found is not None, "the printed notice has no QR code"
    return found.group(1).replace("&amp;", "&")


@pytest.fixture
def public_client(province: Province) -> Iterator[TestClient]:
    for story in province.stories.values():  # a poor household on each commune's notice
        set_status(story, story.household("Bản Mé"), "poor", "2022-01-01")
    communes = province.communes(public=PublicAddress.of(PUBLIC), pool_size=4)
    with TestClient(create_communes_app(communes)) as client:
        yield client


def test_a_printed_notice_carries_the_public_address_of_its_own_commune(
    public_client: TestClient, province: Province
) -> None:
    for label in ("a", "b"):
        path = f"/c/{province.schemas[label]}"
        assert qr_url(public_client, path).startswith(f"{PUBLIC}{path}/lists?")


def test_without_a_public_address_a_notice_carries_the_address_it_was_asked_at(
    public_client: TestClient, province: Province
) -> None:
    communes = province.communes(pool_size=4)
    with TestClient(create_communes_app(communes)) as client:
        path = f"/c/{province.schemas['a']}"
        assert qr_url(client, path).startswith(f"http://testserver{path}/lists?")


def test_every_link_of_a_communes_pages_stays_under_its_address(
    public_client: TestClient, province: Province
) -> None:
    path = f"/c/{province.schemas['b']}"
    for page in ("/", "/lists", "/checkpoints", "/officer", "/khieu-nai"):
        text = public_client.get(f"{path}{page}").text
        links = re.findall(r'(?:href|src|action)="(/[^"]*)"', text)
        assert links, page
        assert all(link.startswith(f"{path}/") for link in links), (page, links)
