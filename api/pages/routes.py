"""The public disclosure pages (niêm yết công khai): server-rendered, no script.

``/`` the commune; ``/lists`` the approved lists by village and program;
``/print/lists`` a copy for the notice board with its digest and a QR code
of the page that shows exactly that list; ``/totals`` what each program paid
per month; ``/checkpoints`` the signed checkpoints and how to verify;
``/xac-nhan/{code}`` one payroll line by the lookup code printed on it
(:mod:`api.pages.lookup`), and ``/xac-nhan`` a form to type a code.
``/lists.json`` and ``/totals.json`` serve the documents the digests are
computed over, byte for byte. Vietnamese by default, English with
``?lang=en``; every page says which checkpoint it was drawn from. Every page
takes ``?on=`` (the day; on ``/totals``, without ``year``, that day's year)
and its site links keep it, and ``as_of``.

Pages speak to villagers in plain words (GLOSSARY.md): the digest is the
list's "check code" (mã đối chiếu), shown also as its first 8 groups of 4
hex digits to compare by eye with the printed notice; the Merkle root, tree
size and how the digest is computed are in a part marked for inspectors.
Printed links and the QR code start with the public address
(:mod:`api.http.forwarded`).

The digest (:mod:`api.pages.docs`): lowercase hex SHA-256 of the JCS
(RFC 8785) canonical JSON of ``{"ledger", "on", "as_of", "root", "village",
"program", "rows"}``, the rows exactly as shown. ``sha256sum lists.json``
gives it.

Pages are kept rendered per log size and parameters (:mod:`api.pages.cache`),
so a list is drawn once per new entry, not once per reader. A bad ``on``,
``as_of``, ``year`` or ``lang`` gets a 400 page naming it; an unknown
village or program a 404 page, in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.http.deps import ServiceDep
from api.pages import confirm
from api.pages.ask import Ask
from api.pages.cache import Rendered
from api.pages.docs import PublicList
from api.pages.lookup import form_page, line_page
from api.pages.serve import serve, serve_json
from api.pages.views import checkpoints_page, home_page, list_page, qr_svg, query, totals_page
from api.pages.witnessed import witnessed

router = APIRouter(tags=["public pages"])
Endpoint = TypeVar("Endpoint", bound=Callable[..., Response])

Village = Annotated[str | None, Query(description="A village (thôn, bản), as listed")]
Program = Annotated[
    str | None, Query(description="A program code, or `households` for the poor/near-poor list")
]
On = Annotated[str | None, Query(description="Business date YYYY-MM-DD (default: last entry's)")]
AsOf = Annotated[
    str | None, Query(description="What the ledger knew: the first N entries, or an ISO time")
]
Lang = Annotated[str | None, Query(description="vi (default) or en")]
Sent = Annotated[
    str | None, Query(description="The confirmation just recorded (its outcome): thanks for it")
]


def _list_query(
    village: Village = None, program: Program = None, on: On = None, as_of: AsOf = None
) -> dict[str, str | None]:
    """Which list: village and program, on which day, as of what the ledger knew."""
    return {"village": village, "program": program, "on": on, "as_of": as_of}


def _lang(lang: Lang = None) -> str | None:
    return lang  # (read from the request where a page is drawn; declared here for the docs)


Year = Annotated[str | None, Query(description="YYYY (default: the latest year paid)")]
OnYear = Annotated[
    str | None, Query(description="A day YYYY-MM-DD: without `year`, the totals of its year")
]


def _totals_query(
    year: Year = None, on: OnYear = None, as_of: AsOf = None
) -> dict[str, str | None]:
    """Which totals: the year (or the year of ``on``), as of what the ledger knew."""
    return {"year": year, "on": on, "as_of": as_of}


ListQuery = Annotated[dict[str, str | None], Depends(_list_query)]
TotalsQuery = Annotated[dict[str, str | None], Depends(_totals_query)]
PageLang = Annotated[str | None, Depends(_lang)]  # after the query, as the docs list them


# -- the pages --------------------------------------------------------------------------
def _lists_json_url(ask: Ask, public: PublicList, printed: bool = False) -> str:
    """The address of the document a list's digest is over (in full on paper)."""
    doc = public.doc
    pinned = {"village": doc["village"], "program": doc["program"], "on": doc["on"]}
    start = ask.base_url if printed else ask.links.root
    return start + "/lists.json" + query("vi", **pinned, as_of=doc["as_of"])


