"""How a public page leaves: kept bytes, gzipped when asked, 304 when unchanged; a
page naming the parameter that was wrong; a document's canonical bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response

from api.pages.ask import HTML, Ask, ask_of, links_of
from api.pages.cache import Rendered
from api.pages.text import Words
from api.pages.views import page_html
from api.service import LedgerService
from ledger.errors import LedgerError

JSON = "application/json"


def respond(request: Request, rendered: Rendered) -> Response:
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


def error_page(request: Request, exc: LedgerError) -> Rendered:
    """The 400 or 404 page, in the language asked for (Vietnamese if that was the problem)."""
    lang = "en" if request.query_params.get("lang") == "en" else "vi"
    t = Words(lang)
    field = exc.field or "?"
    value = request.query_params.get(field, "")
    if exc.status == 404 and field in ("village", "program"):
        problem = t(f"unknown_{field}", value=value)
    elif exc.status == 400:
        problem = t("bad_param", field=field)
    else:
        problem = exc.message
    title = t("not_found") if exc.status == 404 else t("bad_request")
    detail = f"{exc.code}: {exc.message}"
    context: dict[str, Any] = {
        "title": title,
        "heading": title,
        "problem": problem,
        "detail": detail,
    }
    body = page_html("error.html", links_of(request, lang, carry=False), **context)
    return Rendered.of(exc.status, body, HTML)


def serve(
    request: Request,
    service: LedgerService,
    name: str,
    build: Callable[[Ask], tuple[Rendered, bool]],
    **raw: str | None,
) -> Response:
    """The page ``name`` (kept, or drawn by ``build``), or the page saying what was wrong."""
    try:
        ask = ask_of(request, service, **raw)
        rendered = ask.cache.pages.get(ask.key(name), lambda: build(ask))
    except LedgerError as exc:
        rendered = error_page(request, exc)
    return respond(request, rendered)


def serve_json(request: Request, service: LedgerService, name: str, **raw: str | None) -> Response:
    """A document's canonical bytes, its digest in a header; errors leave as the API's JSON."""
    ask = ask_of(request, service, **raw)
    public = ask.totals() if name == "totals" else ask.lists(ask.village, ask.program)
    rendered = ask.cache.pages.get(
        ask.key(f"{name}.json"), lambda: (Rendered.of(200, public.canonical, JSON), True)
    )
    response = respond(request, rendered)
    response.headers["X-Ansinh-Digest"] = f"sha256:{public.digest}"
    return response
