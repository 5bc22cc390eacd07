"""Where a submission's signatures are checked: inline, or beside the rules.

A large batch's go to the helper process (started by the first one). A
statement on its own goes there too when the helper is already running (a
server starts it): the check then overlaps the rules and the writing of the
rows. A small batch is checked inline (:mod:`ledger.signatures.deferred`).

Whatever the checker, the refusals are the same, in the same order: an
invalid statement first (opening it would have refused it before any rule
ran), then the first bad signature, ahead of the refusals of the rules for
the same statement.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from ledger.collector import collector_paused
from ledger.errors import BatchError, LedgerError
from ledger.formats.dsse import SignedStatement, check_deferred
from ledger.signatures.deferred import (
    MIN_BATCH,
    WATCH_S,
    BatchVerifier,
    DeferredVerifier,
    HelperCheck,
    helper_running,
    verify_inline,
)

Verifier = Callable[[SignedStatement, bytes], None]
KeyOf = Callable[[str], bytes | None]
"""An author's registered key (raw), or None."""
Keys = Callable[[], KeyOf | None]
"""The registered keys; None for a ledger not opened yet (asked only when needed)."""
T = TypeVar("T")


class Checks:
    """How one ledger object checks the signatures of its submissions.

    ``postgres``: the helper then never watches for the next statement
    before it sleeps, since a PostgreSQL server on the same machine may need
    its core.
    """

    def __init__(self, *, postgres: bool) -> None:
        self.watch_s = 0.0 if postgres else WATCH_S

    def choose(self, signed: Sequence[SignedStatement], keys: Keys) -> Verifier:
        """The checker of statements already read: inline, or beside the rules."""
        single = len(signed) == 1 and helper_running()
        if len(signed) < MIN_BATCH and not single:
            return verify_inline
        key_of = keys()
        if key_of is None:
            return verify_inline
        if single:
            key = key_of(signed[0].by)
            if key is None:
                return verify_inline  # refused by the rules, which word why
            return HelperCheck(signed[0], key, self.watch_s)
        return BatchVerifier.of(list(signed), key_of, self.watch_s)

    def reading(
        self,
        items: Iterable[T],
        signed_of: Callable[[T], SignedStatement],
        keys: Keys,
    ) -> tuple[list[T], Verifier]:
        """Take every item, streaming its checks to the helper if it runs."""
        key_of = keys()
        if key_of is None or not helper_running():
            taken = list(items)
            return taken, self.choose([signed_of(item) for item in taken], lambda: key_of)
        verifier = BatchVerifier(key_of, self.watch_s)
        taken = []
        try:
            for item in items:
                taken.append(item)
                verifier.add(signed_of(item))
        except BaseException:
            verifier.close()
            raise
        verifier.seal()
        return taken, verifier


@contextmanager
def checking(verifier: Verifier, signed: Sequence[SignedStatement], batch: bool) -> Iterator[None]:
    """The block in which ``verifier`` checks ``signed``; closed after it.

    Checked inline, statements opened with their validation deferred are
    validated first, before any rule, as opening them would have.
    """
    if not isinstance(verifier, DeferredVerifier):
        validate_deferred(signed, batch)
        yield
        return
    try:
        if len(signed) < MIN_BATCH:
            yield
        else:
            with collector_paused():
                yield
    finally:
        verifier.close()


def restart(verifier: Verifier) -> None:
    """Before the statements are applied again (after a conflict or a refusal)."""
    if isinstance(verifier, DeferredVerifier):
        verifier.restart()


def raise_failure(verifier: Verifier, batch: bool, *, whole_batch: bool = True) -> None:
    """Refuse the submission if a check done beside the rules has failed.

    First for an invalid statement anywhere in it (opening it would have
    refused that before any rule ran), then for its first bad signature so far.
    """
    if isinstance(verifier, DeferredVerifier):
        failure: tuple[int, LedgerError] | None = verifier.first_invalid(whole_batch=whole_batch)
        if failure is None:
            failure = verifier.first_failure(whole_batch=whole_batch)
        if failure is not None:
            if batch:
                raise BatchError(*failure) from failure[1]
            raise failure[1]


def validate_deferred(signed: Sequence[SignedStatement], batch: bool) -> None:
    """Validate, in order, the statements opened with their validation deferred."""
    for i, s in enumerate(signed):
        if not s.validated:
            try:
                check_deferred(s)
            except LedgerError as exc:
                if batch:
                    raise BatchError(i, exc) from exc
                raise
