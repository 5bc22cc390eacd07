"""Signature checks beside the rules, on another core.

An Ed25519 check costs about as much as everything else a statement needs,
so a submission's signatures are checked beside the rules rather than before
them. Threads cannot do that: libsodium releases the GIL, but a thread has
to win the GIL back after every signature, and while the rules run in Python
it only gets it every few milliseconds (measured: no overlap at all). So the
checks go to a helper process, started once per process by the first large
batch (or :func:`start_helper`), that takes chunks of a submission from the
front, while the main thread, once its own work for the submission is done
(the rules, then writing the rows into the transaction, which commits only
once every check has passed), takes back the chunks not started yet, from
the back; they meet in the middle. A statement submitted on its own is
sent to the helper too, when it is already running (a server starts it):
it arrives as the unit of work opens and is answered by the time the rows
are written (:class:`HelperCheck`).

A batch read as it is recorded (``LedgerApplication.submit_batch`` given a
generator) sends each chunk of checks as soon as it is read, so the helper
starts while the rest is parsed; and its statements, opened with their
validation deferred, are validated by the helper too, just before their
signatures. An invalid statement anywhere in a batch is reported before
anything else, as opening the batch whole would have refused it before any
rule ran (:meth:`DeferredVerifier.first_invalid`).

The helper is :mod:`ledger.signatures.helper` (its protocol:
:mod:`ledger.signatures.protocol`). Whenever it is missing, busy with
another thread's submission, not started yet or broken, the checks simply
run in the main thread: the helper changes speed, never results.

Statements are checked against the key their author had when the submission
began; a statement whose key differs by the time the rules reach it (a key
registered inside the batch) is checked there and then.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

from ledger.errors import BadSignature, LedgerError
from ledger.formats.dsse import PAYLOAD_TYPE, SignedStatement, check_deferred, pae
from ledger.signatures.helper import Job, helper_running, start_helper
from ledger.signatures.protocol import (
    BAD_SIGNATURE,
    CHUNK,
    INVALID_STATEMENT,
    WATCH_S,
    Item,
    check,
)

__all__ = [
    "MIN_BATCH",
    "WATCH_S",
    "BatchVerifier",
    "DeferredVerifier",
    "HelperCheck",
    "helper_running",
    "start_helper",
    "verify_inline",
]

MIN_BATCH = 64


def verify_inline(statement: SignedStatement, public_key: bytes) -> None:
    statement.verify(public_key)


def _bad_signature() -> BadSignature:
    return BadSignature("signature does not verify", field="signatures[0].sig")


class DeferredVerifier(ABC):
    """Signature checks that go on elsewhere while the rules run; results collected later.

    Call it where a statement's signature is due (``verifier(statement, key)``):
    it records the check and returns; :meth:`first_failure` then says which
    recorded check, if any, failed first. One verifier serves every attempt
    at the same submission; :meth:`restart` forgets the recorded checks, not
    the results.
    """

    @abstractmethod
    def __call__(self, statement: SignedStatement, public_key: bytes) -> None: ...

    @abstractmethod
    def restart(self) -> None:
        """A new attempt at the submission: no check is due yet."""

    @abstractmethod
    def first_failure(self, *, whole_batch: bool = True) -> tuple[int, BadSignature] | None:
        """The position and error of the first due check that failed, if any."""

    def first_invalid(self, *, whole_batch: bool = True) -> tuple[int, LedgerError] | None:
        """The position and refusal of the submission's first statement whose
        deferred validation fails (of the whole submission: opening it would
        have refused it before any rule ran), if any."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Stop any helper work on this submission (its results are no longer wanted)."""


class HelperCheck(DeferredVerifier):
    """One statement's signature, sent to the helper as soon as its author's key is known.

    For a statement submitted on its own: the helper checks it (its schema
    first, if its validation was deferred) while this thread opens the unit
    of work, applies the rules, encodes the events and writes the rows; the
    answer is read just before commit. If the helper has not started on it by
    then, it is checked here instead.
    """

    def __init__(self, statement: SignedStatement, public_key: bytes, watch_s: float = 0.0):
        """``watch_s``: see :meth:`ledger.signatures.helper.Job.open`."""
        self._statement = statement
        self._key = public_key
        self._validate = 0 if statement.validated else len(statement.payload)
        payload = pae(PAYLOAD_TYPE, statement.payload)
        self._item = (public_key, payload, statement.signature, self._validate)
        self._due = False
        self._answer: int | None = None
        well_formed = len(statement.signature) == 64 and len(public_key) == 32
        self._job = Job.start([self._item], watch_s) if well_formed else None

    def __call__(self, statement: SignedStatement, public_key: bytes) -> None:
        if statement is not self._statement or public_key != self._key:
            statement.verify(public_key)  # not the check sent ahead (a key changed meanwhile)
            return
        self._due = True

    def restart(self) -> None:
        self._due = False

    def first_invalid(self, *, whole_batch: bool = True) -> tuple[int, LedgerError] | None:
        if not self._validate:
            return None
        if whole_batch:
            self._settle()
        elif self._job is not None:
            self._answer = self._job.received().get(0, [None])[0]
        if self._answer is None or self._answer == INVALID_STATEMENT:
            try:
                check_deferred(self._statement)
            except LedgerError as exc:
                return 0, exc
        return None

    def first_failure(self, *, whole_batch: bool = True) -> tuple[int, BadSignature] | None:
        if not self._due:
            return None
        self._settle()
        return (0, _bad_signature()) if self._answer == BAD_SIGNATURE else None

    def close(self) -> None:
        if self._job is not None:
            self._job.abandon()
            self._job = None

    def _settle(self) -> None:
        if self._answer is None:
            job, self._job = self._job, None
            answers = job.finish(self._check_here) if job is not None else {}
            self._answer = answers[0][0] if 0 in answers else check(*self._item)

    def _check_here(self, chunk: int) -> list[int]:
        return [check(*self._item)]


