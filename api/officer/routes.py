"""``GET /officer``: the officer console's page, and the labels its forms show.

The page is a shell: the console's ES modules (``/officer/static/js``) draw
its screens in the browser, sign statements there with the officer's own
key, and call the same HTTP API as any other client. The server puts in the
page only what it would say to anyone: the ledger's id and name, and the
language. Vietnamese by default, English with ``?lang=en``.
``/officer/labels.json?lang=`` serves :mod:`api.officer.labels`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.http.deps import ServiceDep
from api.officer.labels import labels_json

router = APIRouter(tags=["officer console"])
LangQ = Annotated[Literal["vi", "en"], Query(description="vi (default) or en")]
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
TITLE = {"vi": "Bàn làm việc của cán bộ", "en": "Officer console"}
INSPECT_TITLE = {"vi": "Kiểm tra sổ cái", "en": "Inspecting the ledger"}
# A page of scripts that sign: it is never framed by another site, and it
# loads scripts from this server only (no inline script, nothing elsewhere).
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@router.get("/officer", response_class=HTMLResponse)
def console_page(request: Request, service: ServiceDep, lang: LangQ = "vi") -> HTMLResponse:
    """The officer console (Vietnamese; English with `lang=en`)."""
    return _console(request, service, lang, "record")


@router.get("/inspect", response_class=HTMLResponse)
def inspect_page(request: Request, service: ServiceDep, lang: LangQ = "vi") -> HTMLResponse:
    """The console opened on the inspector's screen: the log filtered, evidence to take."""
    return _console(request, service, lang, "inspect")


def _console(request: Request, service: ServiceDep, lang: str, start: str) -> HTMLResponse:
    """The console's page; ``start``: the screen it opens on once signed in.

    Its scripts, styles and requests go under the app's root path (``/c/SCHEMA``
    when one server serves a province's communes).
    """
    charter = service.ledger.charter()
    title = TITLE[lang] if start != "inspect" else INSPECT_TITLE[lang]
    html = _templates.get_template("officer.html").render(
        lang=lang,
        title=title,
        ledger_id=charter.ledger_id,
        commune=charter.name,
        start=start,
        root=str(request.scope.get("root_path", "")).rstrip("/"),
    )
    return HTMLResponse(html, headers=HEADERS)


@router.get("/officer/labels.json")
def console_labels(lang: LangQ = "vi") -> dict[str, Any]:
    """The console's labels and help for every statement type, field and value."""
    return labels_json(lang)
