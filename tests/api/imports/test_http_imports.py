"""``POST /v1/imports/{layout}`` and the templates over HTTP: who may, what comes back."""

from __future__ import annotations

import json
from typing import Any

from api.imports.preview import layout_of
from api.imports.templates import template_csv
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from tests.api.http.test_auth import bearer, error, sign_in
from tests.api.imports.village import PAYROLL_HEADERS, Village, csv_bytes, payroll_row, xlsx
from tests.conftest import Officers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOUSEHOLDS = [["Mã hộ", "Thôn/bản"], ["HH-501", "Bản Mé"], ["HH-502", "Bản Mé"]]


def post(client: Any, path: str, data: bytes, token: str | None, kind: str = XLSX) -> Any:
    headers = {"Content-Type": kind} | (bearer(token) if token else {})
    return client.post(path, content=data, headers=headers)


def test_a_registrar_previews_households_and_the_batch_is_accepted(
    client: Any, officers: Officers, village: Village
) -> None:
    token = sign_in(client, officers.keys["registrar"])
    response = post(client, "/v1/imports/households", xlsx(HOUSEHOLDS), token)
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["layout"] == "households" and doc["vault_checked"] is True
    assert doc["summary"] == {
        "rows": 2, "bad_rows": 0, "skipped": 0, "statements": 2, "notes": 0
    }  # fmt: skip
    first = doc["rows"][0]
    assert (first["row"], first["cells"]) == (2, {"Mã hộ": "HH-501", "Thôn/bản": "Bản Mé"})
    size = client.get("/healthz").json()["log_size"]
    assert size == village.story.app.size()  # nothing was recorded by the preview
    key = officers.keys["registrar"]
    ledger_id = village.story.app.charter().ledger_id
    lines = []
    for row in doc["rows"]:
        for st in row["statements"]:
            statement = make_statement(ledger_id, st["type"], st["body"], key.key_id)
            lines.append({"envelope": sign_statement(statement, key), "vault": row["vault"]})
    body = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
    recorded = client.post(
        "/v1/statements", content=body, headers={"Content-Type": "application/jsonl"}
    )
    assert recorded.status_code in (200, 201), recorded.text
    assert len(recorded.json()["entries"]) == 2
    assert open_envelope(lines[0]["envelope"]).type == "household.registered"


def test_a_cashier_previews_a_payroll_csv_for_the_month_given(
    client: Any, officers: Officers, village: Village
) -> None:
    token = sign_in(client, officers.keys["cashier"])
    data = csv_bytes([PAYROLL_HEADERS, payroll_row(village.monthly)], delimiter=";", bom=True)
    response = post(client, "/v1/imports/payroll?month=2022-02&lang=en", data, token, "text/csv")
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["month"] == "2022-02"
    ((statement,),) = [r["statements"] for r in doc["rows"]]
    assert statement["type"] == "payment.recorded"


def test_importing_needs_a_token_and_the_layouts_role(client: Any, officers: Officers) -> None:
    data = xlsx(HOUSEHOLDS)
    assert error(post(client, "/v1/imports/households", data, None), 401)[0] == "UNAUTHENTICATED"
    cashier = sign_in(client, officers.keys["cashier"])
    code, message = error(post(client, "/v1/imports/households", data, cashier), 403)
    assert code == "ROLE_NOT_ALLOWED" and "registrar" in message
    registrar = sign_in(client, officers.keys["registrar"])
    code, message = error(post(client, "/v1/imports/payroll?month=2022-02", data, registrar), 403)
    assert code == "ROLE_NOT_ALLOWED" and "cashier" in message


def test_a_file_that_is_not_a_list_is_refused_in_the_language_asked(
    client: Any, officers: Officers
) -> None:
    token = sign_in(client, officers.keys["registrar"])
    code, message = error(post(client, "/v1/imports/households", b"hello", token), 400)
    assert code == "UNREADABLE_FILE" and "Không đọc được tệp" in message
    wrong = xlsx([["Họ và tên"], ["Lò Văn Pắn"]])
    code, message = error(post(client, "/v1/imports/households?lang=en", wrong, token), 400)
    assert code == "NO_HEADER" and "Household code" in message
    code, _ = error(post(client, "/v1/imports/households", b"x", token, "application/pdf"), 415)
    assert code == "UNSUPPORTED_MEDIA_TYPE"
    code, _ = error(post(client, "/v1/imports/people", b"x", token), 400)
    assert code == "INVALID_FIELD"


def test_the_templates_are_public_in_xlsx_and_csv(client: Any) -> None:
    response = client.get("/v1/imports/persons/template.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert response.content.startswith(b"PK")
    csv_answer = client.get("/v1/imports/payroll/template.xlsx?format=csv")
    assert csv_answer.status_code == 200
    assert csv_answer.content == template_csv(layout_of("payroll"))
    assert csv_answer.content.startswith(b"\xef\xbb\xbf")
    assert "Số tiền đã nhận" in csv_answer.content.decode("utf-8-sig")


def test_a_list_larger_than_other_requests_may_be_is_accepted(
    client: Any, officers: Officers, village: Village
) -> None:
    rows = [["Mã hộ", "Thôn/bản"]] + [[f"HH-L{i:05d}", "Bản Nà Sản Phìn"] for i in range(4000)]
    data = csv_bytes(rows)
    assert len(data) > 64 * 1024  # the limit of requests other than statements and imports
    token = sign_in(client, officers.keys["registrar"])
    response = post(client, "/v1/imports/households", data, token, "text/csv")
    assert response.status_code == 200, response.text
    assert response.json()["summary"]["statements"] == 4000
