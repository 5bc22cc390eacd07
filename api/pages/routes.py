"""The public disclosure pages (niêm yết công khai): server-rendered, no script.

``/`` the commune; ``/lists`` the approved lists by village and program;
``/print/lists`` a copy for the notice board with its digest and a QR code
of the page that shows exactly that list; ``/totals`` what each program paid
per month; ``/checkpoints`` the signed checkpoints and how to verify.
``/lists.json`` and ``/totals.json`` serve the documents the digests are
computed over, byte for byte. Vietnamese by default, English with
``?lang=en``; every page says which checkpoint it was drawn from.

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
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.http.deps import ServiceDep
from api.pages.cache import PageCache, Rendered, cache_of
from api.pages.docs import (
    PublicList,
    draw,
    is_signed,
    list_document,
    parse_as_of,
    parse_on,
    parse_year,
    totals_document,
)
from api.pages.text import Words, check_lang
from api.pages.views import (
    Links,
    checkpoints_page,
    home_page,
    list_page,
    provenance,
    qr_svg,
    query,
    render,
    totals_page,
)
from api.service import LedgerService
from ledger.errors import LedgerError

router = APIRouter(tags=["public pages"])

HTML = "text/html; charset=utf-8"
JSON = "application/json"

Village = Annotated[str | None, Query(description="A village (thôn, bản), as listed")]
Program = Annotated[
    str | None, Query(description="A program code, or `households` for the poor/near-poor list")
]
On = Annotated[str | None, Query(description="Business date YYYY-MM-DD (default: last entry's)")]
AsOf = Annotated[
    str | None, Query(description="What the ledger knew: the first N entries, or an ISO time")
]
Lang = Annotated[str | None, Query(description="vi (default) or en")]


def _list_query(
    village: Village = None, program: Program = None, on: On = None, as_of: AsOf = None
) -> dict[str, str | None]:
    """Which list: village and program, on which day, as of what the ledger knew."""
    return {"village": village, "program": program, "on": on, "as_of": as_of}


def _lang(lang: Lang = None) -> str | None:
    return lang  # (read from the request where a page is drawn; declared here for the docs)


ListQuery = Annotated[dict[str, str | None], Depends(_list_query)]
PageLang = Annotated[str | None, Depends(_lang)]  # after a ListQuery, as the docs list them
Year = Annotated[str | None, Query(description="YYYY (default: the latest year paid)")]


@dataclass(frozen=True)
class Ask:
    """One request for a page: its parsed parameters, at one log size."""

    service: LedgerService
    cache: PageCache
    size: int
    lang: str
    links: Links
    base_url: str
    as_of_raw: str | None
    as_of: int | str | None
    on: str | None = None
    village: str | None = None
    program: str | None = None
    year: int | None = None

    @property
    def t(self) -> Words:
        return Words(self.lang)

    def key(self, name: str) -> tuple[Any, ...]:
        return (
            name,
            self.size,
            self.lang,
            self.base_url,
            self.as_of_raw,
            self.on,
            self.village,
            self.program,
            self.year,
        )

    def lists(self, village: str | None = None, program: str | None = None) -> PublicList:
        """The list document (kept per log size, shared by every language)."""
        key = ("list", self.size, self.as_of_raw, self.on, village, program)

        def make() -> tuple[object, bool]:
            drawn = draw(self.service, self.size if self.as_of is None else self.as_of)
            return list_document(self.service, drawn, self.on, village, program), True

        return cast(PublicList, self.cache.documents.get(key, make))

    def totals(self) -> PublicList:
        key = ("totals", self.size, self.as_of_raw, self.year)

        def make() -> tuple[object, bool]:
            drawn = draw(self.service, self.size if self.as_of is None else self.as_of)
            return totals_document(drawn, self.year), True

        return cast(PublicList, self.cache.documents.get(key, make))

    def state(self, public: PublicList) -> tuple[bool, int, bool]:
        """(signed, entries the read models are behind, whether the page is settled)."""
        tree_size = public.doc["as_of"]
        signed = is_signed(self.service, tree_size)
        position, size = self.service.lag()
        behind = max(0, size - position)
        return signed, behind, behind == 0 and (signed or tree_size < size)

    def html(
        self,
        template: str,
        public: PublicList,
        page: dict[str, Any],
        json_url: str,
        totals: bool = False,
        **context: Any,
    ) -> tuple[Rendered, bool]:
        """The page drawn from ``public``, and whether it may be kept long."""
        signed, behind, settled = self.state(public)
        t = self.t
        body = render(
            template,
            lang=self.lang,
            t=t,
            links=self.links,
            commune=public.commune,
            prov=provenance(public, signed, behind, t, json_url, totals),
            page=page,
            **context,
        )
        return Rendered.of(200, body, HTML), settled


def _ask(request: Request, service: LedgerService, **raw: str | None) -> Ask:
    size = service.size()
    lang = check_lang(request.query_params.get("lang"))
    as_of_raw = raw.get("as_of") or None
    root = request.scope.get("root_path", "")
    links = Links.of(root, request.url.path[len(root) :], request.query_params, lang)
    return Ask(
        service=service,
        cache=cache_of(service),
        size=size,
        lang=lang,
        links=links,
        base_url=str(request.base_url),
        as_of_raw=as_of_raw,
        as_of=parse_as_of(as_of_raw, size),
        on=parse_on(raw.get("on")),
        village=raw.get("village") or None,
        program=raw.get("program") or None,
        year=parse_year(raw.get("year")),
    )


def _respond(request: Request, rendered: Rendered) -> Response:
    """The kept bytes, gzipped when the client takes it; 304 when it has them."""
    gzipped = "gzip" in request.headers.get("accept-encoding", "")
    etag = rendered.etag[:-1] + ('-gz"' if gzipped else '"')
    headers = {"ETag": etag, "Vary": "Accept-Encoding", "Cache-Control": "no-cache"}
    if rendered.status == 200 and request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    body = rendered.gzipped if gzipped else rendered.body
    return Response(body, rendered.status, headers, rendered.media_type)


def _error_page(request: Request, exc: LedgerError) -> Rendered:
    """The 400 or 404 page, in the language asked for (Vietnamese if that was the problem)."""
    asked = request.query_params.get("lang")
    lang = "en" if asked == "en" else "vi"
    t = Words(lang)
    field = exc.field or "?"
    value = request.query_params.get(field, "")
    if exc.status == 404 and field in ("village", "program"):
        problem = t(f"unknown_{field}", value=value)
    elif exc.status == 400:
        problem = t("bad_param", field=field)
    else:
        problem = exc.message
    root = request.scope.get("root_path", "")
    links = Links.of(root, request.url.path[len(root) :], request.query_params, lang)
    title = t("not_found") if exc.status == 404 else t("bad_request")
    body = render(
        "error.html",
        lang=lang,
        t=t,
        links=links,
        commune=None,
        prov=None,
        title=title,
        heading=title,
        problem=problem,
        detail=f"{exc.code}: {exc.message}",
    )
    return Rendered.of(exc.status, body, HTML)


def _serve(
    request: Request,
    service: LedgerService,
    name: str,
    build: Callable[[Ask], tuple[Rendered, bool]],
    **raw: str | None,
) -> Response:
    try:
        ask = _ask(request, service, **raw)
        rendered = ask.cache.pages.get(ask.key(name), lambda: build(ask))
    except LedgerError as exc:
        rendered = _error_page(request, exc)
    return _respond(request, rendered)


def _json(request: Request, service: LedgerService, name: str, **raw: str | None) -> Response:
    """A document's canonical bytes, its digest in a header; errors leave as the API's JSON."""
    ask = _ask(request, service, **raw)
    public = ask.totals() if name == "totals" else ask.lists(ask.village, ask.program)
    rendered = ask.cache.pages.get(
        ask.key(f"{name}.json"), lambda: (Rendered.of(200, public.canonical, JSON), True)
    )
    response = _respond(request, rendered)
    response.headers["X-Ansinh-Digest"] = f"sha256:{public.digest}"
    return response


# -- the pages --------------------------------------------------------------------------
def _lists_json_url(ask: Ask, public: PublicList) -> str:
    doc = public.doc
    pinned = {"village": doc["village"], "program": doc["program"], "on": doc["on"]}
    return ask.links.root + "/lists.json" + query("vi", **pinned, as_of=doc["as_of"])


def _home(ask: Ask) -> tuple[Rendered, bool]:
    public = ask.lists()
    page = home_page(public, ask.links, ask.as_of_raw)
    title = ask.t("site")
    return ask.html("home.html", public, page, _lists_json_url(ask, public), title=title)


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
    url = ask.base_url.rstrip("/") + "/lists" + query(ask.lang, **pinned)
    page = list_page(
        public,
        {
            "qr_url": url,
            "qr_svg": qr_svg(url),
            "screen_url": ask.links.to("/lists", **pinned),
        },
    )
    title = ask.t("lists") + " — " + ask.t("print")
    json_url = _lists_json_url(ask, public)
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
    title = ask.t("checkpoints")
    return ask.html("checkpoints.html", public, page, _lists_json_url(ask, public), title=title)


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


@router.get(
    "/", response_class=HTMLResponse, responses=HTML_RESPONSES, summary="The commune's public page"
)
def home(request: Request, service: ServiceDep, as_of: AsOf = None, lang: Lang = None) -> Response:
    """The commune: its checkpoint, villages and programs."""
    return _serve(request, service, "home", _home, as_of=as_of)


@router.get(
    "/lists",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="The approved lists (HTML)",
)
def lists_html(request: Request, service: ServiceDep, query: ListQuery, lang: PageLang) -> Response:
    """Poor and near-poor households and each program's beneficiaries, by village."""
    return _serve(request, service, "lists", _lists, **query)


