"""The shortcuts acceptance takes for speed give the results the plain ways give.

Events built directly, written by the ledger's mapper, envelopes opened by
the orjson fast path, signatures checked by the batch verifier (with its
helper process or without): each is compared with the plain eventsourcing or
reference way on the same input.
"""

from __future__ import annotations

import base64
import json

import pytest
from eventsourcing.persistence import Mapper

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.errors import LedgerError
from ledger.formats import dsse
from ledger.signatures import deferred as signatures
from ledger.signatures import helper as signature_helper
from tests.conftest import Officers, Story, new_id


def _busy_story(story: Story) -> None:
    """One of most kinds of statement, so every kind of event is stored."""
    _, pid, bid = story.beneficiary()
    story.pay(bid, pid)
    payment_id = new_id()
    story.pay(bid, pid, payment_id=payment_id, month="2022-02")
    story.submit(
        story.o.sub("cashier", "payment.reversed", {"payment_id": payment_id, "reason": "nhầm"})
    )
    story.submit(story.o.sub("registrar", "person.died", {"person_id": pid, "date": "2022-03-01"}))
    story.submit(
        story.o.sub(
            "authority",
            "key.revoked",
            {"key_id": story.o.keys["inspector"].key_id, "reason": "nghỉ hưu"},
        )
    )


def test_stored_events_are_what_the_stock_mapper_writes(story: Story) -> None:
    _busy_story(story)
    app = story.app
    stock = Mapper(transcoder=app.mapper.transcoder)
    stored = app.recorder.select_notifications(start=1, limit=10_000)
    assert len(stored) == 2 * app.size()  # the log entry, the entity's event
    for record in stored:
        event = app.mapper.to_domain_event(record)
        again = stock.to_stored_event(event)
        assert (again.topic, again.state) == (record.topic, record.state)
        assert app.mapper.to_stored_event(event).state == record.state


def test_entities_built_directly_equal_entities_replayed(story: Story) -> None:
    _busy_story(story)
    app = story.app
    cache = app.repository.cache
    assert cache is not None
    for entity_id, link in list(cache.cache.items()):
        cached = link[3]
        replayed = app.repository.get(entity_id, version=cached.version)
        assert vars(replayed) == vars(cached), type(cached).__name__


@pytest.mark.parametrize(
    "payload",
    [
        b'{"a":1}',
        b'{"a": 1}',
        b'{"a":1.0}',
        b'{"a":1e16}',
        b'{"a":18446744073709551616}',
        b'{"a":1,"a":2}',
        b'{"a":"\\ud800"}',
        b'{"a":NaN}',
        b'"text"',
        b"\xff",
        b"[1,2]",
    ],
)
def test_the_fast_payload_check_refuses_as_the_reference_does(payload: bytes) -> None:
    outcomes = []
    for check in (lambda p: dsse._statement(p)[0], dsse._statement_reference):
        try:
            outcomes.append(("accepted", check(payload)))
        except LedgerError as exc:
            outcomes.append((exc.code, exc.message))
    assert outcomes[0] == outcomes[1]


def test_a_valid_statement_takes_the_fast_way_to_the_same_result(officers: Officers) -> None:
    envelope = officers.envelope(
        "registrar", "household.registered", {"household_id": new_id(), "code": "A", "village": "B"}
    )
    payload = base64.b64decode(envelope["payload"])
    assert dsse._statement(payload) == (dsse._statement_reference(payload), True)
    signed = dsse.open_envelope(json.loads(json.dumps(envelope)))
    assert signed.canonical == dsse.leaf_json(envelope)
    assert dict(signed.envelope) == envelope


def _households(story: Story, count: int, who: str = "registrar") -> list[Submission]:
    return [
        story.o.sub(
            who, "household.registered", {"household_id": new_id(), "code": f"H{i}", "village": "B"}
        )
        for i in range(count)
    ]


def _forged(story: Story, sub: Submission, donor: Submission | None = None) -> Submission:
    """``sub`` carrying the signature of another statement by the same key."""
    envelope = dict(sub.signed.envelope)
    other = (donor or _households(story, 1)[0]).signed.envelope
    envelope["signatures"] = [dict(other["signatures"][0])]
    return Submission(dsse.open_envelope(envelope))


LARGE = 3 * signatures.MIN_BATCH


def _refusal(app: LedgerApplication, batch: list[Submission]) -> tuple[str, str]:
    size = app.size()
    with pytest.raises(LedgerError) as err:
        app.submit_batch(batch)
    assert app.size() == size
    return err.value.code, err.value.message.split(":")[0]


def test_a_bad_signature_in_a_large_batch_is_named(story: Story, verifier_mode: str) -> None:
    batch = _households(story, LARGE)
    batch[70] = _forged(story, batch[70])
    assert _refusal(story.app, batch) == ("BAD_SIGNATURE", "batch item 70")


def test_a_bad_signature_comes_before_a_later_refusal(story: Story, verifier_mode: str) -> None:
    batch = _households(story, LARGE)
    batch[70] = _forged(story, batch[70])
    batch[90] = _households(story, 1, who="cashier")[0]
    assert _refusal(story.app, batch) == ("BAD_SIGNATURE", "batch item 70")


