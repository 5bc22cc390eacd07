"""One label of the console's forms (:mod:`api.officer.labels`)."""

from __future__ import annotations

from typing import NamedTuple


class Label(NamedTuple):
    """A field's label and help, in Vietnamese and English."""

    vi: str
    en: str
    help_vi: str = ""
    help_en: str = ""
