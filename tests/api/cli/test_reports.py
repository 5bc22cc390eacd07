"""Reports: approved lists, payroll, their JSON/CSV/XLSX forms, and `ansinh report`."""

from __future__ import annotations

import base64
import csv
import gc
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from openpyxl import load_workbook
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from api.sheets.report import report_xlsx
from ledger.application import LedgerApplication
from ledger.formats.vault import VaultKey
from ledger.tlog.merkle_log import MerkleLog
from projections.query import snapshot
from projections.reports.export import reconciliation_views, stamp_of, to_csv, to_json
from projections.reports.lists import lists
from projections.reports.payroll import payroll
from projections.reports.receipts import receipt_code
from projections.reports.reconciliation import reconcile
from tests.conftest import Officers, Story, new_id
from tests.projections.verbs import AMOUNT, benefit, died, fund, pay, set_status


@pytest.fixture
def paid(story: Story) -> dict[str, str]:
    """Two beneficiaries of one funded program; January paid to the first only."""
    hid = story.household("Bản Huổi")
    pid = story.person(hid)
    other_hid = story.household("Bản Nà Hát")
    other = story.person(other_hid)
    program = story.program()
    fund(story, program)
    bid = benefit(story, program, person_id=pid)
    other_bid = benefit(story, program, person_id=other, amount=2_000_000)
    payment = pay(story, bid, pid)
    return {"hid": hid, "pid": pid, "other": other, "bid": bid, "other_bid": other_bid} | {
        "program": program,
        "payment": payment,
    }


# -- approved lists --------------------------------------------------------------------
def test_lists_show_the_household_status_in_force_on_the_date(story: Story) -> None:
    poor, near, rejected = story.household("Bản Mé"), story.household("Bản Huổi"), story.household()
    set_status(story, poor, "poor", "2022-01-01")
    set_status(story, near, "near_poor", "2022-01-01")
    set_status(story, near, "not_poor", "2022-03-01")
    _propose_and_reject(story, rejected)
    february = lists(snapshot(story.app), "2022-02-15")["households"]
    assert [(r["household_id"], r["status"], r["village"]) for r in february] == [
        (near, "near_poor", "Bản Huổi"),
        (poor, "poor", "Bản Mé"),
    ]
    march = lists(snapshot(story.app), "2022-03-15")["households"]
    assert [r["household_id"] for r in march] == [poor]
    assert lists(snapshot(story.app), "2021-12-31")["households"] == []


def _propose_and_reject(story: Story, household_id: str) -> None:
    proposal_id = new_id()
    body = {"proposal_id": proposal_id, "household_id": household_id, "status": "poor"}
    body |= {"effective": "2022-01-01", "basis": {"deprivation_count": 1}}
    story.submit(story.o.sub("registrar", "household.status.proposed", body))
    reason = {"proposal_id": proposal_id, "reason": "họp dân không đồng ý"}
    story.submit(story.o.sub("approver", "household.status.rejected", reason))


def test_beneficiary_lists_hold_public_fields_of_benefits_in_force(
    story: Story, paid: dict[str, str]
) -> None:
    unapproved = benefit(story, paid["program"], person_id=paid["pid"], decided=None)
    died(story, paid["other"], "2022-02-10")
    march = lists(snapshot(story.app), "2022-03-01")["beneficiaries"]
    assert [r["benefit_id"] for r in march] == [paid["bid"]]
    (row,) = march
    assert set(row) == {
        "program_id",
        "program_code",
        "program_name",
        "category",
        "village",
        "household_code",
        "benefit_id",
        "amount",
        "start",
        "end",
    }
    assert (row["village"], row["amount"], row["category"]) == ("Bản Huổi", AMOUNT, "meritorious")
    february = lists(snapshot(story.app), "2022-02-01")["beneficiaries"]
    assert {r["benefit_id"] for r in february} == {paid["bid"], paid["other_bid"]}
    assert unapproved not in {r["benefit_id"] for r in february}


