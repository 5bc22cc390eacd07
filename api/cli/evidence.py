"""``ansinh verify`` of an evidence file: what it printed, and how it failed."""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

import typer

from ledger.audit.evidence import verify_evidence
from ledger.audit.verifier import VerificationFailed
from ledger.tlog.policy import Policy


def is_evidence(path: Path) -> bool:
    """A file (not a bundle's ``.tar``) that holds a JSON document."""
    if not path.is_file() or tarfile.is_tarfile(path):
        return False
    with path.open("rb") as f:
        return f.read(64).lstrip()[:1] == b"{"


def verify_evidence_file(
    path: Path, authority: str | None, witnesses: list[str], policy: Policy | None = None
) -> None:
    """Check the evidence; print OK and what was covered, or FAILED naming the entry."""
    try:
        text = path.read_text(encoding="utf-8")
        outcome = verify_evidence(text, authority=authority, witnesses=witnesses, policy=policy)
    except UnicodeDecodeError:
        print("FAILED evidence: not UTF-8 text", file=sys.stderr)
        raise typer.Exit(1) from None
    except VerificationFailed as exc:
        print(f"FAILED {exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    if authority is None:
        print(
            "WARNING: the authority key was not pinned: anyone could have made this evidence. "
            f"It names authority key {outcome.authority}; if that is the commune's, "
            "pass --authority <key id>",
            file=sys.stderr,
        )
    asked = ", ".join(str(i) for i in outcome.asked)
    print(
        f"OK evidence of {len(outcome.asked)} entries of {outcome.ledger_id} "
        f"({asked}), checkpoint {outcome.checkpoint_size}, "
        f"authority {outcome.authority[:16]}"
        + (" (NOT PINNED)" if authority is None else "")
        + (f", witnesses {', '.join(outcome.witnesses)}" if outcome.witnesses else "")
    )
    print(f"  checked the notary's signature on the checkpoint of {outcome.checkpoint_size}")
    if policy is not None:
        print(f"  checked the witness policy: quorum {policy.quorum} met")
    print("  checked each entry's inclusion proof against it, and its statement's signature")
    print(f"  checked the keys: entry 0 and their registrations ({len(outcome.context)} entries)")
    for line in outcome.not_shown:
        print(f"  not checked: {line}")
