"""The server's writer: statements arriving together are recorded together, each answered alone."""

from __future__ import annotations

from concurrent.futures import Future

import pytest

from api.service import GroupCommit, _Pending
from ledger.application import LedgerApplication
from ledger.domain.acceptance import Accepted, Submission
from ledger.errors import UnknownEntity, VaultKeyMissing
from tests.conftest import Story, new_id


def pending(sub: Submission) -> _Pending:
    return _Pending(sub, Future())


def household_sub(story: Story) -> Submission:
    hid = new_id()
    body = {"household_id": hid, "code": f"CE-{hid[:6]}", "village": "Bản Nà"}
    return story.o.sub("registrar", "household.registered", body)


def test_a_refused_statement_in_a_group_gets_its_error_and_the_others_are_recorded(
    story: Story,
) -> None:
    size = story.app.size()
    _, person_id, _ = story.beneficiary()
    good = [household_sub(story) for _ in range(3)]
    bad = story.o.sub("cashier", "payment.recorded", story.payment_body(new_id(), person_id))
    group = [pending(good[0]), pending(bad), pending(good[1]), pending(good[2])]
    GroupCommit(story.app)._record(group)
    with pytest.raises(UnknownEntity):
        group[1].future.result(timeout=0)
    answers = [p.future.result(timeout=0) for p in (group[0], group[2], group[3])]
    first = story.app.size() - 3
    assert [a.index for a in answers] == [first, first + 1, first + 2]
    assert all(a.created for a in answers)
    assert story.app.size() == first + 3 > size


def test_identical_envelopes_in_one_group_share_one_entry(story: Story) -> None:
    sub = household_sub(story)
    group = [pending(sub), pending(sub)]
    GroupCommit(story.app)._record(group)
    one, two = (p.future.result(timeout=0) for p in group)
    assert (one.index, one.created) == (two.index, True) and two.created is False


def test_an_error_about_the_whole_group_reaches_every_statement_of_it(
    story: Story, db_url: str
) -> None:
    keyless = LedgerApplication(db_url, vault_key=None)
    hid = story.household()
    subs = [story.person_sub(hid)[0] for _ in range(2)]
    group = [pending(s) for s in subs]
    size = keyless.size()
    try:
        GroupCommit(keyless)._record(group)
    finally:
        keyless.close()
    for p in group:
        with pytest.raises(VaultKeyMissing):
            p.future.result(timeout=0)
    assert story.app.size() == size


def test_the_writer_answers_after_it_was_closed_and_started_again(story: Story) -> None:
    writer = GroupCommit(story.app)
    first = writer.submit(household_sub(story))
    writer.close()
    second = writer.submit(household_sub(story))
    writer.close()
    assert isinstance(first, Accepted) and second.index == first.index + 1
