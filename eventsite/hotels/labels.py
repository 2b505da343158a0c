"""Translated labels of the hotels' codes, the one place for them (templates get this module as
`labels`)."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import BEDS, CHANGE_MARKS, REQUEST_KINDS, ROOM_CHANGES

BED_LABELS = {1: _l("Single room"), 2: _l("Shared room (two guests)")}
REQUEST_LABELS = {
    "single": _l("Single room"),
    "share": _l("Share with"),
    "none": _l("No room needed"),
}
CHANGE_MARK_LABELS = {"new": _l("New"), "changed": _l("Changed"), "removed": _l("Removed")}
ROOM_CHANGE_LABELS = {
    "assigned": _l("Room assigned"),
    "moved": _l("Room changed"),
    "dates": _l("Dates changed"),
    "removed": _l("Room cancelled"),
}
# Explicit checks, not `assert`: a code without a label fails at import.
if (set(BED_LABELS) != set(BEDS) or set(REQUEST_LABELS) != set(REQUEST_KINDS)
        or set(CHANGE_MARK_LABELS) != set(CHANGE_MARKS) or set(ROOM_CHANGE_LABELS) != set(ROOM_CHANGES)):
    raise RuntimeError("every hotel code needs a label")


def beds(code: int) -> str:
    return str(BED_LABELS.get(code, code))


def request_kind(code: str) -> str:
    return str(REQUEST_LABELS.get(code, code))


def change_mark(code: str) -> str:
    return str(CHANGE_MARK_LABELS.get(code, "")) if code else ""


def room_change(code: str) -> str:
    return str(ROOM_CHANGE_LABELS.get(code, code))
