"""Sign-in under attack: floods of challenges, and a server that restarts.

Each test plays the attack first (anonymous challenges for an officer's key,
thousands of requests from one address, a restart) and then shows what the
server does about it. Client addresses are set per test client; rate-limit
buckets refill when a test moves their clock, never by waiting.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.deps import signin_state
from api.http.limits import Limits, RateLimiter
from api.http.signin import SignIn
from api.http.signin_store import CHALLENGES, SESSIONS, Bounds, open_store
from api.service import LedgerService
from ledger.formats.keys import KeyPair
from ledger.formats.vault import VaultKey
from ledger.storage.settings import is_postgres
from tests.api.cli.test_serve import serving
from tests.api.http.test_auth import Clock, answer, bearer, challenge, error, sign_in
from tests.conftest import Officers

HOLDER, ATTACKER = ("10.0.0.7", 50001), ("203.0.113.9", 40000)


def from_address(client: Any, address: tuple[str, int]) -> TestClient:
    """Another client of the same app (its lifespan runs in ``client``), from ``address``."""
    return TestClient(client.app, client=address)


class Ticks:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks(client: Any) -> Ticks:
    """The app's sign-in rate limiter, at its defaults, on a clock the test moves."""
    moved = Ticks()
    limits = Limits()
    client.app.state.signin_rate = RateLimiter(
        limits.signin_per_minute, limits.signin_burst, clock=moved
    )
    return moved


def ask(client: Any, key: KeyPair) -> Any:
    return client.post("/v1/auth/challenge", json={"key_id": key.key_id})


# -- challenges do not evict the holder's ------------------------------------------------------
def test_anonymous_challenges_for_a_key_do_not_evict_its_holders_pending_sign_in(
    client: Any, officers: Officers
) -> None:
    key = officers.keys["inspector"]
    holder, attacker = from_address(client, HOLDER), from_address(client, ATTACKER)
    pending = challenge(holder, key)
    for _ in range(40):  # the attack evicted it after 16
        assert ask(attacker, key).status_code == 200
    response = answer(holder, key, pending)
    assert response.status_code == 200, response.text
    assert holder.get("/v1/auth/me", headers=bearer(response.json()["token"])).status_code == 200


def test_a_client_flooding_one_key_evicts_only_its_own_challenges(
    client: Any, officers: Officers
) -> None:
    key = officers.keys["cashier"]
    attacker = from_address(client, ATTACKER)
    first = challenge(attacker, key)
    newer = [challenge(attacker, key) for _ in range(Bounds().challenges_per_client)]
    assert error(answer(attacker, key, first), 401)[0] == "BAD_CHALLENGE"  # its oldest went
    assert answer(attacker, key, newer[-1]).status_code == 200


def test_when_a_key_has_too_many_pending_the_client_holding_the_most_loses_its_oldest(
    client: Any, officers: Officers
) -> None:
    bounds = Bounds(challenges_per_client=4, challenges_per_key=6)
    client.app.state.signin = SignIn(open_store(client.app.state.service.ledger, bounds))
    key = officers.keys["approver"]
    holder = from_address(client, HOLDER)
    pending = challenge(holder, key)
    flooders = [from_address(client, (f"198.51.100.{i}", 1000 + i)) for i in range(1, 4)]
    for flooder in flooders:
        for _ in range(10):
            challenge(flooder, key)
    assert signin_state(client.app).store.sizes()[0] == 6
    assert answer(holder, key, pending).status_code == 200


def test_the_challenges_held_stay_bounded_under_a_flood_from_many_addresses(
    client: Any, officers: Officers
) -> None:
    bounds = Bounds(challenges_per_client=3, challenges_per_key=5, challenges=7)
    client.app.state.signin = SignIn(open_store(client.app.state.service.ledger, bounds))
    keys = [officers.keys[name] for name in ("registrar", "approver", "cashier", "inspector")]
    for i in range(12):
        flooder = from_address(client, (f"198.51.100.{i}", 1000 + i))
        for key in keys:
            challenge(flooder, key)
    held, _ = signin_state(client.app).store.sizes()
    assert held == bounds.challenges


# -- rates ------------------------------------------------------------------------------------
def test_a_flood_of_sign_in_requests_from_one_address_is_refused_with_retry_after(
    client: Any, officers: Officers, ticks: Ticks
) -> None:
    key, limits = officers.keys["cashier"], Limits()
    attacker, holder = from_address(client, ATTACKER), from_address(client, HOLDER)
    answers = [ask(attacker, key) for _ in range(limits.signin_burst + 40)]  # 3,000 were served
    statuses = [r.status_code for r in answers]
    assert statuses[: limits.signin_burst] == [200] * limits.signin_burst
    assert set(statuses[limits.signin_burst :]) == {429}
    refused = answers[-1]
    code, message = error(refused, 429)
    assert code == "RATE_LIMITED"
    assert f"client {ATTACKER[0]}" in message and "30 sign-in requests a minute" in message
    assert refused.headers["Retry-After"] == "2"  # 30 a minute: one every 2 s
    fake = {"challenge": "x", "message": "x"}
    assert answer(attacker, key, fake).status_code == 429  # token requests count too
    assert sign_in(holder, officers.keys["inspector"])  # other addresses are not held back
    ticks.now += 2
    assert ask(attacker, key).status_code == 200
    assert ask(attacker, key).status_code == 429


