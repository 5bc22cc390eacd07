"""A death from the civil registry's monthly list stopping an allowance (docs/formats.md,
the death-list import): the demo's later years.

An elder holding a social allowance dies on 16 October 2024, after October's
allowance was paid; the commune imports the civil registry's list on 20
October (before November's list goes to the post office) and the
match is recorded (``person.died``), so her allowance is paid through
October, the month of her death, and stops from November: nothing is paid
after, and the reconciliation finds nothing.
"""

from __future__ import annotations

from api.demo.later.years import LaterYears

DIED_ON, RECORDED_ON, STOPS = "2024-10-16", "2024-10-20", "2024-11"


def death_record(later: LaterYears) -> str:
    """Record the death (see the module's docstring); returns the benefit it stops."""
    elders = [
        g
        for g in later.continuing()
        if g.program == "BTXH"
        and g.person is not None
        and g.recipient is g.person
        and g.level is not None
        and g.level.halves == 2
        and g.benefit_id not in later.stopped
    ]
    g = elders[-1]
    assert g.person is not None
    later.s.add(RECORDED_ON, "registrar", "person.died", person_id=g.person.person_id, date=DIED_ON)
    g.person.died_on = DIED_ON
    later.stopped[g.benefit_id] = STOPS
    return g.benefit_id
