"""What each public page's template is given, built from a drawn document.

The templates (``api/templates``) only lay out what is built here: rows
grouped by program with their totals, links that keep the page's language,
the QR code of a printed list, the counts of the home page, and the
provenance box: for villagers the list's check code (its first 8 groups of 4
hex digits, and in full), the entries recorded and whether the notary signed
that size; for inspectors, the tree size, root and digest as such.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import segno
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from api.pages.docs import HOUSEHOLDS, PublicList
from api.pages.text import Words
from ledger.tlog.merkle_log import IssuedCheckpoint

_ENV = Environment(
    loader=PackageLoader("api.pages", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
QR_SCALE = 4
QR_ERROR = "m"
PAGES = ("/", "/lists", "/totals", "/checkpoints")  # home, lists, totals, checkpoints
CARRIED = ("on", "as_of")  # from page to page
SHORT_GROUPS = 8


def qr_svg(url: str) -> Markup:
    """The QR code of ``url`` as inline SVG (segno, error correction M)."""
    svg = segno.make(url, error=QR_ERROR).svg_inline(scale=QR_SCALE, omitsize=True, title=url)
    return Markup(svg)  # segno's own markup, with the title escaped


def short_digest(digest: str, groups: int = SHORT_GROUPS) -> str:
    """The first ``groups`` groups of 4 hex digits, spaced (``3f2a 9c1b …``): easy to read
    aloud and compare by eye; 8 groups are 128 bits, which no other list can be made to
    share in practice."""
    return " ".join(digest[i : i + 4] for i in range(0, min(len(digest), 4 * groups), 4))


def query(lang: str, **params: object) -> str:
    """``?a=b&...`` of the parameters that are set, with ``lang`` only when English."""
    items = [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    if lang == "en":
        items.append(("lang", "en"))
    return "?" + urlencode(items) if items else ""


@dataclass(frozen=True)
class Links:
    """The site's links, in the page's language, under the app's root path."""

    root: str
    lang: str
    other_lang: str
    home: str
    lists: str
    totals: str
    checkpoints: str

    @classmethod
    def of(
        cls, root: str, path: str, params: Mapping[str, str], lang: str, carry: bool = True
    ) -> Links:
        """The links of a page at ``path``; ``carry``: the site's links keep the day
        (``on``) and the ledger's extent (``as_of``) the reader chose."""
        kept = {k: v for k, v in params.items() if k != "lang"}
        other = query("vi" if lang == "en" else "en", **kept)
        carried = {k: params.get(k) for k in CARRIED} if carry else {}
        pages = (f"{root}{page}{query(lang, **carried)}" for page in PAGES)
        return cls(root, lang, f"{root}{path}{other}", *pages)

    def to(self, path: str, **params: object) -> str:
        return f"{self.root}{path}{query(self.lang, **params)}"


def render(template: str, **context: Any) -> bytes:
    return _ENV.get_template(template).render(**context).encode()


def page_html(
    template: str,
    links: Links,
    commune: str | None = None,
    prov: dict[str, Any] | None = None,
    **context: Any,
) -> bytes:
    """A page in the language of its links, with the site's frame around it."""
    lang = links.lang
    return render(
        template, lang=lang, t=Words(lang), links=links, commune=commune, prov=prov, **context
    )


def provenance(
    public: PublicList, signed: bool, behind: int, t: Words, json_url: str, totals: bool = False
) -> dict[str, Any]:
    doc = public.doc
    return {
        "ledger": doc["ledger"],
        "tree_size": doc["as_of"],
        "root": doc["root"],
        "signed": signed,
        "behind": behind,
        "digest": public.digest,
        "digest_short": short_digest(public.digest),
        "digest_grouped": short_digest(public.digest, groups=16),
        "what": t("what_totals" if totals else "what_list"),
        "digest_label": t("totals_digest" if totals else "digest"),
        "digest_rule": t("totals_rule" if totals else "digest_rule", url=json_url),
    }


