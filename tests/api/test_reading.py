"""The CLI and the HTTP API read the ledger alike: a report as of N entries names people
as the ledger knew them then, whoever draws it, even after their personal data changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from api.reading import Direct, read_at, vault_field
from ledger.errors import InvalidField
from ledger.formats.vault import VaultKey
from tests.api.cli.test_bundle_cli import update_pii
from tests.api.cli.test_reports import Cli
from tests.api.http.test_auth import bearer, sign_in
from tests.api.pages.commune import person
from tests.conftest import Officers, Story
from tests.projections.verbs import benefit, died, fund, pay, set_status

FIRST_ID = "000000000001"  # every person of the story is registered with it


@pytest.fixture
def renamed(story: Story) -> dict[str, Any]:
    """Two people registered with one national id, both paid; then the second's record is
    corrected (``person.pii.updated``): a new name and national id."""
    pid = story.person(story.household("Bản Huổi"))
    other = story.person(story.household("Bản Nà Hát"))
    program = story.program()
    fund(story, program)
    pay(story, benefit(story, program, person_id=pid), pid)
    pay(story, benefit(story, program, person_id=other), other)
    before = story.app.size()
    update_pii(story, other, {"full_name": "Quàng Văn Minh", "national_id": "000000000002"})
    return {"pid": pid, "other": other, "before": before}


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """`ansinh report` on the story's database, with no ledger or key from the environment."""
    for name in ("ANSINH_DB", "ANSINH_VAULT_KEY", "ANSINH_VAULT_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    return Cli(db_url)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    key = tmp_path / "vault.key"
    VaultKey.write(key, b"\x07" * 32)  # the `app` fixture's vault key
    return key


def duplicates(doc: dict[str, Any]) -> list[str]:
    return [a["person_id"] for a in doc["anomalies"] if a["code"] == "DUPLICATE_IDENTITY"]


def test_cli_and_http_reconciliation_as_of_n_name_the_same_people_after_a_pii_update(
    client: Any, officers: Officers, renamed: dict[str, Any], cli: Cli, key_file: Path
) -> None:
    headers = bearer(sign_in(client, officers.keys["inspector"]))
    months = ("--from", "2022-01", "--to", "2022-01", "--vault-key", key_file)
    for as_of, expected in ((renamed["before"], [renamed["other"]]), (None, [])):
        given = () if as_of is None else ("--as-of", as_of)
        by_cli = cli.json("reconciliation", *months, *given)
        params = {"from": "2022-01", "to": "2022-01"} | ({"as_of": as_of} if as_of else {})
        response = client.get("/v1/reports/reconciliation", params=params, headers=headers)
        assert response.status_code == 200, response.text
        by_http = response.json()
        assert by_cli["identities_checked"] is by_http["identities_checked"] is True
        assert duplicates(by_cli) == duplicates(by_http) == expected
        assert by_cli["anomalies"] == by_http["anomalies"]
        same_tree = ("tree_size", "root")
        assert [by_cli["checkpoint"][k] for k in same_tree] == [
            by_http["checkpoint"][k] for k in same_tree
        ]
        # the server signs checkpoints as it runs: one signed between the two reads stays signed
        assert by_http["checkpoint"]["signed"] >= by_cli["checkpoint"]["signed"]


def test_cli_and_http_payroll_as_of_n_give_the_names_the_ledger_held_then(
    client: Any, officers: Officers, renamed: dict[str, Any], cli: Cli, key_file: Path
) -> None:
    headers = bearer(sign_in(client, officers.keys["cashier"]))
    for as_of, name in ((renamed["before"], "Lò Thị Xuân"), (None, "Quàng Văn Minh")):
        given = () if as_of is None else ("--as-of", as_of)
        by_cli = cli.json("payroll", "--month", "2022-01", "--vault-key", key_file, *given)
        params = {"month": "2022-01"} | ({"as_of": as_of} if as_of else {})
        by_http = client.get("/v1/payroll", params=params, headers=headers).json()
        for sheet in (by_cli, by_http):
            names = {r["person_id"]: r["name"] for r in sheet["rows"]}
            assert names == {renamed["pid"]: "Lò Thị Xuân", renamed["other"]: name}
        assert by_cli["rows"] == by_http["rows"]


def test_a_read_as_of_n_opens_the_record_its_snapshot_commits_to(
    story: Story, renamed: dict[str, Any]
) -> None:
    other = renamed["other"]
    then = read_at(Direct(story.app), renamed["before"])
    now = read_at(Direct(story.app), None)
    assert vault_field(then, [other], "national_id") == {other: FIRST_ID}
    assert vault_field(now, [other], "national_id") == {other: "000000000002"}
    assert then.checkpoint["tree_size"] == renamed["before"] == now.checkpoint["tree_size"] - 1


@pytest.mark.parametrize("as_of", ["-1", "yesterday", "9" * 30])
def test_a_read_refuses_an_as_of_that_names_no_point_of_the_log(
    story: Story, renamed: dict[str, Any], as_of: str
) -> None:
    with pytest.raises(InvalidField) as refused:
        read_at(Direct(story.app), as_of)
    assert refused.value.field == "as_of"
    with pytest.raises(InvalidField):
        read_at(Direct(story.app), story.app.size() + 1)


def test_the_api_and_the_pages_name_a_households_head_alive_on_the_day(
    client: Any, story: Story
) -> None:
    household = story.household("Bản Huổi")
    set_status(story, household, "poor", "2022-01-01")
    first = person(story, household, "Lò Văn Pọm")
    person(story, household, "Lò Thị Ọc")  # registered as head after him
    died(story, first, "2022-02-10")
    for day, head in (("2022-02-01", "Lò Văn Pọm"), ("2022-03-01", "Lò Thị Ọc")):
        listed = client.get("/v1/beneficiaries", params={"on": day}).json()["households"]
        assert [h["head_name"] for h in listed] == [head]
        rows = json.loads(client.get("/lists.json", params={"on": day}).content)["rows"]
        assert [r["head"] for r in rows if r["list"] == "households"] == [head]
