"""Any mix of accepted and refused submissions keeps the log's indexes dense."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.application import LedgerApplication
from ledger.domain.acceptance import Submission
from ledger.errors import LedgerError
from ledger.formats.vault import VaultKey
from tests.conftest import Officers, Story, new_id
from tests.ledger.domain.refusals import refused

OFFICERS = Officers()


@contextmanager
def fresh_story() -> Iterator[Story]:
    """A new opened ledger in its own SQLite file (hypothesis cannot reuse fixtures)."""
    with tempfile.TemporaryDirectory(prefix="ansinh-prop-") as directory:
        app = LedgerApplication(
            str(Path(directory) / "ledger.db"), vault_key=VaultKey(b"\x07" * 32)
        )
        try:
            app.submit(OFFICERS.opened())
            for name in ("registrar", "approver", "cashier"):
                app.submit(OFFICERS.register(name))
            yield Story(app, OFFICERS)
        finally:
            app.close()


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("household"), st.booleans()),
        st.tuples(st.just("payment"), st.booleans()),
        st.tuples(st.just("replay"), st.integers(0, 50)),
        st.tuples(st.just("reuse_nonce"), st.integers(0, 50)),
        st.tuples(st.just("batch"), st.lists(st.booleans(), min_size=1, max_size=3)),
    ),
    max_size=10,
)


@settings(max_examples=25, deadline=None)
@given(actions=ACTIONS)
def test_any_mix_of_valid_and_invalid_submissions_keeps_indexes_dense(
    actions: list[tuple[str, Any]],
) -> None:
    with fresh_story() as s:
        _, pid, bid = s.beneficiary()
        accepted: list[Submission] = []
        expected = s.app.size()

        def household(valid: bool) -> Submission:
            body = {"household_id": new_id(), "code": "H", "village": "Bản Mé"}
            return s.o.sub("registrar" if valid else "cashier", "household.registered", body)

        for action, arg in actions:
            if action == "household" or action == "payment":
                if action == "household":
                    sub = household(arg)
                else:
                    sub = s.o.sub(
                        "cashier", "payment.recorded", s.payment_body(bid if arg else new_id(), pid)
                    )
                if arg:
                    assert s.submit(sub).index == expected
                    expected += 1
                    accepted.append(sub)
                else:
                    refused(
                        s, sub, "ROLE_NOT_ALLOWED" if action == "household" else "UNKNOWN_ENTITY"
                    )
            elif action in {"replay", "reuse_nonce"} and accepted:
                old = accepted[arg % len(accepted)]
                if action == "replay":
                    assert not s.submit(old).created
                else:
                    # The same author and nonce over other bytes, whatever the author's role.
                    by = next(n for n, k in OFFICERS.keys.items() if k.key_id == old.signed.by)
                    body = {"household_id": new_id(), "code": "R", "village": "Bản Mé"}
                    again = s.o.sub(by, "household.registered", body, nonce=old.signed.nonce)
                    refused(s, again, "REPLAYED_NONCE")
            elif action == "batch":
                subs = [household(valid) for valid in arg]
                if all(arg):
                    results = s.app.submit_batch(subs)
                    assert [r.index for r in results] == list(range(expected, expected + len(subs)))
                    expected += len(subs)
                    accepted.extend(subs)
                else:
                    with pytest.raises(LedgerError):
                        s.app.submit_batch(subs)
            assert s.app.size() == expected
        assert [e.index for e in s.app.entries()] == list(range(s.app.size()))