class BatchVerifier(DeferredVerifier):
    """Checks the signatures of a batch beside the rules; reports failures in order.

    The statements of a batch opened with their validation deferred are
    validated with their signatures, by the helper; :meth:`first_invalid`
    reports the first that fails, before any other refusal.
    """

    def __init__(self, key_of: Callable[[str], bytes | None], watch_s: float = 0.0) -> None:
        """``key_of``: an author's registered key (raw), or None; then :meth:`add` each
        statement of the batch, in order, and :meth:`seal` it. ``watch_s``: see
        :meth:`ledger.signatures.helper.Job.open`."""
        self._key_of = key_of
        self._watch_s = watch_s
        self._position: dict[int, int] = {}  # id(statement): its position in the batch
        self._keys: list[bytes | None] = []  # by position: the key it is checked against
        self._item_of: dict[int, int] = {}  # position: its check in _items
        self._items: list[Item] = []
        self._unvalidated: list[int] = []  # positions whose validation was deferred
        self._statements: list[SignedStatement] = []  # keeps the id()s above valid
        self._answers: list[int | None] = []
        self._due: list[int] = []
        # Streamed to the helper as they are added when it runs; else sent once sealed.
        self._job = Job.open(watch_s) if helper_running() else None

    @classmethod
    def of(
        cls,
        statements: Sequence[SignedStatement],
        key_of: Callable[[str], bytes | None],
        watch_s: float = 0.0,
    ) -> BatchVerifier:
        """The verifier of a batch read already."""
        verifier = cls(key_of, watch_s)
        for statement in statements:
            verifier.add(statement)
        verifier.seal()
        return verifier

    def add(self, s: SignedStatement) -> None:
        """The next statement of the batch."""
        position = len(self._statements)
        self._statements.append(s)
        self._position.setdefault(id(s), position)
        validate = 0 if s.validated else len(s.payload)
        if validate:
            self._unvalidated.append(position)
        key = self._key_of(s.by)
        if key is not None and len(s.signature) == 64 and len(key) == 32:
            self._item_of[position] = len(self._items)
            item = (key, pae(PAYLOAD_TYPE, s.payload), s.signature, validate)
            self._items.append(item)
            self._answers.append(None)
            if self._job is not None and not self._job.add(item):
                self._job = None  # the helper is lost: everything is checked here
        else:
            key = None  # checked where it is due, which also names any problem
        self._keys.append(key)

    def seal(self) -> None:
        """Every statement is added."""
        if self._job is not None:
            if not self._job.close():
                self._job = None
        elif len(self._items) >= MIN_BATCH:
            self._job = Job.start(self._items, self._watch_s)

    def __call__(self, statement: SignedStatement, public_key: bytes) -> None:
        position = self._position.get(id(statement))
        if position is None or self._keys[position] != public_key:
            statement.verify(public_key)
            return
        self._due.append(position)

    def restart(self) -> None:
        """A new attempt at the batch: no check is due yet."""
        self._due.clear()

    def first_invalid(self, *, whole_batch: bool = True) -> tuple[int, LedgerError] | None:
        """The first statement of the batch whose deferred validation fails, if any.

        ``whole_batch``: every check is due by now, so finish the batch's
        (with the helper); otherwise what the helper has not answered yet is
        validated here.
        """
        if not self._unvalidated:
            return None
        if whole_batch:
            self._settle()
        elif self._job is not None:
            self._take(self._job.received())
        for position in self._unvalidated:
            item = self._item_of.get(position)
            if item is None or self._answers[item] in (None, INVALID_STATEMENT):
                try:
                    check_deferred(self._statements[position])
                except LedgerError as exc:
                    return position, exc
        return None

    def first_failure(self, *, whole_batch: bool = True) -> tuple[int, BadSignature] | None:
        """The position and error of the first due check that failed, if any.

        ``whole_batch``: every check is due by now, so finish the batch's
        (with the helper); otherwise only the due ones are completed here.
        """
        if not self._due:
            return None
        if whole_batch:
            self._settle()
        else:
            self._settle_due()
        for position in sorted(self._due):
            if self._answers[self._item_of[position]] == BAD_SIGNATURE:
                return position, _bad_signature()
        return None

    def close(self) -> None:
        """Stop any helper work on this batch (its results are no longer wanted)."""
        if self._job is not None:
            self._job.abandon()
            self._job = None

    def _settle(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            self._take(job.finish(self._check_chunk))
        for i, answer in enumerate(self._answers):
            if answer is None:
                self._answers[i] = check(*self._items[i])

    def _settle_due(self) -> None:
        if self._job is not None:
            self._take(self._job.received())
        for position in self._due:
            i = self._item_of[position]
            if self._answers[i] is None:
                self._answers[i] = check(*self._items[i])

    def _take(self, answers: dict[int, list[int]]) -> None:
        for chunk, codes in answers.items():
            self._answers[chunk * CHUNK : chunk * CHUNK + len(codes)] = codes

    def _check_chunk(self, chunk: int) -> list[int]:
        return [check(*item) for item in self._items[chunk * CHUNK : (chunk + 1) * CHUNK]]