def test_an_earlier_refusal_comes_before_a_bad_signature(story: Story, verifier_mode: str) -> None:
    batch = _households(story, LARGE)
    batch[30] = _households(story, 1, who="cashier")[0]
    batch[70] = _forged(story, batch[70])
    assert _refusal(story.app, batch) == ("ROLE_NOT_ALLOWED", "batch item 30")


def test_a_bad_signature_leaves_no_vault_record_behind(story: Story, verifier_mode: str) -> None:
    # The batch's rows, vault records included, are written before its last
    # signature checks are settled; a failure there rolls all of them back.
    household = story.household()
    person, record = story.person_sub(household)
    batch = [person, *_households(story, LARGE)]
    batch[-1] = _forged(story, batch[-1])
    assert _refusal(story.app, batch) == ("BAD_SIGNATURE", f"batch item {LARGE}")
    recorder = story.app.recorder
    assert [r for r in recorder.vault_all() if r.person_id == record.person_id] == []
    with pytest.raises(LedgerError):
        story.app.vault_record(record.person_id)  # no such person either


def test_a_large_batch_is_recorded_whole(story: Story, verifier_mode: str) -> None:
    # A key registered inside the batch signs later statements of the batch.
    before = story.app.size()
    batch = [
        *_households(story, LARGE // 2),
        story.o.register("registrar2"),
        *_households(story, LARGE // 2, who="registrar2"),
    ]
    results = story.app.submit_batch(batch)
    assert [r.index for r in results] == list(range(before, before + len(batch)))
    again = story.app.submit_batch(batch)
    assert [r.leaf_hash for r in again] == [r.leaf_hash for r in results]
    assert [e.leaf_hash.hex() for e in story.app.entries(before)] == [r.leaf_hash for r in results]


def test_batches_are_still_checked_when_the_helper_process_dies(story: Story) -> None:
    assert signatures.start_helper(wait_s=30), "the signature helper did not start"
    helper = signature_helper.Helper._current  # the process itself, to kill it
    assert helper is not None
    helper.process.kill()
    helper.process.wait()
    batch = _households(story, LARGE)
    batch[5] = _forged(story, batch[5])
    assert _refusal(story.app, batch) == ("BAD_SIGNATURE", "batch item 5")
    del batch[5]
    assert len(story.app.submit_batch(batch)) == len(batch)
    assert signatures.start_helper(wait_s=30)  # a new one replaces it
    assert len(story.app.submit_batch(_households(story, LARGE))) == LARGE


def _single_refusal(app: LedgerApplication, sub: Submission) -> str:
    size = app.size()
    with pytest.raises(LedgerError) as err:
        app.submit(sub)
    assert app.size() == size
    return err.value.code


@pytest.fixture
def helper_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The helper is running; each entry: a single statement's check was sent to it."""
    assert signatures.start_helper(wait_s=30), "the signature helper did not start"
    sent: list[bool] = []
    start = signature_helper.Job.start

    def spy(
        items: list[signature_helper.Item], watch_s: float = 0.0
    ) -> signature_helper.Job | None:
        job = start(items, watch_s)
        if len(items) == 1:
            sent.append(job is not None)
        return job

    monkeypatch.setattr(signature_helper.Job, "start", spy)
    return sent


def test_a_single_statement_is_checked_by_the_running_helper(
    story: Story, helper_checks: list[bool]
) -> None:
    before = story.app.size()
    accepted = [story.app.submit(sub) for sub in _households(story, 5)]
    assert [a.index for a in accepted] == list(range(before, before + 5))
    assert helper_checks == [True] * 5


def test_a_single_statement_with_a_bad_signature_is_refused_by_the_helper(
    story: Story, helper_checks: list[bool]
) -> None:
    forged = _forged(story, _households(story, 1)[0])
    assert _single_refusal(story.app, forged) == "BAD_SIGNATURE"
    assert helper_checks == [True]


def test_a_single_bad_signature_is_named_before_what_the_rules_refuse(
    story: Story, verifier_mode: str
) -> None:
    # An unknown benefit is found after the signature was due: the bad
    # signature is what the officer is told, as when checked inline.
    _, person_id, _ = story.beneficiary()

    def payment() -> Submission:
        body = {
            "payment_id": new_id(),
            "benefit_id": new_id(),
            "month": "2022-01",
            "amount": 1_624_000,
            "paid_on": "2022-01-10",
            "method": "cash",
            "recipient": person_id,
            "receipt": {"kind": "signature", "evidence": "ab" * 32},
        }
        return story.o.sub("cashier", "payment.recorded", body)

    unknown_benefit = payment()
    assert _single_refusal(story.app, unknown_benefit) == "UNKNOWN_ENTITY"
    forged = _forged(story, unknown_benefit, donor=payment())
    assert _single_refusal(story.app, forged) == "BAD_SIGNATURE"


def test_single_statements_are_still_checked_when_the_helper_process_dies(story: Story) -> None:
    assert signatures.start_helper(wait_s=30), "the signature helper did not start"
    helper = signature_helper.Helper._current
    assert helper is not None
    helper.process.kill()
    helper.process.wait()
    households = _households(story, 3)
    assert _single_refusal(story.app, _forged(story, households[0])) == "BAD_SIGNATURE"
    assert [story.app.submit(sub).created for sub in households] == [True, True, True]
    assert signatures.start_helper(wait_s=30)  # a new one replaces it
