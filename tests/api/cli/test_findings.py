"""`ansinh report reconciliation` findings on the command line, and `ansinh history` by
household code, person code or national id."""

from __future__ import annotations

import csv
import gc
import io
import json
import stat
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli.main import app as cli_app
from ledger.formats.vault import VaultKey
from projections.query import snapshot
from tests.conftest import Story
from tests.projections.verbs import AMOUNT, benefit, died, fund, pay


class Run:
    def __init__(self, db_url: str, directory: Path) -> None:
        self.db_url = db_url
        self.vault_key = directory / "vault.key"
        VaultKey.write(self.vault_key, b"\x07" * 32)  # the `app` fixture's vault key

    def __call__(self, *args: object, code: int = 0) -> Result:
        result = CliRunner().invoke(cli_app, [*(str(a) for a in args), "--db", self.db_url])
        if self.db_url.startswith("postgresql://"):
            gc.collect()  # close the command's connection pool now
        assert result.exit_code == code, (args, result.output, result.exception)
        return result


@pytest.fixture
def run(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    for name in ("ANSINH_DB", "ANSINH_VAULT_KEY", "ANSINH_VAULT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return Run(db_url, tmp_path)


@pytest.fixture
def after_death(story: Story) -> dict[str, str]:
    """A beneficiary who died in January, paid for February; a second household."""
    hid = story.household("Bản Nà Hát")
    pid = story.person(hid)
    other = story.household("Bản Mé")
    story.person(other)
    program = story.program()
    fund(story, program)
    bid = benefit(story, program, person_id=pid, end="2022-02")
    pay(story, bid, pid, month="2022-01")
    died(story, pid, "2022-01-20")
    payment = pay(story, bid, pid, month="2022-02", paid_on="2022-01-15")
    snap = snapshot(story.app)
    code = snap.households[hid].code
    return {"hid": hid, "pid": pid, "bid": bid, "payment": payment, "code": code} | {
        "other": other,
        "other_code": snap.households[other].code,
    }


RECONCILE = ("report", "reconciliation", "--from", "2022-01", "--to", "2022-02")


def test_the_table_prints_each_finding_in_vietnamese_with_the_commands_to_check_it(
    run: Run, after_death: dict[str, str]
) -> None:
    table = run(*RECONCILE).stdout
    assert "Chi cho tháng 02/2022 sau khi đối tượng mất (01/2022)" in table
    assert f"Mã hộ                 {after_death['code']}" in table
    assert "Bản Nà Hát" in table and "1.624.000" in table
    assert "Kiểm chứng" in table and f"ansinh history {after_death['code']}/1" in table
    assert "ansinh proof inclusion --index" in table
    english = run(*RECONCILE, "--lang", "en").stdout
    assert "beneficiary died in 2022-01; paid for 2022-02" in english and "Verify" in english


def test_the_csv_leads_with_the_household_code_and_amounts_not_uuids(
    run: Run, after_death: dict[str, str]
) -> None:
    text = run(*RECONCILE, "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text)))
    title = rows.index(["Sai phạm, bất thường"])
    heading, row = rows[title + 1 : title + 3]
    cells = dict(zip(heading, row, strict=True))
    leading = ["Mã phát hiện", "Mã", "Sai phạm, bất thường", "Thôn, bản", "Mã hộ", "Nhân khẩu"]
    assert heading[:6] == leading
    code = after_death["code"]
    assert cells["Mã hộ"] == code and cells["Nhân khẩu"] == f"{code}/1"
    assert (cells["Phải chi (đ)"], cells["Đã chi (đ)"], cells["Chênh lệch (đ)"]) == (
        "0",
        str(AMOUNT),
        str(AMOUNT),
    )
    assert heading.index("Mã chi trả") > heading.index("Kiểm chứng")  # the ids trail
    assert "Họ và tên" not in heading  # names only with the vault key


def test_the_vault_key_names_the_person_of_each_finding_in_a_private_file(
    run: Run, after_death: dict[str, str], tmp_path: Path
) -> None:
    doc = json.loads(run(*RECONCILE, "--format", "json", "--vault-key", run.vault_key).stdout)
    (death,) = [a for a in doc["anomalies"] if a["code"] == "PAID_AFTER_DEATH"]
    assert death["name"] == "Lò Thị Xuân"
    out = tmp_path / "doi-soat.csv"
    run(*RECONCILE, "--format", "csv", "--out", out, "--vault-key", run.vault_key)
    assert "Họ và tên" in out.read_text() and "Lò Thị Xuân" in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_history_takes_a_household_code_and_lists_its_members(
    run: Run, after_death: dict[str, str]
) -> None:
    by_code = run("history", after_death["code"]).stdout
    assert "household.registered" in by_code and "person.registered" in by_code
    assert "members" in by_code and f"{after_death['code']}/1" in by_code
    assert after_death["pid"] in by_code
    lines = run("history", after_death["code"], "--json").stdout.splitlines()
    types = [json.loads(line)["statement"]["type"] for line in lines]
    assert types[:2] == ["household.registered", "person.registered"]


def test_history_takes_a_person_code_with_their_benefits_and_payments(
    run: Run, after_death: dict[str, str]
) -> None:
    lines = run("history", f"{after_death['code']}/1", "--json").stdout.splitlines()
    types = [json.loads(line)["statement"]["type"] for line in lines]
    assert types == [
        "person.registered",
        "benefit.proposed",
        "benefit.approved",
        "payment.recorded",
        "person.died",
        "payment.recorded",
    ]


def test_history_takes_a_national_id_only_with_the_vault_key(
    run: Run, after_death: dict[str, str]
) -> None:
    # Every person of the story is registered with national id 000000000001: the first wins.
    found = run("history", "000000000001", "--vault-key", run.vault_key, "--json").stdout
    assert json.loads(found.splitlines()[0])["statement"]["body"]["person_id"] == after_death["pid"]
    refused = run("history", "000000000001", code=1)
    assert "INVALID_FIELD" in refused.output and "entity_id" in refused.output


def test_history_of_a_code_that_names_nothing_exits_1_naming_the_argument(
    run: Run, after_death: dict[str, str]
) -> None:
    for unknown in ("CE-99-999", f"{after_death['code']}/9"):
        result = run("history", unknown, code=1)
        assert "INVALID_FIELD: entity_id:" in result.output and unknown in result.output


def test_history_help_says_what_a_code_shows(run: Run) -> None:
    result = CliRunner().invoke(cli_app, ["history", "--help"])
    text = " ".join(result.output.split())
    assert "CE-10-001/2" in text and "members" in text and "national id" in text
