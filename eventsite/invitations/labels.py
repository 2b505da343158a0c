"""Translated labels and badge styles of the statuses organizers and units see."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l

# The statuses organizers and units see (derived in queries.py), in the order of the tabs.
STATUS_LABELS = {
    "invited": _l("invited"),
    "no_address": _l("no address"),
    "mail_failed": _l("mail failed"),
    "accepted": _l("accepted"),
    "registered": _l("registered"),
    "declined": _l("declined"),
    "no_reply": _l("no reply"),
    "revoked": _l("revoked"),
}
STATUS_STYLES = {
    "invited": "primary", "no_address": "warning", "mail_failed": "danger", "accepted": "info",
    "registered": "success", "declined": "secondary", "no_reply": "dark", "revoked": "light border",
}
STATUSES = tuple(STATUS_LABELS)
if set(STATUS_STYLES) != set(STATUSES):  # not assert: kept under -O
    raise RuntimeError("every invitation status needs a label and a style")
