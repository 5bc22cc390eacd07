"""Two communes in one database, on one server, never see each other's entries, keys or vault."""

from __future__ import annotations

import psycopg
from psycopg import sql

from ledger.formats.vault import VaultRecord
from tests.api.communes.conftest import Served
from tests.api.http.test_auth import bearer, sign_in
from tests.conftest import PG_URL, new_id
from tests.support.communes import household


def test_each_commune_is_served_under_its_schema_with_its_own_log_and_keys(
    served: Served,
) -> None:
    listed = served.client.get("/v1/ledgers").json()["ledgers"]
    assert [c["ledger_id"] for c in listed] == ["ansinh.vn/thu/xa-a", "ansinh.vn/thu/xa-b"]
    for label in ("a", "b"):
        commune = served.at(label)
        officers = served.province.stories[label].o
        assert commune.get("/v1/log/checkpoint").text.splitlines()[0] == officers.ledger_id
        key_ids = {k["id"] for k in commune.get("/v1/keys").json()}
        assert {officers.keys[n].key_id for n in ("registrar", "cashier")} <= key_ids
        other = served.province.stories["b" if label == "a" else "a"].o
        assert not key_ids & {k.key_id for k in other.keys.values()}


def test_a_statement_of_one_commune_is_refused_by_the_other_and_recorded_nowhere(
    served: Served,
) -> None:
    a, b = served.province.stories["a"].app, served.province.stories["b"].app
    before = a.size(), b.size()
    refused = served.at("b").post("/v1/statements", json=household(served.province, "a"))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "WRONG_LEDGER"
    assert (a.size(), b.size()) == before
    accepted = served.at("a").post("/v1/statements", json=household(served.province, "a"))
    assert accepted.status_code == 201, accepted.text
    assert (a.size(), b.size()) == (before[0] + 1, before[1])
    entries = served.at("b").get("/v1/log/entries", params={"start": 0, "end": b.size()})
    assert "xa-a" not in entries.text and entries.status_code == 200


def test_a_persons_record_in_one_communes_vault_is_not_in_the_others(served: Served) -> None:
    story = served.province.stories["a"]
    home = story.household()
    record = VaultRecord.new(new_id(), {"full_name": "Lường Thị Hoa", "national_id": "0" * 12})
    body = {"person_id": record.person_id, "household_id": home, "relation": "head"}
    body |= {"sex": "f", "birth_year": 1948, "pii": record.commitment}
    story.submit(story.o.sub("registrar", "person.registered", body, vault=(record,)))
    a, b = served.at("a"), served.at("b")
    inspector_a = bearer(sign_in(a, story.o.keys["inspector"]))
    inspector_b = bearer(sign_in(b, served.province.stories["b"].o.keys["inspector"]))
    read = a.get(f"/v1/vault/{record.person_id}", headers=inspector_a)
    assert read.status_code == 200 and "Lường Thị Hoa" in read.text
    assert b.get(f"/v1/vault/{record.person_id}", headers=inspector_b).status_code == 404
    assert b.get(f"/v1/vault/{record.person_id}", headers=inspector_a).status_code == 401
    with psycopg.connect(PG_URL) as conn:
        for label, expected in (("a", 1), ("b", 0)):
            table = sql.Identifier(served.province.schemas[label], "ansinh_vault")
            query = sql.SQL("SELECT count(*) FROM {0} WHERE person_id = %s").format(table)
            assert conn.execute(query, (record.person_id,)).fetchone() == (expected,)


def test_a_commune_not_served_is_not_found_naming_it(served: Served) -> None:
    answer = served.client.get("/c/xa_khong_co/v1/log/checkpoint")
    assert answer.status_code == 404
    assert answer.json()["error"] == {
        "code": "NOT_FOUND",
        "message": "ledgers: no commune 'xa_khong_co' is served here",
    }


def test_a_path_outside_the_communes_is_not_found_in_the_one_error_shape(served: Served) -> None:
    answer = served.client.get("/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"


def test_health_names_every_commune_with_its_log_size(served: Served) -> None:
    health = served.client.get("/healthz").json()
    assert health["status"] == "ok"
    for label, story in served.province.stories.items():
        assert health["ledgers"][served.province.schemas[label]]["log_size"] == story.app.size()
