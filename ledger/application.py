"""The ledger application: accepts signed statements, answers questions about them.

Every accepted statement claims the next log index; the claim, the nonce and
the entity events are saved in one transaction. Whoever loses a race for an
index (another process, another connection) gets a conflict from the store,
reloads and tries again, so no statement is lost and indexes stay dense.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, LRUCache
from eventsourcing.persistence import IntegrityError, Mapper, OperationalError, StoredEvent

from ledger.collector import collector_paused
from ledger.domain.acceptance import Accepted, Submission, UnitOfWork
from ledger.domain.charter import CHARTER_ID, Charter, KeyRecord
from ledger.domain.log import LOG_ID, Claim, Entry, Log
from ledger.domain.registry import IdentityReview, Person, pair_id
from ledger.errors import BatchError, Busy, LedgerError, NotOpened, UnknownEntity
from ledger.formats.dsse import SignedStatement
from ledger.formats.vault import SealedRecord, VaultKey, VaultRecord
from ledger.signatures.checks import Checks, KeyOf, Verifier, checking, raise_failure, restart
from ledger.storage.mapper import LedgerMapper
from ledger.storage.recorder import LedgerRecorder
from ledger.storage.settings import (
    CACHE_SIZE,
    is_postgres,
    opening,
    resolve_db,
    settings,
    writer_turns,
)
from ledger.storage.turns import Turn

MAX_ATTEMPTS = 200
PAGE = 1000


EVERY_VERSION = 2**62  # a version no aggregate reaches: read every event, bypassing the cache


class LedgerApplication(Application[UUID]):
    """One commune's ledger, in one database."""

    name = "Ledger"
    env: ClassVar[dict[str, str]] = {}
    recorder: LedgerRecorder

    def __init__(
        self,
        db: str | None = None,
        vault_key: VaultKey | Path | None = None,
        *,
        create: bool = True,
    ) -> None:
        """``vault_key``: the key, or its file; read when first needed (default: from env).

        ``create``: the SQLite file may be new; otherwise a file that does not
        exist is refused (``INVALID_FIELD``) and nothing is made. A database
        that cannot be opened or reached is refused too, naming ``db``.
        """
        self.db = resolve_db(db)
        env = settings(self.db, create=create)
        with opening(self.db):
            super().__init__(env=env)
        self._vault_key = vault_key
        self._head: int | None = None
        self._checks = Checks(postgres=is_postgres(self.db))
        # Told of each submission recorded: (recorded_at, results, submissions), in order.
        self.on_recorded: Callable[[str, list[Accepted], list[Submission]], None] | None = None
        self._turns = writer_turns(self.db, env)  # see _accept

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=LedgerMapper
        )

    def construct_recorder(self) -> LedgerRecorder:
        recorder = super().construct_recorder()
        if not isinstance(recorder, LedgerRecorder):
            raise TypeError(f"{type(recorder).__name__} is not a LedgerRecorder")
        return recorder

    def close(self) -> None:
        if self._turns is not None:
            self._turns.close()
        super().close()

    @property
    def vault_key(self) -> VaultKey:
        if not isinstance(self._vault_key, VaultKey):
            self._vault_key = VaultKey.load(self._vault_key)
        return self._vault_key

    # -- accepting ------------------------------------------------------------
    def submit(self, submission: Submission) -> Accepted:
        """Record one statement (or return the entry it already is)."""
        return self._accept([submission], batch=False)[0]

    def submit_batch(self, submissions: Iterable[Submission]) -> list[Accepted]:
        """Record statements in order, all in one transaction, or none of them.

        ``submissions`` may also be read as they are taken (a generator parsing
        a request's body; whatever it raises is raised here, nothing recorded):
        with the signature helper running, each statement's checks go to it as
        soon as the statement is read, so that it starts while the rest is read.
        """
        if isinstance(submissions, list):
            return self._accept(submissions, batch=True)
        with collector_paused():
            subs, verifier = self._checks.reading(submissions, _signed, self._keys)
            try:
                return self._accept(subs, batch=True, verifier=verifier)
            finally:
                # Freed while the collector is still paused: the first collection
                # after the pause would otherwise walk every one of them.
                del subs, verifier

    def _accept(
        self, subs: list[Submission], *, batch: bool, verifier: Verifier | None = None
    ) -> list[Accepted]:
        """Apply and save until saved; a conflict (another writer was first) starts over.

        Writers take turns, so that none starts over for ever (a large batch,
        slow to apply, beside a server writing all the time): on SQLite each
        attempt is made in the writer's turn; on PostgreSQL, where asking for
        it costs a round trip, the attempts after a conflict.
        """
        signed = [sub.signed for sub in subs]
        if verifier is None:
            verifier = self._checks.choose(signed, self._keys)
        with checking(verifier, signed, batch), Turn(self._turns) as turn:
            return self._attempt(subs, batch, verifier, turn)

    def _attempt(
        self, subs: list[Submission], batch: bool, verifier: Verifier, turn: Turn
    ) -> list[Accepted]:
        strict = False
        for attempt in range(MAX_ATTEMPTS):
            if self._head is None:
                self._refresh()
            assert self._head is not None
            unit = UnitOfWork(
                self.repository,
                self._head,
                strict=strict,
                claim_lookup=self._claim,
                verify=verifier,
            )
            refused = conflict = False
            try:
                results = self._apply(unit, subs, batch, verifier)
                if not unit.staged or (unit.vault and not isinstance(self._vault_key, VaultKey)):
                    # (the vault key is read below: a bad signature is reported first)
                    raise_failure(verifier, batch)
            except LedgerError:
                if strict:
                    raise
                refused = True
            else:
                if not unit.staged:
                    return self._with_leaf_hashes(results)
                sealed = self._seal(unit)
                try:
                    self._save(unit, sealed, lambda: raise_failure(verifier, batch), turn.held)
                except (IntegrityError, OperationalError):
                    conflict = True
                except LedgerError:  # a bad signature, found as the rows were written
                    if strict:
                        raise
                    refused = True
            if refused:
                # Confirm the refusal against fresh state: a fast-mode cache
                # might be behind another writer, or the statement already
                # recorded (an identical resubmission is not an error).
                strict = True
                self._head = None
                continue
            if conflict:
                strict = True
                self._head = None
                if not turn.take():
                    time.sleep(random.uniform(0, min(0.05, 0.001 * 2 ** min(attempt, 6))))
                continue
            self._head += unit.staged
            if self.on_recorded is not None:
                self.on_recorded(unit.recorded_at, results, subs)
            return self._with_leaf_hashes(results)
        raise Busy(f"gave up after {MAX_ATTEMPTS} conflicting attempts; nothing was recorded")

    @staticmethod
    def _apply(
        unit: UnitOfWork, subs: list[Submission], batch: bool, verifier: Verifier
    ) -> list[Accepted]:
        """Each statement through the unit, in order; nothing is saved here.

        A batch's signatures are checked beside the rules, and their results
        collected at the first refusal or once the events are ready to save,
        so that a bad signature is reported for the same statement, ahead of
        the same refusals, as if each had been checked where it is due.
        """
        restart(verifier)
        results = []
        for i, sub in enumerate(subs):
            try:
                results.append(unit.accept(sub))
            except LedgerError as exc:
                raise_failure(verifier, batch, whole_batch=False)
                if batch:
                    raise BatchError(i, exc) from exc
                raise
            except Exception:
                # The rules met a statement whose validation is still going on
                # beside them: if it is invalid, that is the refusal.
                raise_failure(verifier, batch, whole_batch=False)
                raise
        return results

    def _keys(self) -> KeyOf | None:
        """The authors' registered keys (raw) as the charter has them; None if not opened."""
        try:
            charter: Charter = self.repository.get(CHARTER_ID, deepcopy_from_cache=False)
        except AggregateNotFoundError:
            return None
        return charter.raw_key

    def _stored_events(self, unit: UnitOfWork) -> list[StoredEvent]:
        """The unit's new events as the recorder stores them."""
        events: list[Any] = []
        for aggregate in unit.touched.values():
            events += aggregate.collect_events()
        events += unit.events
        return [self.mapper.to_stored_event(event) for event in events]

    def _save(
        self, unit: UnitOfWork, sealed: list[SealedRecord], check: Callable[[], None], in_turn: bool
    ) -> None:
        """The unit's events and vault records in one transaction; ``check`` just before commit.

        ``check`` raises for a bad signature: a batch's checks are settled
        there, so that the helper process goes on with them while the rows
        are written, and the transaction is rolled back if one fails. (What
        Application._record does, less the notifications nothing here reads;
        then the changed aggregates go into the cache, never fast-forwarded.)
        """
        stored = self._stored_events(unit)
        self.recorder.insert_events(
            stored,
            vault_records=sealed,
            nonce_claims=unit.claims,
            before_commit=check,
            in_turn=in_turn,  # (this writer holds the ledger's turn: see PostgresTurns)
        )
        cache = self.repository.cache
        if cache is not None:
            for aggregate in unit.touched.values():
                cache.put(aggregate.id, aggregate)

    def _seal(self, unit: UnitOfWork) -> list[SealedRecord]:
        if not unit.vault:
            return []
        return [self.vault_key.seal(record, unit.recorded_at) for record, _ in unit.vault]

    def _with_leaf_hashes(self, results: list[Accepted]) -> list[Accepted]:
        out = []
        for r in results:
            if not r.leaf_hash:
                r = Accepted(
                    index=r.index, leaf_hash=self.entry(r.index).leaf_hash.hex(), created=False
                )
            out.append(r)
        return out

    def _refresh(self) -> None:
        """Forget cached state; learn the log's size from the store."""
        if self.repository.cache is not None:
            self.repository.cache = LRUCache(maxsize=CACHE_SIZE)
        self._head = self.size()

    def _claim(self, key: bytes) -> Claim | None:
        return self.recorder.nonce_claim(key)

    # -- reading -------------------------------------------------------------
    def size(self) -> int:
        """The number of entries in the log."""
        last = self.recorder.select_events(LOG_ID, desc=True, limit=1)
        return last[0].originator_version if last else 0

    def entries(self, start: int = 0, end: int | None = None) -> Iterator[Entry]:
        """Entries ``start <= index < end`` in index order, read a page at a time."""
        position = start
        while end is None or position < end:
            limit = PAGE if end is None else min(PAGE, end - position)
            page = list(self.events.get(LOG_ID, gt=position, limit=limit))
            if not page:
                return
            for event in page:
                assert isinstance(event, Log.EntryAppended)
                yield Entry(
                    index=event.index, recorded_at=event.recorded_at, envelope=event.envelope
                )
            # Continue after the last entry read, not by the page's length: were
            # an entry missing from the store, the next page must not repeat one
            # (the verifier reports the gap by the indexes themselves).
            position = page[-1].originator_version

    def entry(self, index: int) -> Entry:
        for entry in self.entries(index, index + 1):
            return entry
        raise UnknownEntity(f"index: no entry {index} (the log has {self.size()})", field="index")

    def charter(self, *, fresh: bool = False) -> Charter:
        """The ledger's charter (keys, version followed); ``fresh``: read from the store,
        not this process's cache (which another process's writes do not update)."""
        try:
            charter: Charter = self.repository.get(
                CHARTER_ID, version=EVERY_VERSION if fresh else None
            )
        except AggregateNotFoundError:
            raise NotOpened("no ledger here yet: run `ansinh init` first") from None
        return charter

    def identity_review(self, first: str, second: str) -> IdentityReview | None:
        """The ``identity.reviewed`` decision on two people (either order), if there is one."""
        try:
            review: object = self.repository.get(pair_id(first, second))
        except AggregateNotFoundError:
            return None
        return review if isinstance(review, IdentityReview) else None

    def key_records(self) -> list[KeyRecord]:
        return sorted(self.charter().keys.values(), key=lambda k: k.registered_index)

    # -- the vault -------------------------------------------------------------
    def vault_record(self, person_id: str) -> VaultRecord | None:
        """A person's current personal-data record, or None once erased."""
        try:
            person: Person = self.repository.get(UUID(person_id))
        except (AggregateNotFoundError, ValueError):
            raise UnknownEntity(f"person_id: no person {person_id}", field="person_id") from None
        if not isinstance(person, Person):
            raise UnknownEntity(f"person_id: {person_id} is not a person", field="person_id")
        for sealed in self.recorder.vault_select(person_id):
            if sealed.commitment == person.pii:
                return self.vault_key.open(sealed)
        return None

    def erase_vault(self, person_id: str) -> int:
        """Erase every stored record of a person; the log is untouched."""
        return self.recorder.vault_erase(person_id)


def _signed(sub: Submission) -> SignedStatement:
    return sub.signed
