"""The page a beneficiary checks a payroll line on: ``/xac-nhan/{code}``.

The code (mã tra cứu, :mod:`projections.reports.receipts`) is printed on
each line of the payroll sheet. The page shows the commune, the program, the
month, the amount due and whether it was paid (how much, on which day, and
how the receipt was acknowledged: signed, thumbprinted, bank reference, by
someone else), and nothing else: no name, household, village or id, so that
whoever holds the paper learns only what it is about. ``/xac-nhan`` is a
small form to type a code in (no script: it sends ``?ma=``). A code that
cannot be one, or that no line has, gets a 404 page in plain words: how to
type it and whom to ask.

Every line is looked up in an index built once per log size
(:func:`book_of`, kept as the other pages' documents are), so a lookup does
not read the ledger. ``GET /v1/receipts/{code}`` answers the same as JSON.

A confirmation ("I received it in full") or a complaint ("I did not, or not
in full") is taken from this page when the server holds the page's key
(FORMATS 1.3, :mod:`api.pages.confirm`); otherwise the page tells the reader
whom to tell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from api.pages.ask import HTML, Ask
from api.pages.cache import Rendered
from api.pages.views import page_html
from api.reading import read_at
from ledger.errors import InvalidField, UnknownEntity
from projections.reports.lookup import receipt_lines
from projections.reports.receipts import read_code

PATH = "/xac-nhan"


@dataclass(frozen=True)
class Book:
    """Every payroll line of the ledger by its code, as of ``entries``."""

    ledger: str
    commune: str
    entries: int
    lines: dict[str, dict[str, Any]]


def book_of(ask: Ask) -> Book:
    """The lines of the ledger as it stands (kept per log size)."""

    def make() -> tuple[object, bool]:
        snap = read_at(ask.service, None).snap
        return Book(snap.ledger_id, snap.name, snap.as_of, receipt_lines(snap)), True

    return cast(Book, ask.cache.documents.get(("receipts", ask.size), make))


def find(book: Book, typed: str) -> dict[str, Any]:
    """The line of a typed code; refused naming ``code``: ``INVALID_FIELD`` when it
    cannot be a code, ``UNKNOWN_ENTITY`` when no line has it."""
    code = read_code(typed)
    if code is None:
        raise InvalidField("code", "a lookup code is 10 letters and digits, as XXXXX-XXXXX")
    line = book.lines.get(code)
    if line is None:
        raise UnknownEntity(f"code: no payroll line has the code {code}", field="code")
    return line


def answer(book: Book, line: dict[str, Any]) -> dict[str, Any]:
    """What ``GET /v1/receipts/{code}`` says of a line: the page's fields, as data."""
    return {
        "code": line["code"],
        "ledger": book.ledger,
        "commune": book.commune,
        "entries": book.entries,
        "program_code": line["program_code"],
        "program_name": line["program_name"],
        "month": line["month"],
        "due": line["due"],
        "paid": line["paid"],
        "status": line["status"],
        "payments": [dict(p) for p in line["payments"]],
    }


def form_page(ask: Ask, typed: str | None) -> tuple[Rendered, bool]:
    """``/xac-nhan``: the form; with ``?ma=``, the line (or the page saying why not)."""
    if typed:
        return line_page(ask, typed)
    title = ask.t("receipt_title")
    body = page_html("receipt.html", ask.links, None, None, title=title, form=_form(ask, ""))
    return Rendered.of(200, body, HTML), True


def line_page(
    ask: Ask, typed: str, confirm: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> tuple[Rendered, bool]:
    """``/xac-nhan/{code}``: the line, or a 404 page in plain words; ``confirm`` gives what
    it shows of confirmations (:func:`api.pages.confirm.context`)."""
    book = book_of(ask)
    t = ask.t
    try:
        line = find(book, typed)
    except (InvalidField, UnknownEntity) as exc:
        problem = t("receipt_malformed" if exc.status == 400 else "receipt_unknown", code=typed)
        body = page_html(
            "receipt.html",
            ask.links,
            book.commune,
            None,
            title=t("receipt_not_found"),
            problem=problem,
            form=_form(ask, typed),
        )
        return Rendered.of(404, body, HTML), True
    payments = [
        {
            "amount": t.money(p["amount"]),
            "paid_on": t.date(p["paid_on"]),
            "receipt": t(f"receipt_kind_{p['receipt']}"),
        }
        for p in line["payments"]
    ]
    shown = {
        "code": line["code"],
        "program": line["program_name"],
        "month": t.month(line["month"]),
        "due": t.money(line["due"]),
        "paid": t.money(line["paid"]),
        "status": line["status"],
        "status_words": t(f"receipt_{line['status']}"),
        "payments": payments,
    }
    body = page_html(
        "receipt.html",
        ask.links,
        book.commune,
        None,
        title=t("receipt_title"),
        line=shown,
        confirm=confirm(line) if confirm is not None else None,
        entries=t.number(book.entries),
        form=_form(ask, ""),
    )
    return Rendered.of(200, body, HTML), True


def _form(ask: Ask, typed: str) -> dict[str, str]:
    return {"action": ask.links.root + PATH, "value": typed, "lang": ask.lang}
