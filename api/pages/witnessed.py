"""The public pages' sentence on the witnesses: whether the newest checkpoint meets the policy.

Shown on the home and checkpoints pages when the server runs with
``serve --policy``: how many of the policy's witnesses (bên chứng kiến)
cosigned the newest signed checkpoint, whether that is enough, and if not,
who is missing and which older checkpoint was enough.
"""

from __future__ import annotations

from typing import Any

from api.http.policy import witness_status
from api.service import LedgerService

WORDS: dict[str, tuple[str, str]] = {
    "met": (
        "Điểm kiểm chứng mới nhất ({size} bút toán) đã được {signed}/{total} bên chứng kiến "
        "ký xác nhận ({names}): đủ theo quy định.",
        "The latest checkpoint ({size} entries) has been cosigned by {signed} of {total} "
        "witnesses ({names}): enough under the policy.",
    ),
    "not_met": (
        "Điểm kiểm chứng mới nhất ({size} bút toán) mới được {signed}/{total} bên chứng kiến "
        "ký xác nhận: chưa đủ theo quy định. Chưa ký: {missing}.",
        "The latest checkpoint ({size} entries) has been cosigned by {signed} of {total} "
        "witnesses: not enough under the policy. Not yet cosigned by: {missing}.",
    ),
    "older": (
        "Điểm kiểm chứng gần nhất đã đủ chữ ký xác nhận: {size} bút toán.",
        "The newest checkpoint cosigned enough: {size} entries.",
    ),
    "bad": (
        "Chữ ký không hợp lệ, không được tính: {names}.",
        "Cosignatures that do not verify, not counted: {names}.",
    ),
    "none": ("không ai", "nobody"),
    "no_checkpoint": (
        "Chưa có điểm kiểm chứng nào để bên chứng kiến ký xác nhận.",
        "No checkpoint for the witnesses to cosign yet.",
    ),
}


def witnessed(service: LedgerService, lang: str) -> tuple[list[str], bool]:
    """The sentences for the page, in ``lang`` (none when the server has no policy), and
    whether they are final at this log size: a checkpoint that does not meet the policy
    yet may be cosigned any moment, so its page is not kept long."""
    status = witness_status(service)
    if status is None:
        return [], True
    say = lambda key, **v: WORDS[key][1 if lang == "en" else 0].format(**v)  # noqa: E731
    found: dict[str, Any] | None = status["checkpoint"]
    if found is None:
        return [say("no_checkpoint")], False
    nobody = say("none")
    common = {
        "size": found["tree_size"],
        "signed": len(found["signed"]),
        "total": status["witnesses"],
    }
    if found["satisfied"]:
        lines = [say("met", names=", ".join(found["signed"]) or nobody, **common)]
    else:
        missing = [*found["missing"], *found["bad"]]
        lines = [say("not_met", missing=", ".join(missing) or nobody, **common)]
        if status["satisfied_size"] is not None:
            lines.append(say("older", size=status["satisfied_size"]))
    if found["bad"]:
        lines.append(say("bad", names=", ".join(found["bad"])))
    return lines, bool(found["satisfied"])
