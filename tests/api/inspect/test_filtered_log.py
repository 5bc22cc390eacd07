"""``ansinh log`` with filters: by signer, type, entity or household code, and days."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from zoneinfo import ZoneInfo

from api.inspect.log_filter import signed_day
from tests.api.cli.officer import Cli, household_body, one_line


def _indexes(cli: Cli, *args: object) -> list[int]:
    lines = cli("log", "--json", *args).stdout.splitlines()
    return [json.loads(line)["index"] for line in lines]


def _households(cli: Cli) -> list[dict[str, str]]:
    bodies = [household_body("CE-7"), household_body("CE-8")]
    for body in bodies:
        cli.record("registrar", "household.registered", body)
    return bodies


def test_by_a_holder_lists_only_what_their_keys_signed(commune: Cli) -> None:
    _households(commune)
    assert _indexes(commune, "--by", "staff-registrar") == [4, 5]
    table = commune("log", "--by", "staff-registrar").stdout
    assert "staff-registrar" in table and "staff-approver" not in table


def test_by_a_key_id_prefix_lists_what_that_key_signed(commune: Cli) -> None:
    _households(commune)
    key_id = json.loads((commune.keys / "registrar.pub").read_text())["id"]
    assert _indexes(commune, "--by", key_id[:8]) == [4, 5]


def test_filters_combine_type_and_entity_as_and(commune: Cli) -> None:
    _, second = _households(commune)
    assert _indexes(commune, "--type", "household.registered") == [4, 5]
    assert _indexes(commune, "--entity", second["household_id"]) == [5]
    assert _indexes(commune, "--entity", "ce-7") == [4]  # a household code, any case
    assert _indexes(commune, "--entity", "CE-7", "--type", "key.registered") == []
    assert "(no entry)" in commune("log", "--entity", "CE-7", "--type", "key.registered").stdout


def test_days_bound_the_signed_time_in_the_communes_zone_both_ends_included(
    commune: Cli,
) -> None:
    _households(commune)
    leaves = commune.leaves()
    at = json.loads(base64.b64decode(leaves[4]["envelope"]["payload"]))["at"]
    moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    signed_day = moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()  # the commune's
    assert 4 in _indexes(commune, "--from", signed_day, "--to", signed_day)
    assert _indexes(commune, "--to", "2000-01-01") == []
    assert _indexes(commune, "--from", "2199-01-01") == []


def test_an_unknown_type_is_refused_with_the_nearest_one(commune: Cli) -> None:
    refused = commune("log", "--type", "household.registred", code=1)
    assert "INVALID_FIELD: type:" in refused.stderr
    assert "household.registered" in refused.stderr


def test_a_bad_date_is_refused_naming_the_option(commune: Cli) -> None:
    refused = commune("log", "--from", "2022-02-30", code=1)
    assert one_line(refused.stderr).startswith("INVALID_FIELD: from:")
    refused = commune("log", "--to", "03/2022", code=1)
    assert one_line(refused.stderr).startswith("INVALID_FIELD: to:")
    refused = commune("log", "--from", "2022-03-02", "--to", "2022-03-01", code=1)
    assert "from: 2022-03-02 is after to" in refused.stderr


def test_an_unknown_signer_or_entity_is_refused_naming_it(commune: Cli) -> None:
    refused = commune("log", "--by", "nobody", code=1)
    assert "INVALID_FIELD: by:" in refused.stderr and "staff-registrar" in refused.stderr
    refused = commune("log", "--entity", "CE-404", code=1)
    assert "INVALID_FIELD: entity:" in refused.stderr and "CE-404" in refused.stderr


def test_the_table_lists_every_entry_with_its_signer_in_order(commune: Cli) -> None:
    _households(commune)
    lines = commune("log").stdout.splitlines()
    assert lines[0].split() == ["index", "recorded", "at", "type", "by", "signed", "at"]
    indexes = [int(line.split()[0]) for line in lines[2:]]
    assert indexes == list(range(6))
    assert lines[2 + 4].split()[2:4] == ["household.registered", "staff-registrar"]


def test_a_signed_day_is_the_communes_day_not_utcs() -> None:
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    assert signed_day("2022-03-01T16:59:59Z", zone, {}) == "2022-03-01"
    assert signed_day("2022-03-01T17:00:00Z", zone, {}) == "2022-03-02"
    assert signed_day("2022-03-01T17:00:00Z", None, {}) == "2022-03-01"