def _home(ask: Ask) -> tuple[Rendered, bool]:
    public = ask.lists()
    page = home_page(public, ask.links, {"on": ask.on, "as_of": ask.as_of_raw})
    page["witnessed"], enough = witnessed(ask.service, ask.lang)
    title = ask.t("site")
    drawn, settled = ask.html("home.html", public, page, _lists_json_url(ask, public), title=title)
    return drawn, settled and enough


def _lists(ask: Ask) -> tuple[Rendered, bool]:
    public = ask.lists(ask.village, ask.program)
    here = {"village": ask.village, "program": ask.program, "on": ask.on, "as_of": ask.as_of_raw}
    page = list_page(
        public,
        {
            "on_param": ask.on,
            "as_of_param": ask.as_of_raw,
            "print_url": ask.links.to("/print/lists", **here),
            "json_url": _lists_json_url(ask, public),
        },
    )
    title = ask.t("lists")
    return ask.html("lists.html", public, page, page["json_url"], title=title)


def _print(ask: Ask) -> tuple[Rendered, bool]:
    public = ask.lists(ask.village, ask.program)
    doc = public.doc
    pinned = {"village": doc["village"], "program": doc["program"], "on": doc["on"]}
    pinned["as_of"] = doc["as_of"]
    url = ask.base_url + "/lists" + query(ask.lang, **pinned)
    page = list_page(
        public,
        {
            "qr_url": url,
            "qr_svg": qr_svg(url),
            "screen_url": ask.links.to("/lists", **pinned),
        },
    )
    title = ask.t("lists") + " — " + ask.t("print")
    json_url = _lists_json_url(ask, public, printed=True)
    return ask.html("print.html", public, page, json_url, title=title, heading=ask.t("lists"))


def _totals(ask: Ask) -> tuple[Rendered, bool]:
    public = ask.totals()
    doc = public.doc
    json_url = ask.links.root + "/totals.json" + query("vi", year=doc["year"], as_of=doc["as_of"])
    page = totals_page(public, {"as_of_param": ask.as_of_raw, "json_url": json_url})
    title = ask.t("totals")
    return ask.html("totals.html", public, page, json_url, totals=True, title=title)


def _checkpoints(ask: Ask) -> tuple[Rendered, bool]:
    public = ask.lists()
    page = checkpoints_page(ask.service.merkle().checkpoints(newest=RECENT_CHECKPOINTS), ask.links)
    page["witnessed"], enough = witnessed(ask.service, ask.lang)
    title = ask.t("checkpoints")
    json_url = _lists_json_url(ask, public)
    drawn, settled = ask.html("checkpoints.html", public, page, json_url, title=title)
    return drawn, settled and enough  # (a page waiting for cosignatures is not kept long)


RECENT_CHECKPOINTS = 50  # on the checkpoints page; the bundle holds every one

_HTML = {"text/html": {"schema": {"type": "string"}}}
_ERROR = {"$ref": "#/components/schemas/ErrorBody"}
HTML_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The page (HTML)", "content": _HTML},
    304: {"description": "Not modified since the ETag given"},
    400: {
        "description": "A parameter is malformed: a page naming it",
        "content": {**_HTML, "application/json": {"schema": _ERROR}},
    },
    404: {"description": "No such village or program: a page saying so", "content": _HTML},
}
JSON_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The JCS bytes of the document", "content": {"application/json": {}}},
    304: {"description": "Not modified since the ETag given"},
    400: {
        "description": "A parameter is malformed",
        "content": {"application/json": {"schema": _ERROR}},
    },
    404: {
        "description": "No such village or program",
        "content": {"application/json": {"schema": _ERROR}},
    },
}


def _page(path: str, summary: str) -> Callable[[Endpoint], Endpoint]:
    """A route answering with an HTML page (or a page saying what was wrong)."""
    return router.get(path, response_class=HTMLResponse, responses=HTML_RESPONSES, summary=summary)