@router.get(
    "/print/lists",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="A list to print and post",
)
def print_lists(
    request: Request, service: ServiceDep, query: ListQuery, lang: PageLang
) -> Response:
    """The list with its digest and a QR code of the URL that shows exactly it."""
    return _serve(request, service, "print", _print, **query)


@router.get(
    "/lists.json",
    response_class=Response,
    responses=JSON_RESPONSES,
    summary="The document a list digest is over",
)
def lists_json(request: Request, service: ServiceDep, query: ListQuery) -> Response:
    """The JCS bytes of the list document: ``sha256sum`` of them is the list's digest."""
    return _json(request, service, "lists", **query)


@router.get(
    "/totals",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="Totals paid per program and month",
)
def totals_html(
    request: Request, service: ServiceDep, year: Year = None, as_of: AsOf = None, lang: Lang = None
) -> Response:
    """Unreversed payments of one year, per program and month."""
    return _serve(request, service, "totals", _totals, year=year, as_of=as_of)


@router.get(
    "/totals.json",
    response_class=Response,
    responses=JSON_RESPONSES,
    summary="The document a totals digest is over",
)
def totals_json(
    request: Request, service: ServiceDep, year: Year = None, as_of: AsOf = None
) -> Response:
    """The JCS bytes of the totals document."""
    return _json(request, service, "totals", year=year, as_of=as_of)


@router.get(
    "/checkpoints",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="Signed checkpoints; how to verify",
)
def checkpoints_html(
    request: Request, service: ServiceDep, as_of: AsOf = None, lang: Lang = None
) -> Response:
    """The recent signed checkpoints and how anyone can check the ledger and a list."""
    return _serve(request, service, "checkpoints", _checkpoints, as_of=as_of)
