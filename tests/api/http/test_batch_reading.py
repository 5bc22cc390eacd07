"""A batch read as it is recorded refuses what reading it whole refuses.

A JSON-lines batch is read statement by statement while it is recorded, and
its statements' schemas are checked beside the rules (by the signature
helper, with the signatures). Every answer must be the one the plain way
gives, which opens every line fully before any rule runs: the same code,
field, line and message, and nothing recorded. Statements here are signed
without validation, as an insider's tool could sign them.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.http import wire
from api.http.wire import Batch, read_submissions
from ledger.domain.acceptance import Submission
from ledger.errors import BatchError, LedgerError
from ledger.formats.dsse import make_statement, sign_statement
from ledger.signatures import deferred as signatures
from ledger.signatures import helper as signature_helper
from tests.conftest import Officers, Story, new_id

SIZE = 80  # above MIN_BATCH: the helper takes the batch's checks


def _signed(o: Officers, who: str, statement: dict[str, Any]) -> dict[str, Any]:
    """An envelope of ``statement`` with a good signature, valid or not."""
    return sign_statement(statement, o.keys[who], validate=False)


def _household(o: Officers, who: str = "registrar") -> dict[str, Any]:
    body = {"household_id": new_id(), "code": "CE-1", "village": "Bản Huổi"}
    return make_statement(o.ledger_id, "household.registered", body, o.keys[who].key_id)


def _lines(o: Officers, statements: list[dict[str, Any]], who: str = "registrar") -> list[str]:
    return [json.dumps(_signed(o, who, s)) for s in statements]


def _forge(line: str, donor: str) -> str:
    """The line's envelope with the signature of another envelope by the same key."""
    envelope = json.loads(line)
    envelope["signatures"] = json.loads(donor)["signatures"]
    return json.dumps(envelope)


# Each makes a valid household.registered statement invalid in its own way.
BREAKS = {
    "id not a uuid": lambda s: s["body"].update(household_id="not-a-uuid"),
    "id a number": lambda s: s["body"].update(household_id=12345),
    "id null": lambda s: s["body"].update(household_id=None),
    "unknown body field": lambda s: s["body"].update(comment="x"),
    "missing village": lambda s: s["body"].pop("village"),
    "village a number": lambda s: s["body"].update(village=7),
    "code too long": lambda s: s["body"].update(code="C" * 5000),
    "bad time": lambda s: s.update(at="yesterday"),
    "bad nonce": lambda s: s.update(nonce="zz"),
    "author not a key id": lambda s: s.update(by="someone"),
    "unknown type": lambda s: s.update(type="household.unknown"),
    "other ledger id form": lambda s: s.update(ledger=""),
    "unknown top field": lambda s: s.update(extra=1),
}


def _broken(o: Officers, kind: str) -> dict[str, Any]:
    statement = _household(o)
    BREAKS[kind](statement)
    return statement


def _outcome(exc: LedgerError, numbers: list[int]) -> tuple[str, int, str | None, str]:
    """(code, line, field, message without the line) of a batch's refusal."""
    if isinstance(exc, BatchError):
        return exc.code, numbers[exc.position], exc.cause.field, exc.cause.message
    matched = re.match(r"line (\d+): (.*)", exc.message, re.S)
    assert matched, exc.message
    return exc.code, int(matched.group(1)), exc.field, matched.group(2)


def _read_whole(text: str) -> tuple[list[Submission], list[int]]:
    """The plain way: every line opened, statement validated, before any rule."""
    subs, numbers = [], []
    for n, line in enumerate(text.split("\n"), start=1):
        try:
            obj = json.loads(line)
        except ValueError:
            raise wire.MalformedError(f"line {n}: not valid JSON", field=f"line {n}") from None
        subs.append(wire._submission(obj, n))
        numbers.append(n)
    return subs, numbers


def _plain_outcome(story: Story, text: str) -> tuple[str, int, str | None, str]:
    size = story.app.size()
    numbers: list[int] = []
    with pytest.raises(LedgerError) as refused:
        subs, numbers = _read_whole(text)
        story.app.submit_batch(subs)
    assert story.app.size() == size
    return _outcome(refused.value, numbers)


