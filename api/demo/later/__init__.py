"""The demo's later years: Chiềng En from July 2022 to December 2024.

:func:`run` writes them after the first half-year, in this order: the
ledger adopts FORMATS 1.3 (May 2024); the approver decides the suspected
namesakes are different people (:mod:`.identities`); the July 2024 standard levels and the
allowances rebased on them, a person moving away and a suspension
(:mod:`.allowances`); a death from the civil registry's list stopping an
allowance (:mod:`.deaths`); the 2025 poverty review round, September -
November 2024, with its village meetings, postings and an upheld objection
(:mod:`.reviews`); November's list sent to the post office before the
25th and its settlement with two lines not paid (:mod:`.agents`); then
every month funded and paid (:mod:`.years`); and the year's grievances
and confirmations from the lookup page (:mod:`.grievances`).

Everything is drawn from the commune's own generator after the first
half-year is written, and signed after it (its dates are later), so the
first half-year's statements stay byte-identical with or without these
years (``ansinh demo --no-later``).
"""

from __future__ import annotations

from api.demo.commune import Commune
from api.demo.later import agents, allowances, deaths, grievances, identities, reviews
from api.demo.later.years import LaterYears


def run(commune: Commune) -> LaterYears:
    """Write the later years after the first half-year (see the module's docstring)."""
    later = LaterYears(commune)
    grants = later.continuing()
    later.adopt()
    identities.review_namesakes(later)
    allowances.apply(later)
    allowances.plant(later)
    deaths.death_record(later)
    reviews.end_support(later, reviews.in_later_years(later))
    agents.through_post_office(later)
    later.fund(grants)
    later.pay(grants)
    grievances.run(later)
    return later
