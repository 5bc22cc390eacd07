"""``ansinh formats``: a 1.1 ledger adopts FORMATS 1.2, once, then records identity reviews."""

from __future__ import annotations

import base64
import json

from tests.api.cli.officer import RECORD, Cli, one_line, opts


def test_a_ledger_adopts_1_2_once_and_then_records_an_identity_review(commune: Cli) -> None:
    first, _ = commune.person(RECORD)
    second, _ = commune.person(RECORD)
    review = {
        "person_id": first,
        "other_person_id": second,
        "outcome": "same_person",
        "basis": "Cùng số căn cước",
    }
    signed = commune.write(commune.sign("approver", "identity.reviewed", review))
    refused = commune.submit(signed, code=1)
    assert one_line(refused.stderr).startswith(
        "INVALID_FIELD: type: identity.reviewed needs FORMATS 1.2; this ledger follows FORMATS 1.1"
    )
    assert commune("formats", "show").stdout.strip() == "1.1"
    admin = commune.key("authority")
    adopted = commune("formats", "adopt", "1.2", *opts(admin_key=admin))
    assert "FORMATS 1.2 adopted" in adopted.stdout
    assert commune("formats", "show").stdout.strip() == "1.2"
    again = commune("formats", "adopt", "1.2", *opts(admin_key=admin), code=1)
    assert one_line(again.stderr).startswith(
        "RULE_VIOLATION: body.formats: this ledger already follows FORMATS 1.2"
    )
    commune.submit(signed)
    assert [leaf["type"] for leaf in map(_statement, commune.leaves()[-2:])] == [
        "ledger.formats.adopted",
        "identity.reviewed",
    ]


def test_an_unknown_version_is_refused_naming_body_formats(commune: Cli) -> None:
    result = commune("formats", "adopt", "2.0", *opts(admin_key=commune.key("authority")), code=1)
    assert one_line(result.stderr).startswith("INVALID_FIELD: body.formats:")


def _statement(leaf: dict) -> dict:
    return dict(json.loads(base64.b64decode(leaf["envelope"]["payload"])))


def test_the_duplicates_queue_shows_each_suspected_pair_and_its_decision(commune: Cli) -> None:
    first, _ = commune.person(RECORD)
    second, _ = commune.person(RECORD)  # the same national id and name
    vault = commune.key("vault")
    (row,) = json.loads(commune("report", "duplicates", "--json", *opts(vault_key=vault)).stdout)
    assert (row["person_id"], row["first_person_id"]) == (second, first)
    assert (row["why"], row["decision"]) == ("national_id", None)
    listed = commune("report", "duplicates", *opts(vault_key=vault)).stdout
    assert "1 of 1 pairs to review" in listed
    commune("formats", "adopt", "1.2", *opts(admin_key=commune.key("authority")))
    review = {
        "person_id": second,
        "other_person_id": first,
        "outcome": "different_people",
        "basis": "Hai người khác nhau, số căn cước nhập nhầm",
    }
    commune.record("approver", "identity.reviewed", review)
    (row,) = json.loads(commune("report", "duplicates", "--json", *opts(vault_key=vault)).stdout)
    assert row["decision"] == "different_people"
    shown = commune("report", "duplicates", *opts(vault_key=vault)).stdout
    assert "0 of 1 pairs to review" in shown
    assert RECORD["national_id"] not in shown and RECORD["full_name"] not in shown
