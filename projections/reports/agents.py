"""Paying agents (tổ chức dịch vụ chi trả): the lists sent, and what the agents said of them.

docs/formats.md 11.3. Two things live here:

- :func:`agent_list`: the exact bytes of a month's list (danh sách chi trả
  gửi tổ chức dịch vụ chi trả), whose SHA-256 ``payroll.sent`` fixes: one
  line per payroll line of the month with an amount due, ``code,benefit_id,
  amount``, ordered by code, from the payroll of the log before the sending.
- :func:`agents_report`: for each list sent, what was sent, acknowledged
  paid, not paid, returned, refunded and still held, and the findings:
  ``LIST_SENT_LATE`` (sent on or after the 25th of the month before),
  ``AGENT_HOLDS_FUNDS`` (money of the list neither acknowledged paid nor
  handed back once the settlement window closed: the last day of the month
  after the month paid), ``PAYMENT_NOT_ACKNOWLEDGED`` (a payment through the
  post recorded for a line of a list that the agent did not acknowledge as
  paid: settled otherwise, or not settled when the window closed, of a
  benefit approved before the list was sent).

The statements come from the log (``items``: index, recorded time, type,
holder, body, in log order, as :func:`projections.query.history` gives them),
so a report as of an earlier point counts only what was recorded by then.
A payment counts as reconciled only when the agent acknowledged its line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from projections.model import Snapshot
from projections.reports import wording as say
from projections.reports.basis import basis
from projections.reports.entitlements import check_date, month_end, next_month, snapshot_date
from projections.reports.funds import counted_payments
from projections.reports.payroll import payroll
from projections.reports.receipts import receipt_code

TYPES = ("payroll.sent", "payroll.settled", "payroll.settlement.recorded", "agent.refunded")
CODES = ("LIST_SENT_LATE", "AGENT_HOLDS_FUNDS", "PAYMENT_NOT_ACKNOWLEDGED")
LIST_HEADER = "code,benefit_id,amount\n"
DEADLINE_DAY = 25  # a list is sent before the 25th of the month before the month paid
OUTCOMES = ("paid", "not_paid", "returned")
Item = tuple[int, str, str, str, dict[str, Any]]


# -- the list's bytes -------------------------------------------------------------------------
def list_lines(snap: Snapshot, month: str) -> list[tuple[str, str, int]]:
    """The lines of ``month``'s list from ``snap``: (code, benefit id, amount), by code."""
    rows = [r for r in payroll(snap, month)["rows"] if r["due"] > 0]
    return sorted((r["receipt_code"], r["benefit_id"], r["due"]) for r in rows)


def agent_list(snap: Snapshot, month: str) -> tuple[bytes, int, int]:
    """The list of ``month`` from ``snap`` (the log before the sending): bytes, lines, total."""
    lines = list_lines(snap, month)
    text = LIST_HEADER + "".join(f"{code},{bid},{due}\n" for code, bid, due in lines)
    return text.encode(), len(lines), sum(due for _, _, due in lines)


def list_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def deadline(month: str) -> str:
    """The day a list of ``month`` is late from: the 25th of the month before."""
    year, number = int(month[:4]), int(month[5:7])
    year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return f"{year:04d}-{number:02d}-{DEADLINE_DAY}"


def window_end(month: str) -> str:
    """The last day of the settlement window of ``month``: the end of the month after."""
    return month_end(next_month(month))


# -- the findings ----------------------------------------------------------------------------
def _finding(code: str, said: say.Said, **fields: Any) -> dict[str, Any]:
    assert code in CODES, code
    found = {"code": code, "detail": said[0], "detail_vi": said[1]}
    found.update({k: v for k, v in fields.items() if v is not None})
    return found


# -- the report ------------------------------------------------------------------------------------
def _sendings(items: Iterable[Item]) -> dict[str, dict[str, Any]]:
    sendings: dict[str, dict[str, Any]] = {}
    for index, _, kind, holder, body in items:
        if kind == "payroll.sent":
            sendings[body["sending_id"]] = {
                **{k: body[k] for k in ("sending_id", "agent", "month", "sent_on", "lines")},
                "total": body["total"],
                "list_sha256": body["list_sha256"],
                "sent_by": holder,
                "index": index,
                "settled": {},  # benefit_id -> (outcome, amount, index, signed by the agent)
                "refunds": [],  # (date, amount, index)
            }
        elif kind in ("payroll.settled", "payroll.settlement.recorded"):
            line = (body["outcome"], body["amount"], index, kind == "payroll.settled")
            sendings[body["sending_id"]]["settled"][body["benefit_id"]] = line
        elif kind == "agent.refunded":
            refund = (body["date"], body["amount"], index)
            sendings[body["sending_id"]]["refunds"].append(refund)
    return sendings


