"""``ansinh diff A B``: what the log added between two checkpoints, proved consistent first."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nacl.signing import SigningKey

from ledger.formats.keys import read_key_file
from ledger.formats.notes import parse_note, sign_checkpoint
from tests.api.cli.officer import DECISION, LEDGER, RECORD, Cli, household_body, one_line
from tests.conftest import new_id


def _checkpoint(cli: Cli, name: str) -> Path:
    path = cli.dir / name
    path.write_text(cli("checkpoint", "--notary-key", cli.key("notary")).stdout)
    return path


def _paid(cli: Cli, amount: int) -> str:
    """A person with an approved benefit, paid once; returns the payment id."""
    pid, _ = cli.person(RECORD)
    program_id, bid, payment_id = new_id(), new_id(), new_id()
    program = {"code": "NCC", "name": "Trợ cấp", "category": "meritorious", "kind": "monthly"}
    cli.record("authority", "program.defined", {"program_id": program_id, **program})
    proposal = {"program_id": program_id, "person_id": pid, "amount": amount, "start": "2022-01"}
    cli.record("registrar", "benefit.proposed", {"benefit_id": bid, "basis": "TB", **proposal})
    cli.record("approver", "benefit.approved", {"benefit_id": bid, "decision": DECISION})
    payment = {"month": "2022-01", "amount": amount, "paid_on": "2022-01-10", "method": "cash"}
    receipt = {"kind": "signature", "evidence": "ab" * 32}
    body = {"payment_id": payment_id, "benefit_id": bid, "recipient": pid, "receipt": receipt}
    cli.record("cashier", "payment.recorded", {**body, **payment})
    return payment_id


def test_diff_counts_types_and_sums_payments_by_village(commune: Cli) -> None:
    first = _checkpoint(commune, "a.cp")
    payment = _paid(commune, 1_624_000)
    commune.record("cashier", "payment.reversed", {"payment_id": payment, "reason": "Nhầm"})
    commune.record(
        "registrar", "household.registered", household_body("CE-2") | {"village": "Bản Mòng"}
    )
    second = _checkpoint(commune, "b.cp")
    done = json.loads(commune("diff", first, second, "--json").stdout)
    assert (done["first"]["tree_size"], done["second"]["tree_size"], done["added"]) == (4, 12, 8)
    assert done["first"]["signed"] and done["second"]["signed"]
    assert done["by_type"]["payment.recorded"] == 1
    assert done["by_type"]["household.registered"] == 2
    villages = {row.pop("village"): row for row in done["by_village"]}
    huoi = villages["Bản Huổi"]
    assert (huoi["payments"], huoi["paid"], huoi["reversals"], huoi["reversed"]) == (
        1,
        1_624_000,
        1,
        1_624_000,
    )
    assert villages["Bản Mòng"]["statements"] == 1
    assert villages[None]["statements"] == 1  # the program
    table = one_line(commune("diff", "4", second).stdout)
    assert "consistent: the log of 12 entries extends the log of 4" in table
    assert "Bản Huổi 6 1 1,624,000 1 1,624,000" in table


def test_a_checkpoint_whose_signature_fails_is_refused(commune: Cli) -> None:
    commune.household()
    good = _checkpoint(commune, "a.cp").read_text()
    lines = good.split("\n")
    lines[2] = "A" * 43 + "="  # another root, the notary's signature kept
    forged = commune.dir / "forged.cp"
    forged.write_text("\n".join(lines))
    refused = commune("diff", "3", forged, code=1)
    assert one_line(refused.stderr).startswith("INVALID_FIELD: second:")
    assert "no valid signature" in refused.stderr


def test_inconsistent_checkpoints_are_refused(commune: Cli) -> None:
    commune.household()
    _checkpoint(commune, "a.cp")
    # The notary's key signing a root that is not the log's: a split view.
    notary = read_key_file(commune.key("notary"))
    root = hashlib.sha256(b"another history").digest()
    note = sign_checkpoint(LEDGER, 5, root, LEDGER, SigningKey(notary.seed))
    assert parse_note(note).size == 5
    split = commune.dir / "split.cp"
    split.write_text(note)
    refused = commune("diff", "3", split, code=1)
    assert one_line(refused.stderr).startswith("LOG_INCONSISTENT: the checkpoints of 3 and 5")


def test_a_size_beyond_the_log_or_a_missing_file_is_refused(commune: Cli) -> None:
    refused = commune("diff", "1", "99", code=1)
    assert "INVALID_FIELD: second: tree size 99: the log has 4 entries" in one_line(refused.stderr)
    refused = commune("diff", "nowhere.cp", "2", code=1)
    assert "INVALID_FIELD: first:" in refused.stderr


def test_an_exported_bundle_stands_for_its_checkpoint(commune: Cli) -> None:
    commune("checkpoint", "--notary-key", commune.key("notary"))
    commune.household()
    bundle = commune.dir / "bundle.tar"
    commune("export", bundle, "--notary-key", commune.key("notary"))
    done = json.loads(commune("diff", "4", bundle, "--json").stdout)
    assert (done["second"]["tree_size"], done["second"]["signed"], done["added"]) == (5, True, 1)
    assert done["by_type"] == {"household.registered": 1}
