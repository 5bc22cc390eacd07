"""Witness policies: which witnesses must cosign a checkpoint (docs/formats.md §12).

A policy is a small text file in the style of C2SP tlog-witness / sigsum
policies::

    log ansinh.vn/son-la/song-ma/chieng-en+1a2b3c4d+AQ...   # the notary's verifier key
    witness thanh-tra-tinh thanh-tra-tinh+5e6f7a8b+BA...
    witness kiem-toan kiem-toan-doc-lap+9c0d1e2f+BA...
    group ca-hai all thanh-tra-tinh kiem-toan
    quorum ca-hai

A checkpoint satisfies it when a log line's key signed it and the quorum is
met by witnesses whose cosignatures on it verify. Every refusal of a policy
file names its line and has a stable code.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from ledger.errors import LedgerError
from ledger.formats.notes import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    NoteError,
    key_id4,
    parse_note,
    verify_cosignature,
    verify_note_signature,
)

NONE = "none"
KEYWORDS = ("log", "witness", "group", "quorum")


class PolicyInvalid(LedgerError):
    """A policy file that cannot be used; ``code`` says which rule, ``line`` where."""

    status = 400

    def __init__(self, code: str, line: int, problem: str) -> None:
        where = f"line {line}" if line else "policy"
        super().__init__(f"{where}: {problem}", field=f"policy:{line}")
        self.code = code
        self.line = line


@dataclass(frozen=True)
class VerifierKey:
    """A note verifier key ``name+hex(key id)+base64(type || Ed25519 key)``."""

    name: str
    sig_type: int
    public_key: bytes

    @property
    def text(self) -> str:
        kid = key_id4(self.name, self.public_key, self.sig_type).hex()
        blob = base64.b64encode(bytes([self.sig_type]) + self.public_key).decode()
        return f"{self.name}+{kid}+{blob}"


def note_vkey(name: str, public_key: bytes, sig_type: int = SIG_ED25519) -> str:
    """The verifier key text of a note signer (a log's notary: type 0x01)."""
    return VerifierKey(name, sig_type, public_key).text


def parse_verifier_key(text: str, sig_type: int) -> VerifierKey:
    """Parse a verifier key of the given signature type; ValueError says why not."""
    name, plus, rest = text.partition("+")
    kid, plus2, blob = rest.partition("+")
    if not (name and plus and plus2):
        raise ValueError("expected name+keyid+base64")
    try:
        raw = base64.b64decode(blob, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the key is not base64") from None
    if len(raw) != 33 or raw[0] != sig_type:
        raise ValueError(f"not an Ed25519 key of type 0x{sig_type:02x}")
    key = VerifierKey(name, sig_type, raw[1:])
    if kid != key_id4(name, key.public_key, sig_type).hex():
        raise ValueError("its key id does not match its name and key")
    return key


@dataclass(frozen=True)
class Group:
    name: str
    threshold: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    logs: tuple[VerifierKey, ...]
    witnesses: dict[str, VerifierKey]
    groups: dict[str, Group]
    quorum: str


@dataclass
class Evaluation:
    """What a checkpoint shows against a policy."""

    satisfied: bool
    log: str | None
    signed: tuple[str, ...]
    bad: tuple[str, ...]
    missing: tuple[str, ...]
    quorum: str
    needed: int = 0
    met: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: which witnesses cosigned and what is missing."""
        head = "policy satisfied" if self.satisfied else "policy NOT satisfied"
        parts = [f"{head} (quorum {self.quorum}: {self.met} of {self.needed} needed)"]
        parts.append("cosigned by " + (", ".join(self.signed) or "no witness"))
        if self.bad:
            parts.append("cosignatures that do not verify: " + ", ".join(self.bad))
        if self.missing:
            parts.append("missing: " + ", ".join(self.missing))
        parts.extend(self.problems)
        return "; ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {
            "satisfied": self.satisfied,
            "log": self.log,
            "quorum": self.quorum,
            "needed": self.needed,
            "met": self.met,
            "signed": list(self.signed),
            "bad": list(self.bad),
            "missing": list(self.missing),
        }


def _threshold(text: str, members: int, line: int) -> int:
    if text == "all":
        return members
    if text == "any":
        return 1
    if not text.isascii() or not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        raise PolicyInvalid("POLICY_THRESHOLD", line, f"{text!r} is not all, any or a number")
    k = int(text)
    if not 1 <= k <= members:
        raise PolicyInvalid(
            "POLICY_THRESHOLD", line, f"threshold {k} is not between 1 and its {members} members"
        )
    return k


def _key(text: str, sig_type: int, line: int) -> VerifierKey:
    try:
        return parse_verifier_key(text, sig_type)
    except ValueError as exc:
        raise PolicyInvalid("POLICY_KEY", line, f"verifier key {text!r}: {exc}") from None


def parse_policy(text: str) -> Policy:
    """Parse a policy file; :class:`PolicyInvalid` names the first line refused."""
    logs: list[VerifierKey] = []
    witnesses: dict[str, VerifierKey] = {}
    groups: dict[str, Group] = {}
    quorum: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        keyword, args = words[0], words[1:]
        if keyword not in KEYWORDS:
            raise PolicyInvalid("POLICY_KEYWORD", number, f"unknown keyword {keyword!r}")
        if keyword == "log":
            if len(args) not in (1, 2):
                raise PolicyInvalid("POLICY_SYNTAX", number, "expected: log <vkey> [<url>]")
            key = _key(args[0], SIG_ED25519, number)
            if key in logs:
                raise PolicyInvalid("POLICY_DUPLICATE", number, f"log {key.name} listed twice")
            logs.append(key)
            continue
        if keyword == "quorum":
            if len(args) != 1:
                raise PolicyInvalid("POLICY_SYNTAX", number, "expected: quorum <name>|none")
            if quorum is not None:
                raise PolicyInvalid("POLICY_DUPLICATE", number, "a second quorum line")
            if args[0] != NONE and args[0] not in witnesses and args[0] not in groups:
                raise PolicyInvalid(
                    "POLICY_UNKNOWN_NAME", number, f"{args[0]!r} is not a witness or group above"
                )
            quorum = args[0]
            continue
        if len(args) < 2 or (keyword == "witness" and len(args) > 3):
            usage = (
                "witness <name> <vkey> [<url>]"
                if keyword == "witness"
                else ("group <name> <all|any|k> <member>...")
            )
            raise PolicyInvalid("POLICY_SYNTAX", number, f"expected: {usage}")
        name = args[0]
        if name == NONE or name in witnesses or name in groups:
            raise PolicyInvalid("POLICY_DUPLICATE", number, f"the name {name!r} is taken")
        if keyword == "witness":
            key = _key(args[1], SIG_COSIGNATURE_V1, number)
            if key in witnesses.values():
                raise PolicyInvalid("POLICY_DUPLICATE", number, "this witness key is listed twice")
            witnesses[name] = key
            continue
        members = args[2:]
        if not members:
            raise PolicyInvalid("POLICY_SYNTAX", number, f"group {name!r} has no members")
        for member in members:
            if member not in witnesses and member not in groups:
                raise PolicyInvalid(
                    "POLICY_UNKNOWN_NAME", number, f"{member!r} is not a witness or group above"
                )
        if len(set(members)) != len(members):
            raise PolicyInvalid("POLICY_DUPLICATE", number, f"group {name!r} repeats a member")
        groups[name] = Group(name, _threshold(args[1], len(members), number), tuple(members))
    if not logs:
        raise PolicyInvalid("POLICY_NO_LOG", 0, "no log line: which log does it apply to?")
    if quorum is None:
        raise PolicyInvalid("POLICY_NO_QUORUM", 0, "no quorum line")
    return Policy(tuple(logs), witnesses, groups, quorum)


def evaluate(policy: Policy, note: str) -> Evaluation:
    """How the checkpoint ``note`` stands against ``policy``.

    A witness counts when its cosignature on the note verifies; a line that
    names the witness's key but does not verify counts as bad, never as
    signed. A group is met when at least its threshold of distinct members
    are. The note must also carry a valid signature of one of the log keys.
    """
    try:
        checkpoint = parse_note(note)
    except NoteError as exc:
        return Evaluation(False, None, (), (), (), policy.quorum, problems=[f"checkpoint: {exc}"])
    log = next(
        (k.name for k in policy.logs if k.name == checkpoint.origin and _signed(note, k)), None
    )
    signed: list[str] = []
    bad: list[str] = []
    missing: list[str] = []
    for name, key in policy.witnesses.items():
        try:
            verify_cosignature(note, key.name, key.public_key)
            signed.append(name)
        except NoteError as exc:
            (missing if "has no cosignature" in str(exc) else bad).append(name)
    met_of = {name: (int(name in signed), 1) for name in policy.witnesses}
    for group in policy.groups.values():
        met = sum(1 for m in group.members if met_of[m][0] >= met_of[m][1])
        met_of[group.name] = (met, group.threshold)
    met, needed = met_of.get(policy.quorum, (0, 0))
    problems = []
    if log is None:
        problems.append(f"not signed by a log of the policy (its origin is {checkpoint.origin})")
    return Evaluation(
        log is not None and met >= needed,
        log,
        tuple(signed),
        tuple(bad),
        tuple(missing),
        policy.quorum,
        needed,
        met,
        problems,
    )


def _signed(note: str, key: VerifierKey) -> bool:
    try:
        return verify_note_signature(note, key.name, key.public_key)
    except NoteError:
        return False
