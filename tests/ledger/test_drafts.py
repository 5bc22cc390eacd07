"""check_draft: a dry run of acceptance that leaves no trace in the ledger or its cache."""

from __future__ import annotations

import pytest

from ledger.application import LedgerApplication
from ledger.drafts import check_draft, statement_types
from ledger.errors import InvalidField
from ledger.formats.vault import VaultKey
from tests.conftest import Story, new_id


def test_a_draft_checked_leaves_its_new_id_free_for_the_statement_itself(story: Story) -> None:
    hid = new_id()
    body = {"household_id": hid, "code": "CE-5", "village": "Bản Mé"}
    size = story.app.size()
    assert check_draft(story.app, "household.registered", body).problems == []
    assert story.app.size() == size
    story.submit(story.o.sub("registrar", "household.registered", body))  # not a duplicate
    again = check_draft(story.app, "household.registered", body).problems
    assert [(p.code, p.field) for p in again] == [("DUPLICATE", "body.household_id")]


def test_a_draft_that_changes_an_entity_leaves_the_stored_one_as_it_was(story: Story) -> None:
    _, _, benefit = story.beneficiary()
    ending = {"benefit_id": benefit, "last_month": "2022-06", "reason": "Chuyển đi"}
    by = story.o.keys["approver"].key_id
    assert check_draft(story.app, "benefit.ended", ending, by=by).problems == []
    assert check_draft(story.app, "benefit.ended", ending, by=by).problems == []  # still approved
    story.submit(story.o.sub("approver", "benefit.ended", ending))
    ended = check_draft(story.app, "benefit.ended", ending, by=by).problems
    assert [p.message for p in ended] == ["body.benefit_id: a ended benefit cannot end"]


def test_an_unknown_type_is_refused_before_anything_is_read(story: Story) -> None:
    with pytest.raises(InvalidField) as caught:
        check_draft(story.app, "househould.registered", {})
    assert caught.value.message.endswith("did you mean household.registered?")


def test_every_type_says_its_roles_and_its_ids_are_among_its_fields() -> None:
    for described in statement_types():
        paths = {f["path"] for f in described["fields"]}
        assert set(described["ids"]) <= paths
        assert {f["path"] for f in described["fields"] if f["id"]} == set(described["ids"])
        assert described["roles"] or described["type"] == "ledger.opened"


def test_a_draft_sees_what_another_process_recorded_after_this_one_cached_it(
    story: Story, db_url: str, vault_key: VaultKey
) -> None:
    """The server's application caches aggregates; a statement recorded through another
    application on the same database (the command line, a second server) must count."""
    _, _, benefit = story.beneficiary()
    ending = {"benefit_id": benefit, "last_month": "2022-06", "reason": "Chuyển đi"}
    by = story.o.keys["approver"].key_id
    server = LedgerApplication(db_url, vault_key=vault_key)
    try:
        assert check_draft(server, "benefit.ended", ending, by=by).problems == []  # now cached
        story.submit(story.o.sub("approver", "benefit.ended", ending))  # the other process
        ended = check_draft(server, "benefit.ended", ending, by=by).problems
        assert [p.message for p in ended] == ["body.benefit_id: a ended benefit cannot end"]
        adopt = {"formats": "1.2"}
        assert check_draft(server, "ledger.formats.adopted", adopt).problems == []
        story.submit(story.o.sub("authority", "ledger.formats.adopted", adopt))
        again = check_draft(server, "ledger.formats.adopted", adopt).problems
        assert [(p.code, p.field) for p in again] == [("RULE_VIOLATION", "body.formats")]
    finally:
        server.close()