# -- payroll --------------------------------------------------------------------------------
def test_payroll_shows_who_is_due_what_what_was_paid_and_by_whom(
    story: Story, paid: dict[str, str]
) -> None:
    sheet = payroll(snapshot(story.app), "2022-01", names={paid["pid"]: "Lò Thị Xuân"})
    rows = {r["benefit_id"]: r for r in sheet["rows"]}
    first, second = rows[paid["bid"]], rows[paid["other_bid"]]
    assert (first["due"], first["paid"], first["status"]) == (AMOUNT, AMOUNT, "paid")
    assert first["payment_ids"] == [paid["payment"]] and first["paid_by"] == ["staff-cashier"]
    assert first["name"] == "Lò Thị Xuân" and second["name"] is None
    assert (second["due"], second["paid"], second["status"]) == (2_000_000, 0, "unpaid")
    assert sheet["holders"] == {"staff-cashier": "Cán bộ cashier"}
    assert sheet["totals"] == {"due": AMOUNT + 2_000_000, "paid": AMOUNT, "unpaid": 2_000_000} | {
        "rows": 2
    }


def test_payroll_lists_a_payment_nobody_was_due_as_not_due(
    story: Story, paid: dict[str, str]
) -> None:
    proposed = benefit(story, paid["program"], person_id=paid["other"], decided=None)
    payment = pay(story, proposed, paid["other"], month="2022-02")
    rows = payroll(snapshot(story.app), "2022-02")["rows"]
    (row,) = [r for r in rows if r["benefit_id"] == proposed]
    assert (row["due"], row["paid"], row["status"], row["payment_ids"]) == (
        0,
        AMOUNT,
        "not_due",
        [payment],
    )


# -- file formats ------------------------------------------------------------------------------
def test_json_is_canonical_and_byte_identical_for_one_snapshot(
    story: Story, paid: dict[str, str]
) -> None:
    snap = snapshot(story.app)
    first = to_json(reconcile(snap, "2022-01", "2022-02"))
    assert first == to_json(reconcile(snapshot(story.app), "2022-01", "2022-02"))
    text = first.decode()
    assert "Chiềng En" in text and "\\u" not in text
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert text.endswith("\n") and text.count("\n") == 1


def _heading_row(sheet: Any) -> list[Any]:
    first = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    return [c.value for c in sheet[first]]


def test_xlsx_has_vietnamese_headings_by_default_and_english_with_lang_en(
    story: Story, paid: dict[str, str]
) -> None:
    doc = reconcile(snapshot(story.app), "2022-01", "2022-01")
    vi = load_workbook(io.BytesIO(report_xlsx("reconciliation", doc, reconciliation_views(doc))))
    assert vi.sheetnames == ["Chương trình", "Theo thôn, bản", "Sai phạm, bất thường"]
    headings = _heading_row(vi["Chương trình"])
    for word in ("Mức hưởng (đ)", "Đã chi (đ)", "Chưa chi (đ)", "Chi thừa (đ)"):
        assert word in headings
    cells = [c for row in vi["Chương trình"].iter_rows() for c in row]
    (funds,) = [c for c in cells if c.value == "Kinh phí nhận (đ)"]
    received = vi["Chương trình"].cell(funds.row + 1, funds.column)
    assert received.value == 100_000_000 and received.number_format == "#,##0"
    english = report_xlsx("reconciliation", doc, reconciliation_views(doc, "en"), "en")
    en = load_workbook(io.BytesIO(english))
    assert en.sheetnames == ["Programs", "By village", "Anomalies"]
    assert "Entitled (VND)" in _heading_row(en["Programs"])
    sheet = en["Anomalies"]
    first = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
    heading = [c.value for c in sheet[first]]
    code, what = heading.index("Code"), heading.index("Anomaly")
    rows = [r for r in sheet.iter_rows(min_row=first + 1, values_only=True) if r[code]]
    assert [(r[code], r[what]) for r in rows][:1] == [("UNPAID_ENTITLEMENT", "Entitlement unpaid")]


