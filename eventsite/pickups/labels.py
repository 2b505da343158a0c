"""Translated labels of the pickup codes."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import DIRECTIONS

DIRECTION_LABELS = {"arrival": _l("Arrival"), "departure": _l("Departure")}
# Plural headings of the overview's filter.
DIRECTION_PLURALS = {"arrival": _l("Arrivals"), "departure": _l("Departures")}
if not set(DIRECTION_LABELS) == set(DIRECTIONS) == set(DIRECTION_PLURALS):  # checked at import
    raise RuntimeError("a direction without its label")


def direction(code: str) -> str:
    return str(DIRECTION_LABELS.get(code, code))