def _streamed_outcome(story: Story, text: str) -> tuple[str, int, str | None, str]:
    size = story.app.size()
    read = read_submissions(text, json_lines=True)
    assert isinstance(read, Batch)
    with pytest.raises(LedgerError) as refused:
        story.app.submit_batch(read)
    assert story.app.size() == size
    return _outcome(refused.value, read.numbers)


def _same_refusal(story: Story, lines: list[str]) -> tuple[str, int, str | None, str]:
    text = "\n".join(lines)
    plain = _plain_outcome(story, text)
    assert _streamed_outcome(story, text) == plain
    return plain


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_an_invalid_statement_in_a_batch_is_refused_naming_its_line(
    story: Story, verifier_mode: str, kind: str
) -> None:
    o = story.o
    statements = [_household(o) for _ in range(SIZE)]
    statements[70] = _broken(o, kind)
    code, line, field, _ = _same_refusal(story, _lines(o, statements))
    assert (code, line) == ("INVALID_FIELD", 71)
    assert field


def test_an_invalid_statement_comes_before_an_earlier_refusal_of_the_rules(
    story: Story, verifier_mode: str
) -> None:
    o = story.o
    lines = _lines(o, [_household(o) for _ in range(SIZE)])
    lines[5] = _lines(o, [_household(o, who="cashier")], who="cashier")[0]  # ROLE_NOT_ALLOWED
    lines[60] = _lines(o, [_broken(o, "missing village")])[0]
    assert _same_refusal(story, lines)[:3] == ("INVALID_FIELD", 61, "body.village")


def test_an_invalid_statement_comes_before_an_earlier_bad_signature(
    story: Story, verifier_mode: str
) -> None:
    o = story.o
    lines = _lines(o, [_household(o) for _ in range(SIZE + 1)])
    lines[3] = _forge(lines[3], donor=lines.pop())
    lines[75] = _lines(o, [_broken(o, "id not a uuid")])[0]
    assert _same_refusal(story, lines)[:3] == ("INVALID_FIELD", 76, "body.household_id")


def test_an_invalid_statement_comes_before_a_later_line_that_is_not_json(
    story: Story, verifier_mode: str
) -> None:
    o = story.o
    lines = _lines(o, [_household(o) for _ in range(SIZE)])
    lines[10] = _lines(o, [_broken(o, "unknown body field")])[0]
    lines[50] = "{not json"
    assert _same_refusal(story, lines)[:2] == ("INVALID_FIELD", 11)
    lines[10] = _lines(o, [_household(o)])[0]
    assert _same_refusal(story, lines)[:2] == ("MALFORMED", 51)


def test_a_valid_batch_read_as_it_is_recorded_is_recorded_whole(
    story: Story, verifier_mode: str
) -> None:
    o = story.o
    before = story.app.size()
    text = "\n".join(_lines(o, [_household(o) for _ in range(SIZE)]))
    read = read_submissions(text, json_lines=True)
    assert isinstance(read, Batch)
    results = story.app.submit_batch(read)
    assert [r.index for r in results] == list(range(before, before + SIZE))
    assert read.numbers == list(range(1, SIZE + 1))
    again = story.app.submit_batch(_read_whole(text)[0])  # the same statements: no new entry
    assert [r.created for r in again] == [False] * SIZE
    assert [r.leaf_hash for r in again] == [r.leaf_hash for r in results]


EXTRA_REFUSALS = st.sampled_from(["none", "role", "forged", "not json", "replayed nonce"])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    at=st.integers(0, SIZE - 1),
    kind=st.sampled_from(sorted(BREAKS)),
    extra_at=st.integers(0, SIZE - 1),
    extra=EXTRA_REFUSALS,
)
def test_streamed_batches_refuse_as_batches_read_whole_do(
    story: Story, verifier_mode: str, at: int, kind: str, extra_at: int, extra: str
) -> None:
    o = story.o
    statements = [_household(o) for _ in range(SIZE)]
    statements[at] = _broken(o, kind)
    lines = _lines(o, statements)
    if extra_at != at and extra != "none":
        if extra == "role":
            lines[extra_at] = _lines(o, [_household(o, who="cashier")], who="cashier")[0]
        elif extra == "forged":
            lines[extra_at] = _forge(lines[extra_at], donor=_lines(o, [_household(o)])[0])
        elif extra == "not json":
            lines[extra_at] = lines[extra_at][:-1]
        else:
            replay = copy.deepcopy(statements[(extra_at + 1) % SIZE])
            replay["body"]["household_id"] = new_id()
            if (extra_at + 1) % SIZE != at:
                lines[extra_at] = _lines(o, [replay])[0]
    _same_refusal(story, lines)


