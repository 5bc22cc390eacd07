"""A death list imported as an officer does it: ``ansinh import --layout deaths``, and over HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.formats.dsse import make_statement, sign_statement
from ledger.formats.keys import write_key_file
from ledger.formats.vault import VaultKey
from projections.reports.payroll import payroll
from projections.reports.reconciliation import reconcile
from tests.api.http.test_auth import bearer, error, sign_in
from tests.api.imports.test_deaths import HEADERS, STRANGER_ID, bury_other, pay_march
from tests.api.imports.village import HEAD_ID, OTHER_ID, SON_ID, Village, csv_bytes, xlsx
from tests.conftest import Officers

runner = CliRunner()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = [
    HEADERS,
    [1, HEAD_ID, "Lò Thị Xuân", "15/02/2022", "07/TLKT"],
    [2, STRANGER_ID, "Cầm Văn Đôi", "20/02/2022", ""],
    [3, OTHER_ID, "Quàng Văn Bình", "01/12/2021", ""],
]
BAD = [
    *GOOD,
    [4, SON_ID, "Lò Văn Thắng", "30/02/2022", ""],
    [5, HEAD_ID, "Lò Thị Xuân", "15/02/2022", ""],
]


def cli_files(tmp_path: Path, officers: Officers, rows: list[list[Any]]) -> list[str]:
    key, vault = tmp_path / "registrar.key", tmp_path / "vault.key"
    if not key.exists():
        write_key_file(key, officers.keys["registrar"], None)
        VaultKey.write(vault, b"\x07" * 32)  # the tests' vault key
    sheet = tmp_path / "khai-tu.csv"
    sheet.write_bytes(csv_bytes(rows, delimiter=";", bom=True))
    return [str(sheet), "--layout", "deaths", "--key", str(key), "--vault-key", str(vault)]


def test_the_command_records_the_matched_deaths_and_tells_of_the_others(
    village: Village, db_url: str, tmp_path: Path, officers: Officers
) -> None:
    paid_after = pay_march(village)
    bury_other(village)
    before = village.story.app.size()
    args = ["import", *cli_files(tmp_path, officers, BAD), "--db", db_url]
    refused = runner.invoke(cli_app, args)
    assert refused.exit_code == 1, (refused.stdout, refused.stderr)
    lines = [line for line in refused.stderr.splitlines() if line.startswith("Dòng")]
    assert [line.split(": ")[1] for line in lines] == [
        "HH-001/1 Lò Thị Xuân, mất 15/02/2022",
        "NOT_IN_REGISTRY", "DEATH_ALREADY_RECORDED", "BAD_DATE", "DUPLICATE_NATIONAL_ID"
    ]  # fmt: skip
    assert village.story.app.size() == before
    args = ["import", *cli_files(tmp_path, officers, GOOD), "--db", db_url]
    dry = runner.invoke(cli_app, [*args, "--dry-run"])
    assert dry.exit_code == 0, (dry.stdout, dry.stderr)
    (planned,) = [json.loads(line) for line in dry.stdout.splitlines()]
    assert planned["type"] == "person.died"
    assert planned["body"] == {"person_id": village.head, "date": "2022-02-15"}
    told = " ".join(dry.stderr.split())
    assert (
        "Dòng 2: HH-001/1 Lò Thị Xuân, mất 15/02/2022: TB-61 hưởng đến hết tháng 02/2022 "
        "(đã chi sau khi mất: 03/2022)" in told
    )
    done = runner.invoke(cli_app, args)
    assert done.exit_code == 0, (done.stdout, done.stderr)
    assert "1 statements recorded" in done.stdout and "2 rows skipped" in done.stdout
    snap = village.read().snap
    assert snap.people[village.head].died_on == "2022-02-15"
    flagged = reconcile(snap, "2022-01", "2022-03")["anomalies"]
    assert [a["payment_id"] for a in flagged if a["code"] == "PAID_AFTER_DEATH"] == [paid_after]
    march = {r["benefit_id"]: r for r in payroll(snap, "2022-03")["rows"]}
    assert (march[village.monthly]["due"], march[village.monthly]["paid"]) == (0, 1_624_000)
    assert village.monthly not in {r["benefit_id"] for r in payroll(snap, "2022-04")["rows"]}


def post(client: Any, data: bytes, token: str | None, kind: str = XLSX) -> Any:
    headers = {"Content-Type": kind} | (bearer(token) if token else {})
    return client.post("/v1/imports/deaths", content=data, headers=headers)


def test_a_registrar_previews_a_death_list_over_http_and_records_it(
    client: Any, officers: Officers, village: Village
) -> None:
    paid_after = pay_march(village)
    bury_other(village)
    token = sign_in(client, officers.keys["registrar"])
    bad = post(client, xlsx(BAD), token).json()
    assert [(r["row"], [e["code"] for e in r["errors"]]) for r in bad["rows"] if r["errors"]] == [
        (5, ["BAD_DATE"]),
        (6, ["DUPLICATE_NATIONAL_ID"]),
    ]
    response = post(client, xlsx(GOOD), token)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["summary"] == {
        "rows": 3, "bad_rows": 0, "skipped": 2, "statements": 1, "notes": 2
    }  # fmt: skip
    assert [[n["code"] for n in r["notes"]] for r in doc["rows"]] == [
        [], ["NOT_IN_REGISTRY"], ["DEATH_ALREADY_RECORDED"]
    ]  # fmt: skip
    death = doc["rows"][0]["death"]
    assert (death["person_code"], death["full_name"]) == ("HH-001/1", "Lò Thị Xuân")
    (stopped,) = death["benefits"]
    assert stopped["last_month"] == "2022-02"
    assert [p["month"] for p in stopped["paid_after_death"]] == ["2022-03"]
    assert stopped["paid_after_death"][0]["payment_id"] == paid_after
    key = officers.keys["registrar"]
    ledger_id = village.story.app.charter().ledger_id
    (st,) = doc["rows"][0]["statements"]
    envelope = sign_statement(make_statement(ledger_id, st["type"], st["body"], key.key_id), key)
    line = json.dumps({"envelope": envelope, "vault": []}) + "\n"
    recorded = client.post(
        "/v1/statements", content=line.encode(), headers={"Content-Type": "application/jsonl"}
    )
    assert recorded.status_code in (200, 201), recorded.text
    again = post(client, xlsx(GOOD), token).json()
    assert [n["code"] for n in again["rows"][0]["notes"]] == ["DEATH_ALREADY_RECORDED"]


def test_a_death_list_needs_a_registrar(client: Any, officers: Officers, village: Village) -> None:
    data = xlsx(GOOD)
    assert error(post(client, data, None), 401)[0] == "UNAUTHENTICATED"
    for who in ("cashier", "approver"):
        token = sign_in(client, officers.keys[who])
        code, message = error(post(client, data, token), 403)
        assert code == "ROLE_NOT_ALLOWED" and "registrar" in message
    template = client.get("/v1/imports/deaths/template.xlsx?format=csv")
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").splitlines()[0].split(",") == HEADERS
