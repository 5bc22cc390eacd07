"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) over the OpenAPI document, offline.

FastAPI's own pages load their scripts and styles from a CDN, so on a
commune office's network without the Internet they are blank. These serve
the same pages with the assets vendored in ``api/pages/static/vendor/``
(versions and licences in its README), under ``/static/vendor/``, and no
favicon or web font from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

STATIC = Path(__file__).parent.parent / "pages" / "static"
VENDOR = "/static/vendor"
NO_ICON = "data:,"  # (the default icon is fetched from elsewhere)

router = APIRouter(include_in_schema=False)
# Nothing from elsewhere: ReDoc's menu shows a logo from its maker's site, which the
# browser then does not fetch (the picture hides itself); FastAPI starts each UI
# with an inline script.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
}


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI: the operations, tried from the browser."""
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=root + request.app.openapi_url,
        title=request.app.title + " — API",
        swagger_js_url=f"{root}{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=NO_ICON,
        # no badge asking an online validator about the document
        swagger_ui_parameters={"validatorUrl": None},
    )
    page.headers.update(HEADERS)
    return page


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc: the same document, to read."""
    root = _root(request)
    page = get_redoc_html(
        openapi_url=root + request.app.openapi_url,
        title=request.app.title + " — API",
        redoc_js_url=f"{root}{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=NO_ICON,
        with_google_fonts=False,
    )
    page.headers.update(HEADERS)
    return page
