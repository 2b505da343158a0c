"""Translated labels for the codes of accounts (roles, statuses), the one place for them: forms
and pages read these. Templates get this module as `labels`."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from .models import ROLES, STATUSES

ROLE_LABELS = {"admin": _l("Administrator"), "organizer": _l("Organizer"), "liaison": _l("Liaison"),
               "checkin": _l("Check-in staff")}
STATUS_LABELS = {"active": _l("Active"), "pending": _l("Not yet activated"), "inactive": _l("Deactivated")}
# Bootstrap colours of the status badges.
STATUS_BADGES = {"active": "success", "pending": "warning", "inactive": "secondary"}
# An explicit check, not `assert` (removed under python -O): a code without a label fails at import.
if set(ROLE_LABELS) != set(ROLES) or not set(STATUS_LABELS) == set(STATUSES) == set(STATUS_BADGES):
    raise RuntimeError("every account role and status needs a label")