def test_xlsx_bytes_are_the_same_for_the_same_snapshot(story: Story, paid: dict[str, str]) -> None:
    doc = reconcile(snapshot(story.app), "2022-01", "2022-02")
    stamp = stamp_of(doc["as_of"]["recorded_at"])
    first = report_xlsx("reconciliation", doc, reconciliation_views(doc))
    time.sleep(1.1)  # zip entries carry the clock, to the second
    assert report_xlsx("reconciliation", doc, reconciliation_views(doc)) == first
    props = load_workbook(io.BytesIO(first)).properties
    assert props.modified == props.created == stamp.replace(tzinfo=None, microsecond=0)


def test_csv_holds_one_table_with_a_byte_order_mark_and_integer_money(
    story: Story, paid: dict[str, str]
) -> None:
    doc = reconcile(snapshot(story.app), "2022-01", "2022-01")
    programs, _villages, funds, _anomalies = reconciliation_views(doc, "en")
    data = to_csv(programs)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Program code,Program,Category,Month,Entitled (VND),Paid (VND)")
    assert f",2022-01,{AMOUNT + 2_000_000},{AMOUNT},2000000,0," in lines[1]
    assert len(lines) == 1 + len(programs.rows)
    assert "Funds" not in data.decode() and "Received (VND)" not in data.decode()
    assert to_csv(funds).decode("utf-8-sig").startswith("Program code,Program,Received (VND)")


