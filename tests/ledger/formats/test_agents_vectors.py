"""Every byte of tests/vectors/formats-1.3-agents.json, reproduced, and every outcome it expects.

The vectors (docs/formats.md section 11.3): a 1.1 log that adopts FORMATS
1.3, registers two agents, sends January's list (its exact bytes given),
records the agent's settlement of both lines and a refund, and sends
February's list late; submissions the ledger must accept or refuse (code and
field). Both verifiers accept the log; the list's bytes are the payroll's.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from api import reading
from ledger.application import LedgerApplication
from projections import query
from projections.reports.agents import TYPES, agent_list, agents_report
from tests.support.log_vectors import LogVectors
from tests.vectors.formats_1_3 import agents as maker

V = LogVectors("formats-1.3-agents.json")
LOG = V.log


def test_the_maker_writes_the_file_byte_for_byte() -> None:
    assert maker.build() == V.file.read_text("ascii")


@pytest.mark.parametrize("case", V.cases, ids=lambda c: c["name"])
def test_each_case_has_the_outcome_it_expects(app: LedgerApplication, case: dict[str, Any]) -> None:
    V.check_case(app, case, V.held_by(case))


def test_the_list_s_bytes_are_the_payroll_s_before_the_sending(app: LedgerApplication) -> None:
    listed = V.vectors["list"]
    V.hold(app)
    before = query.snapshot(app, listed["sent_index"])
    data, lines, total = agent_list(before, listed["month"])
    assert data.decode() == listed["bytes"]
    assert hashlib.sha256(data).hexdigest() == listed["sha256"]
    envelope = json.loads(LOG["entries"][listed["sent_index"]]["submission"])
    sent = json.loads(base64.b64decode(envelope["payload"]))["body"]
    assert (sent["list_sha256"], sent["lines"], sent["total"]) == (listed["sha256"], lines, total)


def test_the_report_of_the_log_counts_and_flags_what_the_page_says(app: LedgerApplication) -> None:
    V.hold(app)
    read = reading.read_at(reading.Direct(app), None)
    doc = agents_report(read.snap, query.of_types(app, TYPES, app.size()), "2027-03-01")
    january, february = doc["sendings"]
    assert (january["paid"], january["not_paid"], january["refunded"], january["held"]) == (
        1_624_000,
        2_179_000,
        2_179_000,
        0,
    )
    assert february["late"] is True and february["settled_lines"] == 0
    assert [(f["code"], f["month"]) for f in doc["findings"]] == [
        ("LIST_SENT_LATE", "2027-02"),
    ]
    assert [(f["code"], f["month"]) for f in agents_report(
        read.snap, query.of_types(app, TYPES, app.size()), "2027-04-01"
    )["findings"]] == [("AGENT_HOLDS_FUNDS", "2027-02"), ("LIST_SENT_LATE", "2027-02")]  # fmt: skip


def test_the_log_verifies_with_both_verifiers(tmp_path: Path) -> None:
    assert V.verify_both(tmp_path) == 20


def _with(extra: dict[str, Any]) -> tuple[list[str], str]:
    """The log with one more entry, as software that skipped the ledger's rules wrote it."""
    leaves = maker.SIGNERS.leaves([*maker.log(), (extra, ())])
    return leaves, maker.SIGNERS.checkpoint(leaves)


@pytest.mark.parametrize(
    ("extra", "reason", "why"),
    [
        (maker.line("agent", "a", "returned", 201), "ALREADY_DECIDED: body.benefit_id",
         "a line settled twice"),
        (maker.line("other_agent", "a", "paid", 202, maker.SECOND), "RULE_VIOLATION: by",
         "settled by another holder than the list's agent"),
        (maker.refund("00000000-0000-4000-8000-0000000000f9", maker.SENDING, 1, 203),
         "RULE_VIOLATION: body.amount", "refunds more than the agent holds"),
    ],
)  # fmt: skip
def test_both_verifiers_fail_what_the_ledger_would_have_refused(
    tmp_path: Path, extra: dict[str, Any], reason: str, why: str
) -> None:
    failed, rejected = V.failures(tmp_path, *_with(extra))
    assert failed.index == 20
    assert failed.reason.startswith(reason)
    assert str(rejected) == f"entry 20: {why}"