def test_a_commune_office_behind_one_address_signs_in_as_usual(
    client: Any, officers: Officers, ticks: Ticks
) -> None:
    office = from_address(client, HOLDER)
    names = ["registrar", "approver", "cashier", "inspector", "authority"]
    for _ in range(6):  # five officers, each signing in six times at the start of a day
        for name in names:
            assert sign_in(office, officers.keys[name])
    ticks.now += 60 * 60  # an hour later, all of them again
    for name in names * 2:
        assert sign_in(office, officers.keys[name])


def test_serve_takes_its_sign_in_limits_from_its_flags(
    story: Any, db_url: str, tmp_path: Path, officers: Officers, vault_key: VaultKey
) -> None:
    flags = ("--signin-per-minute", "1", "--signin-burst", "2")
    with serving(db_url, tmp_path, officers, vault_key, *flags) as served:
        body = {"key_id": officers.keys["cashier"].key_id}
        answers = [httpx.post(f"{served.url}/v1/auth/challenge", json=body) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].headers["Retry-After"] == "60"
    assert "more than 1 sign-in requests a minute (after a burst of 2)" in answers[2].text


def test_rate_limit_buckets_are_bounded_and_refill_with_time() -> None:
    ticks = Ticks()
    limiter = RateLimiter(per_minute=60, burst=2, clock=ticks, max_clients=3)
    assert [limiter.take("a") for _ in range(3)] == [0, 0, 1.0]
    ticks.now += 0.5
    assert limiter.take("a") == pytest.approx(0.5)
    ticks.now += 0.5
    assert limiter.take("a") == 0
    for client in ("b", "c", "d", "e"):
        limiter.take(client)
    assert limiter.clients() == 3


# -- the database holds them -------------------------------------------------------------------
@pytest.fixture
def second_server(story: Any, db_url: str, vault_key: VaultKey) -> Iterator[Any]:
    """A factory of fresh servers over the same ledger, as after a restart."""
    opened: list[LedgerService] = []

    def start() -> TestClient:
        service = LedgerService(db_url, vault_key=vault_key, checkpoint_every_s=60)
        opened.append(service)
        return TestClient(create_app(service), client=HOLDER)

    yield start
    for service in opened:
        service.ledger.close()


def test_a_restart_keeps_officers_signed_in_and_pending_sign_ins_answerable(
    client: Any, officers: Officers, second_server: Any
) -> None:
    holder = from_address(client, HOLDER)
    token = sign_in(holder, officers.keys["inspector"])
    key = officers.keys["cashier"]
    pending = challenge(holder, key)
    with second_server() as restarted:  # a process that never saw either
        assert restarted.get("/v1/auth/me", headers=bearer(token)).json()["roles"] == ["inspector"]
        assert answer(restarted, key, pending).status_code == 200
        assert restarted.delete("/v1/auth/token", headers=bearer(token)).status_code == 204
    code, _ = error(holder.get("/v1/auth/me", headers=bearer(token)), 401)
    assert code == "INVALID_TOKEN"  # signed out there, signed out here


def stored(db_url: str, table: str) -> list[tuple[Any, ...]]:
    """Every row of a sign-in table, read straight from the database."""
    if is_postgres(db_url):
        base, schema = db_url.split("?schema=")
        with psycopg.connect(base) as conn:
            return [tuple(r) for r in conn.execute(f'SELECT * FROM "{schema}".{table}')]
    with sqlite3.connect(db_url) as conn:
        return list(conn.execute(f"SELECT * FROM {table}"))


def test_the_database_keeps_only_digests_of_challenges_and_tokens(
    client: Any, officers: Officers, db_url: str
) -> None:
    key = officers.keys["inspector"]
    token = sign_in(client, key)
    pending = challenge(client, key)["challenge"]
    (session,) = stored(db_url, SESSIONS)
    (waiting,) = stored(db_url, CHALLENGES)
    assert bytes(session[0]) == hashlib.sha256(token.encode()).digest()
    assert bytes(waiting[0]) == hashlib.sha256(pending.encode()).digest()
    assert session[1] == waiting[1] == key.key_id
    for row in (session, waiting):
        assert token not in map(str, row) and pending not in map(str, row)


def test_expired_challenges_and_sessions_leave_the_tables(client: Any, officers: Officers) -> None:
    clock = signin_state(client.app).clock = Clock()
    store = signin_state(client.app).store
    key = officers.keys["cashier"]
    for _ in range(3):
        sign_in(client, key)
        challenge(client, key)
    assert store.sizes() == (3, 3)
    clock.advance(minutes=16)  # past both lifetimes
    sign_in(client, key)
    assert store.sizes() == (0, 1)  # each write drops what has expired


def test_sessions_per_key_are_bounded_and_the_oldest_go_first(
    client: Any, officers: Officers
) -> None:
    client.app.state.signin = SignIn(
        open_store(client.app.state.service.ledger, Bounds(sessions_per_key=2))
    )
    other = sign_in(client, officers.keys["inspector"])
    first, *newer = (sign_in(client, officers.keys["cashier"]) for _ in range(3))
    assert error(client.get("/v1/auth/me", headers=bearer(first)), 401)[0] == "INVALID_TOKEN"
    for token in (*newer, other):
        assert client.get("/v1/auth/me", headers=bearer(token)).status_code == 200