def test_a_batch_whose_reading_fails_leaves_the_helper_ready_for_the_next(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert signatures.start_helper(wait_s=30), "the signature helper did not start"
    opened: list[bool] = []
    open_job = signature_helper.Job.open

    def spy(watch_s: float = 0.0) -> signature_helper.Job | None:
        job = open_job(watch_s)
        opened.append(job is not None)
        return job

    monkeypatch.setattr(signature_helper.Job, "open", spy)
    o = story.o
    lines = _lines(o, [_household(o) for _ in range(SIZE)])
    lines[40] = "{not json"  # found after 40 statements' checks went to the helper
    assert _streamed_outcome(story, "\n".join(lines))[:2] == ("MALFORMED", 41)
    lines[40] = _lines(o, [_household(o)])[0]
    lines[20] = _forge(lines[20], donor=_lines(o, [_household(o)])[0])
    assert _streamed_outcome(story, "\n".join(lines))[:2] == ("BAD_SIGNATURE", 21)
    del lines[20]
    read = read_submissions("\n".join(lines), json_lines=True)
    assert len(story.app.submit_batch(read)) == SIZE - 1
    assert opened == [True, True, True]  # each batch's checks went to the helper


def _single_outcomes(story: Story, line: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """The refusal of one statement opened whole, then of it read as the server reads it."""
    size = story.app.size()
    with pytest.raises(LedgerError) as whole:
        story.app.submit(wire._submission(json.loads(line), None))
    with pytest.raises(LedgerError) as deferred:
        read = read_submissions(line)  # refused here when the envelope gives it away
        assert isinstance(read, Submission)
        story.app.submit(read)
    assert story.app.size() == size
    return (whole.value.code, whole.value.message), (deferred.value.code, deferred.value.message)


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_an_invalid_statement_on_its_own_is_refused_as_opening_it_would(
    story: Story, verifier_mode: str, kind: str
) -> None:
    o = story.o
    whole, deferred = _single_outcomes(story, _lines(o, [_broken(o, kind)])[0])
    assert deferred == whole
    assert whole[0] == "INVALID_FIELD"


def test_an_invalid_statement_on_its_own_is_refused_before_its_bad_signature(
    story: Story, verifier_mode: str
) -> None:
    o = story.o
    forged = _forge(_lines(o, [_broken(o, "bad time")])[0], donor=_lines(o, [_household(o)])[0])
    whole, deferred = _single_outcomes(story, forged)
    assert deferred == whole
    assert whole[0] == "INVALID_FIELD" and whole[1].startswith("at:")


def test_a_valid_statement_on_its_own_is_validated_by_the_ledger_and_recorded(
    story: Story, verifier_mode: str
) -> None:
    o = story.o
    read = read_submissions(_lines(o, [_household(o)])[0])
    assert isinstance(read, Submission) and not read.signed.validated  # left to the ledger
    before = story.app.size()
    assert story.app.submit(read).index == before
    assert story.app.submit(read).created is False  # the same statement again: the same entry


def test_the_helper_watches_for_the_next_statement_only_beside_an_embedded_database(
    story: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With SQLite the database works in this process and the helper's core is
    # free; a PostgreSQL server on the same machine needs that core.
    assert signatures.start_helper(wait_s=30), "the signature helper did not start"
    asked: list[float] = []
    open_job = signature_helper.Job.open

    def spy(watch_s: float = 0.0) -> signature_helper.Job | None:
        asked.append(watch_s)
        return open_job(watch_s)

    monkeypatch.setattr(signature_helper.Job, "open", spy)
    o = story.o
    one = read_submissions(_lines(o, [_household(o)])[0])
    batch = read_submissions("\n".join(_lines(o, [_household(o) for _ in range(3)])))
    assert isinstance(one, Submission) and isinstance(batch, Batch)
    story.app.submit(one)
    story.app.submit_batch(batch)
    on_postgres = story.app.db.startswith("postgresql://")
    assert asked == [0.0 if on_postgres else signatures.WATCH_S] * 2
