"""One request for a public page: its parameters read once, the documents it draws from.

A page's parameters (``on``, ``as_of``, ``village``, ``program``, ``year``,
``lang``) are read and checked here; ``as_of`` by
:func:`projections.query.resolve_as_of`, as every reader reads it. The
documents a page shows are kept per log size (:mod:`api.pages.cache`),
shared by every language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from fastapi import Request

from api.http.forwarded import PublicAddress
from api.pages.cache import PageCache, Rendered, cache_of
from api.pages.docs import PublicList, list_document, parse_on, parse_year, totals_document
from api.pages.text import Words, check_lang
from api.pages.views import Links, page_html, provenance
from api.reading import is_signed, read_at
from api.service import LedgerService
from projections.query import resolve_as_of

HTML = "text/html; charset=utf-8"


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
    as_of: int
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
            read = read_at(self.service, self.as_of)
            return list_document(read, self.on, village, program), True

        return cast(PublicList, self.cache.documents.get(key, make))

    def totals(self) -> PublicList:
        """The totals of ``year``; without it, of the year of ``on``, else the latest paid."""
        year = self.year if self.year is not None or self.on is None else int(self.on[:4])
        key = ("totals", self.size, self.as_of_raw, year)

        def make() -> tuple[object, bool]:
            return totals_document(read_at(self.service, self.as_of), year), True

        return cast(PublicList, self.cache.documents.get(key, make))

    def state(self, public: PublicList) -> tuple[bool, int, bool]:
        """(signed, entries the read models are behind, whether the page is settled)."""
        tree_size = public.doc["as_of"]
        signed = is_signed(self.service.mlog, tree_size)
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
        prov = provenance(public, signed, behind, self.t, json_url, totals)
        body = page_html(template, self.links, public.commune, prov, page=page, **context)
        return Rendered.of(200, body, HTML), settled


def links_of(request: Request, lang: str, carry: bool = True) -> Links:
    """The site's links for this request, in ``lang``, under the app's root path
    (``carry``: keeping its ``on`` and ``as_of``, once they are known to be good)."""
    root = request.scope.get("root_path", "")
    return Links.of(root, request.url.path[len(root) :], request.query_params, lang, carry)


def public_base_url(request: Request) -> str:
    """The address printed links start with: ``--public-url``, else what the request says
    (behind a trusted proxy, what it forwarded), without a trailing slash."""
    public = getattr(request.app.state, "public", None) or PublicAddress()
    return public.base_url(request)


def ask_of(request: Request, service: LedgerService, **raw: str | None) -> Ask:
    """The request's parameters, checked (a bad one is refused naming it)."""
    size = service.size()
    lang = check_lang(request.query_params.get("lang"))
    as_of_raw = raw.get("as_of") or None
    return Ask(
        service=service,
        cache=cache_of(service),
        size=size,
        lang=lang,
        links=links_of(request, lang),
        base_url=public_base_url(request),
        as_of_raw=as_of_raw,
        as_of=resolve_as_of(service.ledger, as_of_raw),
        on=parse_on(raw.get("on")),
        village=raw.get("village") or None,
        program=raw.get("program") or None,
        year=parse_year(raw.get("year")),
    )