# -- the command line ---------------------------------------------------------------------------
class Cli:
    def __init__(self, db_url: str) -> None:
        self.db_url = db_url

    def __call__(self, *args: object, code: int = 0) -> Result:
        result = CliRunner().invoke(cli_app, ["report", *(str(a) for a in args)])
        if self.db_url.startswith("postgresql://"):
            gc.collect()  # close the command's connection pool now
        assert result.exit_code == code, (args, result.output, result.exception)
        return result

    def json(self, *args: object) -> dict:
        doc: dict = json.loads(self(*args, "--format", "json", "--db", self.db_url).stdout)
        return doc


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    for name in ("ANSINH_DB", "ANSINH_VAULT_KEY", "ANSINH_VAULT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return Cli(db_url)


def test_cli_reconciliation_json_names_the_root_and_whether_a_checkpoint_is_signed(
    story: Story, paid: dict[str, str], cli: Cli, tmp_path: Path
) -> None:
    doc = cli.json("reconciliation", "--from", "2022-01", "--to", "2022-02")
    size = story.app.size()
    root = base64.b64encode(MerkleLog(story.app).root(size)).decode()
    assert doc["checkpoint"] == {"tree_size": size, "root": root, "signed": False}
    assert doc["as_of"]["entries"] == size
    assert [a["code"] for a in doc["anomalies"]] == ["UNPAID_ENTITLEMENT"] * 3
    MerkleLog(story.app).issue(Officers().keys["notary"])
    doc = cli.json("reconciliation", "--from", "2022-01", "--to", "2022-02")
    assert doc["checkpoint"]["signed"] is True


def test_cli_as_of_a_count_or_a_time_leaves_out_later_entries(
    story: Story, paid: dict[str, str], cli: Cli
) -> None:
    size = story.app.size()
    recorded_at = story.app.entry(size - 1).recorded_at
    pay(story, paid["other_bid"], paid["other"], amount=2_000_000)
    for as_of in (str(size), recorded_at):
        doc = cli.json("reconciliation", "--from", "2022-01", "--to", "2022-01", "--as-of", as_of)
        assert doc["as_of"]["entries"] == size
        assert [a["benefit_id"] for a in doc["anomalies"]] == [paid["other_bid"]]
    now = cli.json("reconciliation", "--from", "2022-01", "--to", "2022-01")
    assert now["anomalies"] == []


def test_cli_xlsx_writes_a_workbook_and_tables_print_vietnamese(
    story: Story, paid: dict[str, str], cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "doi-soat.xlsx"
    args = ("--from", "2022-01", "--to", "2022-01", "--db", cli.db_url)
    cli("reconciliation", *args, "--format", "xlsx", "--out", out)
    assert load_workbook(out).sheetnames[0] == "Chương trình"
    table = cli("reconciliation", *args).stdout
    assert "Chưa chi" in table and "1.624.000" in table and "Điểm kiểm chứng đã ký" in table
    assert "Sai phạm, bất thường" in table and "UNPAID_ENTITLEMENT" in table
    english = cli("reconciliation", *args, "--lang", "en").stdout
    assert "Unpaid (VND)" in english and "1,624,000" in english
    assert "Lò Thị" not in cli("payroll", "--month", "2022-01", "--db", cli.db_url).stdout
    listed = cli("lists", "--on", "2022-01-31", "--db", cli.db_url).stdout
    assert "Đối tượng hưởng" in listed and "Bản Nà Hát" in listed
    rows = cli("payroll", "--month", "2022-01", "--format", "csv", "--db", cli.db_url).stdout
    assert rows.splitlines()[0].startswith('\ufeffMã chương trình,"Thôn, bản",Mã hộ,Mã nhân khẩu')


def test_cli_vault_key_adds_identities_and_names(
    story: Story, paid: dict[str, str], cli: Cli, tmp_path: Path
) -> None:
    key = tmp_path / "vault.key"
    VaultKey.write(key, b"\x07" * 32)  # the `app` fixture's vault key
    # Every person of the story is registered with the same national id.
    doc = cli.json("reconciliation", "--from", "2022-01", "--to", "2022-01", "--vault-key", key)
    (dup,) = [a for a in doc["anomalies"] if a["code"] == "DUPLICATE_IDENTITY"]
    assert dup["person_id"] == paid["other"] and doc["identities_checked"] is True
    sheet = cli.json("payroll", "--month", "2022-01", "--vault-key", key)
    assert {r["name"] for r in sheet["rows"]} == {"Lò Thị Xuân"}


def test_cli_payroll_rows_carry_the_lookup_code_printed_for_the_beneficiary(
    story: Story, paid: dict[str, str], cli: Cli
) -> None:
    sheet = cli.json("payroll", "--month", "2022-01")
    rows = {r["benefit_id"]: r for r in sheet["rows"]}
    expected = receipt_code(sheet["ledger"]["id"], paid["bid"], "2022-01")
    assert rows[paid["bid"]]["receipt_code"] == expected
    assert rows[paid["other_bid"]]["receipt_code"] != expected
    table = cli("payroll", "--month", "2022-01", "--format", "csv", "--db", cli.db_url).stdout
    heading, *lines = csv.reader(io.StringIO(table.lstrip("\ufeff")))
    column = heading.index("Mã tra cứu")
    assert expected in {line[column] for line in lines}


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("reconciliation", "--from", "2022-13", "--to", "2022-12"), "--from"),
        (("reconciliation", "--from", "2022-01", "--to", "22-02"), "--to"),
        (("reconciliation", "--from", "2022-03", "--to", "2022-01"), "--from"),
        (("reconciliation", "--from", "2022-01", "--to", "2022-01", "--on", "31/01/2022"), "--on"),
        (
            ("reconciliation", "--from", "2022-01", "--to", "2022-01", "--format", "docx"),
            "--format",
        ),
        (("reconciliation", "--from", "2022-01", "--to", "2022-01", "--format", "xlsx"), "--out"),
        (
            ("reconciliation", "--from", "2022-01", "--to", "2022-01", "--as-of", "hôm qua"),
            "--as-of",
        ),
        (("payroll", "--month", "2022-00"), "--month"),
        (("lists", "--lang", "fr"), "--lang"),
        (("lists", "--out", "lists.txt"), "--out"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_option(
    story: Story, cli: Cli, args: tuple[str, ...], option: str
) -> None:
    result = cli(*args, "--db", cli.db_url, code=2)
    assert option in result.output


def test_cli_report_on_a_database_without_a_ledger_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    LedgerApplication(str(empty)).close()  # the tables, and no ledger in them
    result = CliRunner().invoke(cli_app, ["report", "lists", "--db", str(empty)])
    assert result.exit_code == 1
    assert "NOT_OPENED" in result.output
