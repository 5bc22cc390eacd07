"""Witness policies (docs/formats.md section 12): the vector file, reproduced and obeyed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ledger.tlog.policy import PolicyInvalid, evaluate, parse_policy
from tests.vectors import witness_policy as maker

VECTORS: dict[str, Any] = json.loads(maker.OUT.read_text(encoding="ascii"))


def test_the_maker_writes_the_vector_file_byte_for_byte() -> None:
    assert maker.build() == maker.OUT.read_text(encoding="ascii")


@pytest.mark.parametrize(
    "case", VECTORS["outcomes"], ids=lambda c: f"{c['policy']}-{c['checkpoint']}"
)
def test_each_checkpoint_meets_each_policy_as_the_vectors_say(case: dict[str, Any]) -> None:
    policy = parse_policy(VECTORS["policies"][case["policy"]])
    found = evaluate(policy, VECTORS["checkpoints"][case["checkpoint"]])
    assert found.satisfied is case["satisfied"], found.summary()
    assert list(found.signed) == case["signed"]
    assert list(found.bad) == case["bad"]
    assert list(found.missing) == case["missing"]


@pytest.mark.parametrize("case", VECTORS["refused"], ids=lambda c: c["case"])
def test_each_bad_policy_is_refused_with_its_code_and_line(case: dict[str, Any]) -> None:
    with pytest.raises(PolicyInvalid) as refused:
        parse_policy(case["policy"])
    assert (refused.value.code, refused.value.line) == (case["code"], case["line"])
    where = f"line {case['line']}: " if case["line"] else "policy: "
    assert refused.value.message.startswith(where)


def test_a_bad_cosignature_is_not_counted_even_when_a_good_one_follows() -> None:
    text = VECTORS["checkpoints"]["tinh_bad_kiem"]
    good = VECTORS["checkpoints"]["tinh_kiem"].splitlines(keepends=True)[-1]
    policy = parse_policy(VECTORS["policies"]["both"])
    found = evaluate(policy, text + good)
    assert not found.satisfied
    assert found.bad == ("kiem-toan-doc-lap",)
    assert "cosignatures that do not verify: kiem-toan-doc-lap" in found.summary()


def test_a_witness_counts_once_however_many_times_it_cosigned() -> None:
    k = VECTORS["vkeys"]
    tinh = k["thanh-tra-tinh"]
    text = f"log {k['log']}\nwitness a {tinh}\nwitness b {k['kiem-toan-doc-lap']}\n"
    policy = parse_policy(text + "group g 2 a b\nquorum g\n")
    lines = VECTORS["checkpoints"]["tinh"].splitlines(keepends=True)
    twice = "".join(lines) + lines[-1]
    found = evaluate(policy, twice)
    assert (found.satisfied, found.met, found.needed) == (False, 1, 2)


def test_comments_blank_lines_and_nested_groups_are_read() -> None:
    k = VECTORS["vkeys"]
    text = (
        "# the province's rule\n\n"
        f"log {k['log']}   # notary\n"
        f"witness tinh {k['thanh-tra-tinh']}\n"
        f"witness huyen {k['thanh-tra-huyen']}\n"
        f"witness kiem {k['kiem-toan-doc-lap']}\n"
        "group thanh-tra any tinh huyen\n"
        "group ca-hai all thanh-tra kiem\n"
        "quorum ca-hai\n"
    )
    policy = parse_policy(text)
    assert evaluate(policy, VECTORS["checkpoints"]["tinh_kiem"]).satisfied
    assert not evaluate(policy, VECTORS["checkpoints"]["tinh"]).satisfied
