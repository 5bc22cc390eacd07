"""A commune's writes never wait for another's lock; all of them borrow one pool of connections."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import psycopg
from fastapi.testclient import TestClient
from psycopg import sql

from api.http.communes import create_communes_app
from ledger.storage import pool
from tests.api.communes.conftest import Served
from tests.conftest import PG_URL
from tests.support.communes import Province, household


def test_a_commune_records_while_another_communes_table_is_locked_and_that_one_waits(
    served: Served,
) -> None:
    a, b = served.at("a"), served.at("b")
    size_a = served.province.stories["a"].app.size()
    table = sql.Identifier(served.province.schemas["a"], "ledger_events")
    with ThreadPoolExecutor(1) as other, psycopg.connect(PG_URL) as holder:
        # what a long batch of commune a holds while it is being recorded
        holder.execute(sql.SQL("LOCK TABLE {0} IN EXCLUSIVE MODE").format(table))
        waiting: Future[Any] = other.submit(
            a.post, "/v1/statements", json=household(served.province, "a")
        )
        recorded = b.post("/v1/statements", json=household(served.province, "b"))
        assert recorded.status_code == 201, recorded.text  # b did not wait for a's lock
        assert not waiting.done()  # a's own write waits for it, as it must
        assert served.province.stories["a"].app.size() == size_a
        holder.rollback()  # the lock is let go
        assert waiting.result(timeout=30).status_code == 201
    assert served.province.stories["a"].app.size() == size_a + 1


def test_every_commune_borrows_from_one_pool_no_larger_than_its_size(served: Served) -> None:
    shared = pool.shared_pool(served.communes.key)
    assert shared is not None
    for one in served.communes.served.values():
        assert isinstance(one.service.ledger.recorder.datastore.pool, pool.Borrowed)
    clients = [served.at(label) for label in ("a", "b")]
    start = threading.Barrier(8)

    def read(n: int) -> int:
        start.wait()
        client = clients[n % 2]
        codes = {client.get(path).status_code for path in ("/v1/log/checkpoint", "/lists")}
        codes.add(
            client.post("/v1/statements", json=household(served.province, "ab"[n % 2])).status_code
        )
        return max(codes)

    with ThreadPoolExecutor(8) as readers:
        assert set(readers.map(read, range(8))) == {201}
    assert shared.get_stats()["pool_size"] <= 4  # the served(pool_size=4) of the fixture


def test_closing_the_server_closes_the_shared_pool_and_no_ledger_borrows_any_more(
    served: Served,
) -> None:
    key = served.communes.key
    served.communes.close()
    assert pool.shared_pool(key) is None
    from ledger.application import LedgerApplication

    alone = LedgerApplication(served.province.url("a"))
    try:
        assert not isinstance(alone.recorder.datastore.pool, pool.Borrowed)
        assert alone.size() == served.province.stories["a"].app.size()
    finally:
        alone.close()


def test_only_the_communes_read_most_recently_keep_their_read_models_in_memory(
    province: Province,
) -> None:
    communes = province.communes(pool_size=4, warm=1)
    with TestClient(create_communes_app(communes)) as client:
        services = {label: communes.served[s].service for label, s in province.schemas.items()}
        for label, cold in (("a", None), ("b", "a"), ("a", "b")):
            assert client.get(f"/c/{province.schemas[label]}/lists").status_code == 200
            assert services[label]._snapshots  # the one just read is warm
            if cold is not None:
                assert not services[cold]._snapshots  # the other was let go
