"""``ansinh agents``: the lists sent to a paying agent and what the agent settled
(docs/formats.md 11.3).

``send`` writes the month's list (its exact bytes, whose SHA-256 the ledger
keeps) and records ``payroll.sent``; ``refund`` records money the agent
hands back (``agent.refunded``); ``report`` shows each list sent: sent,
acknowledged paid, not paid, returned, refunded, held, and the findings. The
agent's settlement comes in with ``ansinh import FILE --layout settlement``.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from api import paying_agents, reading
from api.cli.deps import DbOpt, err, load_key, open_ledger, out, refusals
from ledger.domain.acceptance import Submission
from ledger.errors import InvalidField
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from ledger.storage.private_files import write_private
from projections import query
from projections.reports.agents import agent_list, list_digest
from projections.reports.entitlements import check_date, check_month
from projections.reports.wording import vnd

agents_app = typer.Typer(
    help="Paying agents: send a month's list, see what each agent settled.",
    no_args_is_help=True,
)


def _checked(value: str, option: str) -> str:
    try:
        return check_month(value, option) if option == "--month" else check_date(value, option)
    except InvalidField as exc:
        raise typer.BadParameter(exc.message.split(": ", 1)[1], param_hint=option) from None


@agents_app.command("send")
def send(
    month: Annotated[str, typer.Option("--month", help="The month to be paid, YYYY-MM")],
    agent: Annotated[str, typer.Option("--agent", help="Holder id of the paying agent")],
    key: Annotated[Path, typer.Option("--key", help="Key file of a cashier")],
    sent_on: Annotated[
        str | None, typer.Option("--sent-on", help="The day it is sent (default: today)")
    ] = None,
    list_out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the list (default: danh-sach-MONTH-AGENT.csv)"),
    ] = None,
    db: DbOpt = None,
) -> None:
    """Write ``month``'s list for the agent and record that it was sent (payroll.sent).

    The list is every payroll line of the month with an amount due, as the log
    stands now: ``code,benefit_id,amount``, ordered by lookup code; its SHA-256
    goes into the statement, so the agent and anyone else can check the file.
    """
    month = _checked(month, "--month")
    day = _checked(sent_on, "--sent-on") if sent_on else date.today().isoformat()
    with refusals():
        ledger = open_ledger(db)
        cashier = load_key(key)
        read = reading.read_at(reading.Direct(ledger), None)
        data, lines, total = paying_agents.agent_list(read, month)
        if lines == 0:
            raise InvalidField("month", f"no payroll line is due in {month}: nothing to send")
        body = {
            "sending_id": str(uuid.uuid4()),
            "agent": agent,
            "month": month,
            "sent_on": day,
            "lines": lines,
            "total": total,
            "list_sha256": list_digest(data),
        }
        statement = make_statement(read.snap.ledger_id, "payroll.sent", body, cashier.key_id)
        envelope = sign_statement(statement, cashier)
        path = list_out or Path(f"danh-sach-{month}-{agent}.csv")
        accepted = ledger.submit(Submission(open_envelope(envelope)))
        write_private(path, data)
        before = query.snapshot(ledger, accepted.index)
        if agent_list(before, month)[0] != data:  # another entry came in between
            err.print(
                f"warning: the log changed before entry {accepted.index}; its list differs "
                "from the one written: send a corrected list"
            )
        out.print(
            f"list {body['sending_id']} of {month} sent to {agent}: {lines} lines, "
            f"{vnd(total)}, sha256 {body['list_sha256']} (entry {accepted.index}); "
            f"written to {path}"
        )


@agents_app.command("refund")
def refund(
    sending: Annotated[str, typer.Option("--sending", help="The list's sending id")],
    amount: Annotated[int, typer.Option("--amount", help="Đồng handed back")],
    reference: Annotated[str, typer.Option("--reference", help="Receipt or transfer number")],
    key: Annotated[Path, typer.Option("--key", help="Key file of a cashier")],
    day: Annotated[
        str | None, typer.Option("--date", help="The day it came back (default: today)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Record money of a list the agent hands back (agent.refunded): at most what it holds."""
    when = _checked(day, "--date") if day else date.today().isoformat()
    with refusals():
        ledger = open_ledger(db)
        cashier = load_key(key)
        body = {
            "refund_id": str(uuid.uuid4()),
            "sending_id": sending,
            "amount": amount,
            "date": when,
            "reference": reference,
        }
        ledger_id = ledger.charter().ledger_id
        statement = make_statement(ledger_id, "agent.refunded", body, cashier.key_id)
        accepted = ledger.submit(Submission(open_envelope(sign_statement(statement, cashier))))
        out.print(f"{vnd(amount)} handed back on list {sending} (entry {accepted.index})")


@agents_app.command("report")
def report(
    on: Annotated[str | None, typer.Option("--on", help="Business date to report on")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The first N entries, or a time (ISO 8601)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON")] = False,
    db: DbOpt = None,
) -> None:
    """Each list sent: sent, acknowledged paid, not paid, returned, refunded, still held;
    then the findings (LIST_SENT_LATE, AGENT_HOLDS_FUNDS, PAYMENT_NOT_ACKNOWLEDGED)."""
    day = _checked(on, "--on") if on else None
    with refusals():
        ledger = open_ledger(db)
        doc = paying_agents.agents_report(reading.read_at(reading.Direct(ledger), as_of), day)
    if as_json:
        out.print_json(json.dumps(doc, ensure_ascii=False))
        return
    table = Table("month", "agent", "sent on", "lines", "sent", "paid", "not paid", "returned",
                  "refunded", "held")  # fmt: skip
    for r in doc["sendings"]:
        table.add_row(
            r["month"],
            r["agent"],
            r["sent_on"] + (" (late)" if r["late"] else ""),
            f"{r['settled_lines']}/{r['lines']}",
            *(vnd(r[k]) for k in ("total", "paid", "not_paid", "returned", "refunded", "held")),
        )
    out.print(table)
    for f in doc["findings"]:
        out.print(f"{f['code']}: {f['detail_vi']}")
    out.print(
        f"{len(doc['findings'])} findings, on {doc['on']}, as of {doc['as_of']['entries']} entries"
    )