def _document(path: str, summary: str) -> Callable[[Endpoint], Endpoint]:
    """A route answering with a document's canonical bytes."""
    return router.get(path, response_class=Response, responses=JSON_RESPONSES, summary=summary)


@_page("/", "The commune's public page")
def home(
    request: Request, service: ServiceDep, on: On = None, as_of: AsOf = None, lang: Lang = None
) -> Response:
    """The commune on a day: its checkpoint, villages and programs, what each counts."""
    return serve(request, service, "home", _home, on=on, as_of=as_of)


@_page("/lists", "The approved lists (HTML)")
def lists_html(request: Request, service: ServiceDep, query: ListQuery, lang: PageLang) -> Response:
    """Poor and near-poor households and each program's beneficiaries, by village."""
    return serve(request, service, "lists", _lists, **query)


@_page("/print/lists", "A list to print and post")
def print_lists(
    request: Request, service: ServiceDep, query: ListQuery, lang: PageLang
) -> Response:
    """The list with its digest and a QR code of the URL that shows exactly it."""
    return serve(request, service, "print", _print, **query)


@_document("/lists.json", "The document a list digest is over")
def lists_json(request: Request, service: ServiceDep, query: ListQuery) -> Response:
    """The JCS bytes of the list document: ``sha256sum`` of them is the list's digest."""
    return serve_json(request, service, "lists", **query)


@_page("/totals", "Totals paid per program and month")
def totals_html(
    request: Request, service: ServiceDep, query: TotalsQuery, lang: PageLang
) -> Response:
    """Unreversed payments of one year, per program and month."""
    return serve(request, service, "totals", _totals, **query)


@_document("/totals.json", "The document a totals digest is over")
def totals_json(request: Request, service: ServiceDep, query: TotalsQuery) -> Response:
    """The JCS bytes of the totals document."""
    return serve_json(request, service, "totals", **query)


@_page("/checkpoints", "Signed checkpoints; how to verify")
def checkpoints_html(
    request: Request, service: ServiceDep, on: On = None, as_of: AsOf = None, lang: Lang = None
) -> Response:
    """The recent signed checkpoints and how anyone can check the ledger and a list
    (``on``: the day of the list whose check code the page shows)."""
    return serve(request, service, "checkpoints", _checkpoints, on=on, as_of=as_of)


RECEIPT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The payroll line (HTML)", "content": _HTML},
    304: {"description": "Not modified since the ETag given"},
    400: HTML_RESPONSES[400],
    404: {
        "description": "Not a lookup code, or no line has it: a page saying how to type "
        "it and whom to ask",
        "content": _HTML,
    },
}
TYPED = 64  # characters of a typed code kept (a longer one is not a code anyway)


@router.get(
    "/xac-nhan",
    response_class=HTMLResponse,
    responses=RECEIPT_RESPONSES,
    summary="Type a payroll line's lookup code",
)
def receipt_form(
    request: Request,
    service: ServiceDep,
    ma: Annotated[
        str | None, Query(description="A lookup code (mã tra cứu) typed in: shows its line")
    ] = None,
    lang: Lang = None,
) -> Response:
    """A form to type the lookup code printed on a payroll line; with ``ma``, the line."""
    typed = (ma or "").strip()[:TYPED]
    return serve(request, service, f"receipt-form:{typed}", lambda ask: form_page(ask, typed))


@router.get(
    "/xac-nhan/{code}",
    response_class=HTMLResponse,
    responses=RECEIPT_RESPONSES,
    summary="One payroll line, by its lookup code",
)
def receipt_html(
    request: Request, service: ServiceDep, code: str, lang: Lang = None, da_gui: Sent = None
) -> Response:
    """The commune, program, month, amount due and whether it was paid; nothing else (no
    name, household or id). ``code`` as printed (``XXXXX-XXXXX``), any case, with or
    without the dash; O is read as 0, I and L as 1."""
    typed = code.strip()[:TYPED]
    sent = da_gui if da_gui in confirm.OUTCOMES else None
    taking = confirm.intake_key(request) is not None
    return serve(
        request,
        service,
        f"receipt:{typed}:{sent}:{taking}",
        lambda ask: line_page(ask, typed, lambda line: confirm.context(request, ask, line, sent)),
    )
