"""``/khieu-nai``: the commune's grievances in numbers (docs/formats.md 11.5).

How many grievances were lodged each month and about what (a list, a
payment, an exclusion, a benefit, other), how many were closed and how, the
open ones with the day each was lodged and its due date (overdue ones
marked), and how many confirmations the lookup page took, by what they
said. Never who lodged a grievance, what it says, what exactly it is about,
or any id or code: :func:`projections.reports.grievances.public_summary`
keeps none of them. ``?on=`` sets the day "overdue" is counted on (default:
today, in the ledger's time zone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from api.http.deps import ServiceDep
from api.pages.ask import HTML, Ask
from api.pages.cache import Rendered
from api.pages.confirm import cases_of
from api.pages.routes import HTML_RESPONSES
from api.pages.serve import serve
from api.pages.views import page_html
from projections.reports.grievances import public_summary

router = APIRouter(tags=["public pages"])
PATH = "/khieu-nai"
SUBJECTS = ("payment", "list", "exclusion", "benefit", "other")


def page(ask: Ask, today: str) -> tuple[Rendered, bool]:
    """The page, as of the day ``ask.on`` (or ``today``)."""
    t = ask.t
    on = ask.on or today
    summary = public_summary(cases_of(ask), on)
    months = [
        {
            "month": t.month(row["month"]),
            "total": t.number(row["total"]),
            "by_subject": [t.number(row["by_subject"].get(s, 0)) for s in SUBJECTS],
        }
        for row in summary["months"]
    ]
    open_ones = [
        {
            "subject": t(f"grievance_subject_{o['subject']}"),
            "lodged_on": t.date(o["lodged_on"]),
            "due": t.date(o["due"]) if o["due"] else "",
            "state": t("grievance_overdue" if o["overdue"] else
                       "grievance_answered" if o["answered"] else "grievance_waiting"),
            "overdue": o["overdue"],
        }
        for o in summary["open"]
    ]  # fmt: skip
    closed = [
        t("grievance_closed_" + outcome, n=t.number(n)) for outcome, n in summary["closed"].items()
    ]
    confirmed = [
        t("confirm_count_" + outcome, n=t.number(n))
        for outcome, n in summary["confirmations"].items()
    ]
    body = page_html(
        "grievances.html",
        ask.links,
        ask.service.ledger.charter().name,
        None,
        title=t("grievances_title"),
        on=t.date(on),
        subjects=[t(f"grievance_subject_{s}") for s in SUBJECTS],
        months=months,
        open_ones=open_ones,
        closed=", ".join(closed),
        confirmed=", ".join(confirmed),
        entries=t.number(ask.size),
    )
    return Rendered.of(200, body, HTML), True


@router.get(
    PATH,
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="Grievances in numbers: per month and kind, the open ones' due dates",
)
def grievances_html(
    request: Request,
    service: ServiceDep,
    on: Annotated[str | None, Query(description="The day overdue is counted on")] = None,
    lang: Annotated[str | None, Query(description="vi (default) or en")] = None,
) -> Response:
    """Counts and deadlines only: never who lodged a grievance or what it says."""
    zone = ZoneInfo(service.ledger.charter().timezone)
    today = datetime.now(zone).date().isoformat()
    return serve(request, service, f"grievances:{today}", lambda ask: page(ask, today), on=on)
