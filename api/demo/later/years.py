"""The demo's later years, July 2022 - December 2024: the regular payments.

After the first half-year (:mod:`api.demo.commune`) the commune goes on
paying its monthly allowances as it should, month by month, and in May 2024
its ledger adopts FORMATS 1.3 to record the procedures around them
(docs/formats.md section 11). :class:`LaterYears` funds and pays; each
procedure of the 2024-2025 year is a module of this package that
:func:`api.demo.later.run` calls in turn, and that changes what is paid
through the hooks here (``amount_for``, ``stopped``, ``paid_by_agent``).

Everything is drawn from the commune's own generator after the first
half-year is written, and signed after it (its dates are later), so the
first half-year's statements stay byte-identical with or without these
years (``ansinh demo --no-later``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from api.demo import data as d
from api.demo.commune import Commune, Grant, millions_up
from ledger.formats.versions import V1_3

FIRST, LAST = "2022-07", "2024-12"
ADOPTED_ON = "2024-05-15"


def months(first: str, last: str) -> Iterator[str]:
    """``first`` to ``last`` (``YYYY-MM``), inclusive."""
    year, month = int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def payday(g: Grant, month: str) -> str:
    """Each village on its day between the 10th and the 13th, as in the first half-year."""
    return f"{month}-{10 + g.home.village_no % 4:02d}"


class LaterYears:
    """The regular payments of July 2022 - December 2024, and what changes them."""

    def __init__(self, commune: Commune) -> None:
        self.c = commune
        self.s = commune.s
        # Overridden by the procedures: what a grant pays in a month (levels), whether it
        # is paid at all (deaths, suspensions), and who pays it (the commune or an agent).
        self.amount_for: Callable[[Grant, str], int] = lambda g, month: g.amount
        self.stopped: dict[str, str] = {}  # benefit id -> the first month not paid
        self.paid_by_agent: Callable[[Grant, str], bool] = lambda g, month: False
        # What the procedures plant for the reconciliation of these years: (code, detail).
        self.planted: list[tuple[str, str]] = []

    def continuing(self) -> list[Grant]:
        """The monthly grants still paid after June 2022: approved, never ended, their
        holder alive (the planted ones that ended or died in 2022 are left behind)."""
        out = []
        for g in self.c.grants:
            if not g.paid or (g.person is not None and g.person.died_on is not None):
                continue
            if "2022-06" not in g.paid and "2022-05" not in g.paid:
                continue
            out.append(g)
        return out

    def adopt(self) -> None:
        self.s.add(ADOPTED_ON, "authority", "ledger.formats.adopted", formats=V1_3)

    def due(self, g: Grant, month: str) -> bool:
        stop = self.stopped.get(g.benefit_id)
        return stop is None or month < stop

    def fund(self, grants: list[Grant]) -> None:
        """Each quarter the province sends what the lists need, plus 2 %, in millions."""
        quarter: list[str] = []
        for month in months(FIRST, LAST):
            quarter.append(month)
            if month[5:] not in ("03", "06", "09", "12"):
                continue
            need: Counter[str] = Counter()
            for g in grants:
                need[g.program] += sum(self.amount_for(g, m) for m in quarter if self.due(g, m))
            day = f"{quarter[0]}-05"
            for n, (program, amount) in enumerate(sorted(need.items()), start=1):
                reference = f"UNC {n:02d}/{quarter[0][5:7]}-{quarter[0][:4]}"
                self.c.receive(day, program, millions_up(amount * 51 // 50), reference)
            quarter = []

    def pay(self, grants: list[Grant]) -> None:
        """Every continuing grant, every month it is due, by the commune's cashiers."""
        for month in months(FIRST, LAST):
            for g in grants:
                if self.due(g, month) and not self.paid_by_agent(g, month):
                    self.c.pay(g, month, payday(g, month), amount=self.amount_for(g, month))


assert d.MONTHS[-1] < FIRST
