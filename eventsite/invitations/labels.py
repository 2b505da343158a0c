"""Translated labels and badge styles of the statuses organizers and units see."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l

STATUSES = ("invited", "no_address", "mail_failed", "accepted", "registered", "declined",
            "no_reply", "revoked")
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
if set(STATUS_LABELS) != set(STATUSES) or set(STATUS_STYLES) != set(STATUSES):
    raise RuntimeError("every invitation status needs a label and a style")