def list_page(public: PublicList, params: Mapping[str, Any]) -> dict[str, Any]:
    """Rows of the households list and of each program, in the document's order."""
    doc = public.doc
    programs = {p.code: p for p in public.programs}
    households = [r for r in public.rows if r["list"] == "households"]
    sections: list[dict[str, Any]] = []
    for row in public.rows:
        if row["list"] != "beneficiaries":
            continue
        if not sections or sections[-1]["code"] != row["program_code"]:
            info = programs.get(row["program_code"])
            sections.append(
                {
                    "code": row["program_code"],
                    "name": row["program_name"],
                    "category": row["category"],
                    "per_month": info is not None and info.kind == "monthly",
                    "rows": [],
                    "total": 0,
                }
            )
        sections[-1]["rows"].append(row)
        sections[-1]["total"] += row["amount"]
    program = doc["program"]
    return {
        "on": doc["on"],
        "village": doc["village"],
        "program": program,
        "program_name": programs[program].name if program in programs else None,
        "villages": public.villages,
        "programs": public.programs,
        "show_households": program in (None, HOUSEHOLDS),
        "show_beneficiaries": program != HOUSEHOLDS,
        "households": households,
        "sections": sections,
        "postings": public.extra.get("postings", []),  # review rounds' posting windows
        "withheld": any(
            r["head" if r["list"] == "households" else "name"] is None for r in public.rows
        ),
        **params,
    }


@dataclass
class Counts:
    """What a part of the list counts: households by status, and who receives benefits."""

    poor: int = 0
    near_poor: int = 0
    people: set[str] = field(default_factory=set)
    households: set[str] = field(default_factory=set)

    def add(self, row: dict[str, Any], recipient: str | None) -> None:
        if row["list"] == "households":
            if row["status"] == "poor":
                self.poor += 1
            else:
                self.near_poor += 1
        elif recipient is not None:
            (self.households if recipient.startswith("household:") else self.people).add(recipient)

    def said(self, t: Words) -> dict[str, str]:
        return {
            "households": t.households_counted(self.poor, self.near_poor),
            "recipients": t.recipients_counted(len(self.people), len(self.households)),
        }


def home_page(public: PublicList, links: Links, params: Mapping[str, str | None]) -> dict[str, Any]:
    """Villages and programs of the full list, each saying what it counts: households
    by status, and the people (or households) receiving benefits."""
    t = Words(links.lang)
    whole = Counts()
    villages = {v: Counts() for v in public.villages}
    programs = {p.code: Counts() for p in public.programs}
    recipients = iter(public.extra.get("recipients", []))
    for row in public.rows:
        recipient = next(recipients, None) if row["list"] == "beneficiaries" else None
        whole.add(row, recipient)
        villages.setdefault(row["village"], Counts()).add(row, recipient)
        if row["list"] == "beneficiaries":
            programs.setdefault(row["program_code"], Counts()).add(row, recipient)
    return {
        "on": public.doc["on"],
        "counted": whole.said(t),
        "household_count": whole.poor + whole.near_poor,
        "households_url": links.to("/lists", program=HOUSEHOLDS, **params),
        "villages": [
            {
                "name": v,
                "counted": n.said(t),
                "url": links.to("/lists", village=v, **params),
            }
            for v, n in villages.items()
        ],
        "programs": [
            {
                "code": p.code,
                "name": p.name,
                "category": p.category,
                "counted": t.recipients_short(
                    len(programs[p.code].people), len(programs[p.code].households)
                ),
                "url": links.to("/lists", program=p.code, **params),
            }
            for p in public.programs
        ],
    }


def totals_page(public: PublicList, params: Mapping[str, Any]) -> dict[str, Any]:
    """The totals rows grouped by program, with each program's and the year's total."""
    sections: list[dict[str, Any]] = []
    for row in public.rows:
        if not sections or sections[-1]["code"] != row["program_code"]:
            sections.append(
                {
                    "code": row["program_code"],
                    "name": row["program_name"],
                    "rows": [],
                    "payments": 0,
                    "paid": 0,
                }
            )
        sections[-1]["rows"].append(row)
        sections[-1]["payments"] += row["payments"]
        sections[-1]["paid"] += row["paid"]
    year = public.doc["year"]
    return {
        "year": year,
        "years": sorted({*public.extra.get("years", []), year}),
        "sections": sections,
        "paid": sum(s["paid"] for s in sections),
        **params,
    }


def checkpoints_page(checkpoints: list[IssuedCheckpoint], links: Links) -> dict[str, Any]:
    """The newest signed checkpoints first, at most twenty."""
    return {
        "checkpoints": [
            {
                "size": cp.size,
                "root": base64.b64encode(cp.root).decode(),
                "issued_at": cp.issued_at,
                "note": cp.note,
            }
            for cp in reversed(checkpoints[-20:])
        ],
        "checkpoint_url": f"{links.root}/v1/log/checkpoint",
        "entries_url": f"{links.root}/v1/log/entries?start=0&end=1000",
    }