def _row(s: dict[str, Any], on: str) -> dict[str, Any]:
    by: dict[str, list[int]] = {outcome: [0, 0] for outcome in OUTCOMES}
    for outcome, amount, _, _ in s["settled"].values():
        by[outcome][0] += 1
        by[outcome][1] += amount
    refunded = sum(amount for day, amount, _ in s["refunds"] if day <= on)
    return {
        **{k: s[k] for k in ("sending_id", "agent", "month", "sent_on", "lines", "total")},
        "list_sha256": s["list_sha256"],
        "deadline": deadline(s["month"]),
        "late": s["sent_on"] >= deadline(s["month"]),
        "window_end": window_end(s["month"]),
        "settled_lines": len(s["settled"]),
        "signed_by_agent": sum(1 for line in s["settled"].values() if line[3]),
        **{f"{o}_lines": by[o][0] for o in OUTCOMES},
        **{o: by[o][1] for o in OUTCOMES},
        "unsettled_lines": s["lines"] - len(s["settled"]),
        "refunded": refunded,
        "held": s["total"] - by["paid"][1] - refunded,
        "index": s["index"],
    }


def agents_report(
    snap: Snapshot,
    items: Iterable[Item],
    on: str | None = None,
    checkpoint: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Each list sent to an agent as it stood on ``on``, and the findings about them."""
    on = check_date(on, "on") if on is not None else snapshot_date(snap) or "9999-12-31"
    sendings = {k: s for k, s in _sendings(items).items() if s["sent_on"] <= on}
    rows = [_row(s, on) for s in sendings.values()]
    rows.sort(key=lambda r: (r["month"], r["agent"], r["sent_on"], r["index"]))
    found: list[dict[str, Any]] = []
    for r in rows:
        ids = {"sending_id": r["sending_id"], "month": r["month"], "agent": r["agent"]}
        if r["late"]:
            found.append(
                _finding(
                    "LIST_SENT_LATE",
                    say.list_late(r["sent_on"], r["month"], r["deadline"]),
                    **ids,
                    evidence=[r["index"]],
                )
            )
        if on > r["window_end"] and r["held"] > 0:
            evidence = [
                r["index"],
                *(i for o, _, i, _ in sendings[r["sending_id"]]["settled"].values() if o != "paid"),
                *(i for _, _, i in sendings[r["sending_id"]]["refunds"]),
            ]
            found.append(
                _finding(
                    "AGENT_HOLDS_FUNDS",
                    say.agent_holds(r["agent"], r["held"], r["month"], window_end(r["month"])),
                    **ids,
                    amount=r["held"],
                    evidence=sorted(evidence)[:50],
                )
            )
    found += _unacknowledged(snap, sendings, on)
    found.sort(key=lambda f: (f["code"], f["month"], f["agent"], f.get("benefit_id", "")))
    return {
        **basis(snap, checkpoint),
        "on": on,
        "sendings": rows,
        "findings": found,
        "totals": {
            key: sum(r[key] for r in rows)
            for key in ("lines", "total", *OUTCOMES, "refunded", "held")
        },
    }


def _unacknowledged(
    snap: Snapshot, sendings: dict[str, dict[str, Any]], on: str
) -> list[dict[str, Any]]:
    """Payments through the post for a line of a list the agent did not acknowledge as paid."""
    by_month: dict[tuple[str, str], dict[str, Any]] = {}
    for s in sorted(sendings.values(), key=lambda s: s["index"]):
        for benefit_id in s["settled"]:
            by_month[(benefit_id, s["month"])] = s
    lists_of = {s["month"]: s for s in sorted(sendings.values(), key=lambda s: s["index"])}
    found = []
    for payment in counted_payments(snap, on):
        if payment.method != "post" or payment.month is None:
            continue
        sending = by_month.get((payment.benefit_id, payment.month)) or lists_of.get(payment.month)
        if sending is None:
            continue
        s = sending
        line = s["settled"].get(payment.benefit_id)
        if line is not None and line[0] == "paid":
            continue
        if line is None and on <= window_end(s["month"]):
            continue  # the agent may still settle it
        approved = snap.benefits[payment.benefit_id].approved_index
        if line is None and (approved is None or approved > s["index"]):
            continue  # approved after the list was sent: not one of its lines
        outcome = None if line is None else line[0]
        evidence = [s["index"], *([] if line is None else [line[2]]), payment.index]
        found.append(
            _finding(
                "PAYMENT_NOT_ACKNOWLEDGED",
                say.not_acknowledged(s["agent"], s["month"], outcome),
                sending_id=s["sending_id"],
                month=s["month"],
                agent=s["agent"],
                benefit_id=payment.benefit_id,
                payment_id=payment.payment_id,
                code_of_line=receipt_code(snap.ledger_id, payment.benefit_id, payment.month),
                amount=payment.amount,
                evidence=sorted(evidence),
            )
        )
    return found


def agent_findings(
    snap: Snapshot, items: Iterable[Item], on: str | None, first: str, last: str
) -> list[dict[str, Any]]:
    """The report's findings about the lists of months ``first``..``last``, for the
    reconciliation: their entries as ``log_entries`` (the reconciliation gives each finding
    its evidence), the payment's benefit and program named."""
    found = []
    for f in agents_report(snap, items, on)["findings"]:
        if not first <= f["month"] <= last:
            continue
        f = dict(f)
        f["log_entries"] = f.pop("evidence")
        benefit = snap.benefits.get(f.get("benefit_id", ""))
        if benefit is not None:
            f["program_id"] = benefit.program_id
        found.append(f)
    return found
