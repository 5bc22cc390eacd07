"""A refusal, and proof that it left the log as it was."""

from __future__ import annotations

import pytest

from ledger.domain.acceptance import Submission
from ledger.errors import LedgerError
from tests.conftest import Story


def refused(s: Story, sub: Submission, code: str) -> LedgerError:
    """Submit, expect a refusal with ``code``, and check nothing was recorded."""
    size = s.app.size()
    with pytest.raises(LedgerError) as err:
        s.submit(sub)
    assert err.value.code == code, err.value.message
    assert s.app.size() == size
    assert [e.index for e in s.app.entries()] == list(range(size))
    return err.value
