"""Translated labels of the meeting codes."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import MEETING_STATUSES

STATUS_LABELS = {
    "requested": _l("Requested"),
    "proposed": _l("Other time proposed"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "cancelled": _l("Cancelled"),
}
STATUS_BADGES = {"requested": "info", "proposed": "warning", "accepted": "success", "declined": "secondary",
                 "cancelled": "secondary"}
if not set(STATUS_LABELS) == set(MEETING_STATUSES) == set(STATUS_BADGES):  # checked at import
    raise RuntimeError("a meeting status without its label")


def status(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def badge(code: str) -> str:
    return STATUS_BADGES.get(code, "secondary")
