"""Bảng quyết toán chi trả: a paying agent's settlement imported line by line (docs/formats.md
11.3), all or nothing; by a cashier, naming the file, or signed by the agent's own key."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api import paying_agents, reading
from api.cli.main import app as cli_app
from api.imports.preview import layout_of, parse
from api.imports.templates import template_csv
from ledger.formats.keys import write_key_file
from projections.reports.receipts import receipt_code
from tests.api.http.test_auth import bearer, sign_in
from tests.api.imports.village import xlsx
from tests.conftest import LEDGER_ID, Officers, Story
from tests.support.steps.agents import line_body, send

HEADER = ["STT", "Mã tra cứu", "Họ và tên", "Số tiền", "Kết quả", "Ngày chi trả", "Lý do"]


def _csv(rows: list[list[Any]]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    return text.getvalue().encode()


def _code(benefit_id: str) -> str:
    return receipt_code(LEDGER_ID, benefit_id, "2022-01")


def _preview(story: Story, data: bytes) -> Any:
    read = reading.read_at(reading.Direct(story.app), None)
    return parse("settlement", data, "csv", read, "2022-01")


def _errors(preview: Any) -> list[tuple[int, str]]:
    return [(r.number, e["code"]) for r in preview.rows for e in r.errors]


@pytest.fixture
def lines(story: Story) -> tuple[str, list[str]]:
    """A list of three lines sent to the agent for January 2022: its id and the benefits."""
    benefits = [story.beneficiary()[2] for _ in range(3)]
    return send(story, lines=3, total=3 * 1_624_000), benefits


def test_each_row_becomes_the_line_s_settlement_naming_the_file(
    story: Story, lines: tuple[str, list[str]]
) -> None:
    sending_id, (first, second, third) = lines
    data = _csv(
        [
            [1, _code(first), "Lò Văn Pắn", 1624000, "Đã chi", "08/01/2022", ""],
            [2, _code(second).lower().replace("-", ""), "", 1624000, "Chưa chi", "", "Đi vắng"],
            [3, _code(third), "", 1624000, "Trả lại", "", "Tài khoản đã đóng"],
        ]
    )
    preview = _preview(story, data)
    assert _errors(preview) == []
    source = hashlib.sha256(data).hexdigest()
    settled = [(t, b) for _, t, b in preview.statements if t != "payment.recorded"]
    assert [(t, b["benefit_id"], b["outcome"]) for t, b in settled] == [
        ("payroll.settlement.recorded", first, "paid"),
        ("payroll.settlement.recorded", second, "not_paid"),
        ("payroll.settlement.recorded", third, "returned"),
    ]
    (payment,) = [b for _, t, b in preview.statements if t == "payment.recorded"]
    assert (payment["benefit_id"], payment["month"], payment["method"]) == (
        first,
        "2022-01",
        "post",
    )
    assert (payment["paid_on"], payment["receipt"]) == (
        "2022-01-08",
        {"kind": "signature", "evidence": source},
    )
    first_body = preview.statements[0][2]
    assert first_body == {
        "sending_id": sending_id,
        "benefit_id": first,
        "amount": 1_624_000,
        "outcome": "paid",
        "paid_on": "2022-01-08",
        "source": source,
    }
    assert preview.statements[2][2]["reason"] == "Đi vắng"


def test_a_bad_line_is_named_by_its_row_and_column(
    story: Story, lines: tuple[str, list[str]]
) -> None:
    sending_id, (first, second, _) = lines
    story.submit(story.o.sub("agent", "payroll.settled", line_body(sending_id, second)))
    data = _csv(
        [
            [1, "ZZZZZ-ZZZZZ", "", 1624000, "Đã chi", "08/01/2022", ""],
            [2, _code(first), "", 1624000, "Đã chi", "", ""],
            [3, _code(first), "", 1624000, "Chưa chi", "", ""],
            [4, _code(first), "", 1624000, "Chưa chi", "", ""],
            [5, _code(second), "", 1624000, "Trả lại", "", ""],
            [6, "", "", 1624000, "Đã nhận", "01/12/2021", ""],
        ]
    )
    preview = _preview(story, data)
    assert _errors(preview) == [
        (2, "NOT_A_LINE"),
        (3, "MISSING_VALUE"),  # a paid line says when
        (4, "LINE_SETTLED"),  # row 3 of the file claims it
        (5, "LINE_SETTLED"),
        (6, "LINE_SETTLED"),  # the ledger holds the agent's word on it
        (7, "MISSING_VALUE"),
        (7, "BAD_OUTCOME"),
        (7, "PAID_BEFORE_SENT"),
    ]
    assert {m for r in preview.rows for e in r.errors for m in [e["message"]]} >= {
        f"Cột «Mã tra cứu»: dòng «{_code(first)}» đã có ở dòng 3 của tệp.",
        f"Cột «Mã tra cứu»: dòng «{_code(second)}» đã được quyết toán (paid).",
    }


def test_a_month_no_list_was_sent_for_is_refused_row_by_row(
    story: Story, lines: tuple[str, list[str]]
) -> None:
    read = reading.read_at(reading.Direct(story.app), None)
    data = _csv([[1, _code(lines[1][0]), "", 1624000, "Đã chi", "08/02/2022", ""]])
    preview = parse("settlement", data, "csv", read, "2022-02")
    assert _errors(preview) == [(2, "NO_LIST_SENT")]


def test_the_template_names_the_columns_of_a_settlement() -> None:
    text = template_csv(layout_of("settlement")).decode("utf-8-sig")
    assert text.splitlines()[0].split(",")[:5] == [
        "STT",
        "Mã tra cứu",
        "Mã trợ cấp",
        "Họ và tên",
        "Số tiền",
    ]


@pytest.mark.parametrize(
    ("who", "kind"), [("cashier", "payroll.settlement.recorded"), ("agent", "payroll.settled")]
)
def test_ansinh_import_records_the_settlement_as_the_signer_may(
    story: Story,
    lines: tuple[str, list[str]],
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    who: str,
    kind: str,
) -> None:
    monkeypatch.delenv("ANSINH_DB", raising=False)
    _, (first, second, _) = lines
    sheet = tmp_path / "quyet-toan.csv"
    sheet.write_bytes(
        _csv(
            [
                [1, _code(first), "", 1624000, "Đã chi", "08/01/2022", ""],
                [2, _code(second), "", 1624000, "Chưa chi", "", "Đi vắng"],
            ]
        )
    )
    key = tmp_path / f"{who}.key"
    write_key_file(key, story.o.keys[who])
    args = ["import", str(sheet), "--layout", "settlement", "--key", str(key)]
    result = CliRunner().invoke(cli_app, [*args, "--month", "2022-01", "--db", db_url])
    gc.collect()
    assert result.exit_code == 0, result.output
    # the cashier also records the paid line's payment by post; the agent signs no payment
    assert f"{3 if who == 'cashier' else 2} statements recorded" in result.stdout
    doc = paying_agents.agents_report(
        reading.read_at(reading.Direct(story.app), None), "2022-01-31"
    )
    (row,) = doc["sendings"]
    assert (row["paid_lines"], row["not_paid_lines"]) == (1, 1)
    assert row["signed_by_agent"] == (2 if who == "agent" else 0)
    assert kind in {e for e in _types(story)}


def _types(story: Story) -> set[str]:
    from ledger.domain.base import read_statement

    return {read_statement(e.envelope)["type"] for e in story.app.entries()}


def test_a_cashier_previews_the_settlement_over_http_and_a_registrar_may_not(
    client: Any, officers: Officers, lines: tuple[str, list[str]]
) -> None:
    _, (first, _, _) = lines
    data = _csv([[1, _code(first), "", 1624000, "Đã chi", "08/01/2022", ""]])
    headers = {"Content-Type": "text/csv"}
    token = sign_in(client, officers.keys["cashier"])
    answer = client.post(
        "/v1/imports/settlement?month=2022-01", content=data, headers=headers | bearer(token)
    )
    assert answer.status_code == 200, answer.text
    (row,) = answer.json()["rows"]
    assert row["statements"][0]["type"] == "payroll.settlement.recorded"
    assert row["statements"][0]["body"]["source"] == hashlib.sha256(data).hexdigest()
    token = sign_in(client, officers.keys["registrar"])
    refused = client.post(
        "/v1/imports/settlement?month=2022-01", content=data, headers=headers | bearer(token)
    )
    assert refused.status_code == 403


def test_a_benefit_approved_after_the_list_was_sent_is_no_line_of_it(
    story: Story, lines: tuple[str, list[str]]
) -> None:
    later = story.beneficiary()[2]
    data = _csv([[1, _code(later), "", 1624000, "Đã chi", "08/01/2022", ""]])
    assert _errors(_preview(story, data)) == [(2, "NOT_A_LINE")]


def test_an_xlsx_settlement_with_its_month_above_the_header_imports_too(
    story: Story, lines: tuple[str, list[str]], tmp_path: Path
) -> None:
    sending_id, (first, second, _) = lines
    rows = [
        ["BƯU ĐIỆN HUYỆN SÔNG MÃ"],
        ["BẢNG QUYẾT TOÁN CHI TRẢ"],
        ["Tháng: 01/2022"],
        HEADER,
        [1, _code(first), "Lò Văn Pắn", 1624000, "Đã chi", datetime(2022, 1, 8), ""],
        [2, _code(second), "Quàng Thị Xuân", 1624000, "Trả lại", None, "Sai số tài khoản"],
    ]
    read = reading.read_at(reading.Direct(story.app), None)
    preview = parse("settlement", xlsx(rows), "xlsx", read)
    assert _errors(preview) == []
    assert preview.month == "2022-01"
    assert [
        (b["sending_id"], b["outcome"]) for _, t, b in preview.statements if "outcome" in b
    ] == [
        (sending_id, "paid"),
        (sending_id, "returned"),
    ]
    template = tmp_path / "quyet-toan.xlsx"
    result = CliRunner().invoke(
        cli_app, ["import", "--template", "settlement", "--out", str(template)]
    )
    assert result.exit_code == 0, result.output
    assert template.read_bytes().startswith(b"PK")


def test_a_paid_line_whose_payment_is_recorded_is_acknowledged_not_paid_again(
    story: Story, lines: tuple[str, list[str]]
) -> None:
    _, (first, _, _) = lines
    read = reading.read_at(reading.Direct(story.app), None)
    recipient = read.snap.benefits[first].person_id
    assert recipient is not None
    body = story.payment_body(first, recipient) | {"method": "post"}
    story.submit(story.o.sub("cashier", "payment.recorded", body))
    data = _csv([[1, _code(first), "", 1624000, "Đã chi", "08/01/2022", ""]])
    assert [t for _, t, _ in _preview(story, data).statements] == ["payroll.settlement.recorded"]
