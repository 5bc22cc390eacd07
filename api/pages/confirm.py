"""A beneficiary's confirmation from the lookup page: ``POST /xac-nhan/{code}``.

The page of a payroll line (:mod:`api.pages.lookup`) shows three buttons
when the server holds the public page's key (``ansinh serve --intake-key
FILE``, a key registered with the role ``intake`` in a ledger following
FORMATS 1.3): "Tôi đã nhận đủ", and under "Tôi chưa nhận / nhận không đủ"
the two ways it can be wrong. A press is recorded in the log as a
``receipt.confirmed`` signed by that key (docs/formats.md 11.5): the code,
what was said, the day; nothing of who pressed. One saying the money did not
come is a grievance, due in 30 days. The page then shows how many
confirmations the line has had, by what they said; never more.

The form is a plain POST (no script, no cookie). It is taken only from the
page itself: a browser sends ``Origin`` (or ``Sec-Fetch-Site``) with a form,
and one naming another site is refused (403), so no other page can make a
visitor's browser press the button. Each client address may confirm
``PER_MINUTE`` times a minute after a burst of ``BURST`` (429 beyond).
Without the key the page says confirmations are taken at the commune office.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.http.deps import ServiceDep, client_of
from api.http.limits import RateLimiter
from api.pages.ask import HTML, Ask, ask_of, links_of, public_base_url
from api.pages.cache import Rendered
from api.pages.lookup import PATH, book_of, find
from api.pages.serve import respond
from api.pages.text import Words
from api.pages.views import page_html
from api.service import LedgerService
from ledger.domain.acceptance import Submission
from ledger.errors import LedgerError
from ledger.formats.dsse import make_statement, open_envelope, sign_statement
from ledger.formats.keys import KeyPair
from projections.query import grievance_cases
from projections.reports.grievances import Case, confirmations_of

router = APIRouter(tags=["public pages"])
OUTCOMES = ("received", "not_received", "wrong_amount")
PER_MINUTE = 6.0
BURST = 3
_HTML = {"text/html": {"schema": {"type": "string"}}}
FORM_BYTES = 200  # ket_qua=wrong_amount&lang=en is 31


def intake_key(request: Request) -> KeyPair | None:
    """The page's key, when the server holds one registered with the role ``intake``."""
    key: KeyPair | None = getattr(request.app.state, "intake_key", None)
    if key is None:
        return None
    service: LedgerService = request.app.state.service
    record = service.ledger.charter().keys.get(key.key_id)
    if record is None or record.revoked or "intake" not in record.roles:
        return None
    return key


def context(request: Request, ask: Ask, line: dict[str, Any], sent: str | None) -> dict[str, Any]:
    """What the line's page shows of confirmations: the buttons (or whom to tell), the
    count so far by outcome, and thanks for the one just sent."""
    counts = confirmations_of(cases_of(ask), line["code"])
    t = ask.t
    said = [
        t(f"confirm_count_{outcome}", n=t.number(counts[outcome]))
        for outcome in OUTCOMES
        if counts[outcome]
    ]
    wanted = line["due"] > 0 or line["paid"] > 0
    return {
        "open": intake_key(request) is not None and wanted,
        "wanted": wanted,
        "action": f"{ask.links.root}{PATH}/{line['code']}",
        "lang": ask.lang,
        "counts": ", ".join(said),
        "sent": sent if sent in OUTCOMES else None,
    }


def cases_of(ask: Ask) -> dict[str, Case]:
    """The ledger's grievances and confirmations (kept per log size)."""

    def make() -> tuple[object, bool]:
        return grievance_cases(ask.service.ledger, ask.size), True

    return cast(dict[str, Case], ask.cache.documents.get(("grievance-cases", ask.size), make))


def _refused(request: Request, status: int, problem_key: str, **headers: str) -> Response:
    lang = "en" if request.query_params.get("lang") == "en" else "vi"
    t = Words(lang)
    body = page_html(
        "error.html",
        links_of(request, lang, carry=False),
        title=t("confirm_refused"),
        heading=t("confirm_refused"),
        problem=t(problem_key),
        detail="",
    )
    response = respond(request, Rendered.of(status, body, HTML))
    response.headers.update(headers)
    return response


def same_origin(request: Request) -> bool:
    """Whether a browser sent this form from this site (``Origin``, else ``Sec-Fetch-Site``):
    the address the request was made to, or the public address (``--public-url``)."""
    origin = request.headers.get("origin")
    if origin is not None:
        parts = urlsplit(origin)
        public = urlsplit(public_base_url(request))
        sites = {(request.url.scheme, request.url.netloc), (public.scheme, public.netloc)}
        return (parts.scheme, parts.netloc) in sites
    fetch_site = request.headers.get("sec-fetch-site")
    return fetch_site in ("same-origin", "none")


def _limiter(request: Request) -> RateLimiter:
    state = request.app.state
    found: RateLimiter | None = getattr(state, "confirm_rate", None)
    if found is None:
        found = state.confirm_rate = RateLimiter(PER_MINUTE, BURST)
    return found


@router.post(
    "/xac-nhan/{code}",
    response_class=HTMLResponse,
    summary="Confirm a payroll line from its page (a form, not an API)",
    responses={
        303: {"description": "Recorded: back to the line's page, which thanks"},
        400: {"description": "No answer among the three: a page saying so", "content": _HTML},
        403: {
            "description": "Not sent from this site's page, or confirmations not taken here",
            "content": _HTML,
        },
        404: {"description": "No payroll line has this code", "content": _HTML},
        429: {
            "description": "Too many confirmations from this address; Retry-After",
            "content": _HTML,
        },
    },
)
async def confirm(request: Request, service: ServiceDep, code: str) -> Response:
    """Record what a beneficiary says of a payroll line: ``ket_qua`` = received,
    not_received or wrong_amount (a form field); ``receipt.confirmed`` in the log."""
    if not same_origin(request):
        return _refused(request, 403, "confirm_other_site")
    key = intake_key(request)
    if key is None:
        return _refused(request, 403, "confirm_closed")
    wait = _limiter(request).take(client_of(request))
    if wait > 0:
        return _refused(request, 429, "confirm_too_many", **{"Retry-After": str(int(wait) + 1)})
    form = parse_qs((await request.body())[:FORM_BYTES].decode("utf-8", "replace"))
    outcome = (form.get("ket_qua") or [""])[0]
    lang = (form.get("lang") or [""])[0]
    if outcome not in OUTCOMES:
        return _refused(request, 400, "confirm_bad_form")
    try:
        line = find(book_of(ask_of(request, service)), code)
    except LedgerError:
        return _refused(request, 404, "confirm_unknown")
    charter = service.ledger.charter()
    today = datetime.now(ZoneInfo(charter.timezone)).date().isoformat()
    body = {
        "confirmation_id": str(uuid4()),
        "code": line["code"],
        "outcome": outcome,
        "confirmed_on": today,
    }
    envelope = sign_statement(
        make_statement(charter.ledger_id, "receipt.confirmed", body, key.key_id), key
    )
    await run_in_threadpool(service.submit, Submission(open_envelope(envelope)))
    back = f"{request.scope.get('root_path', '')}{PATH}/{line['code']}?da_gui={outcome}"
    return RedirectResponse(back + ("&lang=en" if lang == "en" else ""), status_code=303)
