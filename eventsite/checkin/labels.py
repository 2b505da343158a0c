"""Translated labels of the check-in codes (templates get this module as `labels`)."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import CHECKIN_METHODS

METHOD_LABELS = {
    "scan": _l("Badge scanned"),
    "search": _l("Found by search"),
    "walk_in": _l("Walk-in at the door"),
    "manual": _l("Checked in by an organizer"),
}
if set(METHOD_LABELS) != set(CHECKIN_METHODS):  # checked at import
    raise RuntimeError("a check-in method without its label")


def method(code: str) -> str:
    return str(METHOD_LABELS.get(code, code))
