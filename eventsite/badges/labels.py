"""Translated labels of the badges' codes, and each role's colour band (the one place for them)."""
from __future__ import annotations

from ..core.gettext import lazy_gettext as _l
from ..delegations.models import DELEGATE_ROLES
from .models import BADGE_FORMATS, BADGE_STATES

FORMAT_LABELS = {
    "a6": _l("A6, one badge per page"),
    "cr80": _l("Card (CR80, 85.6 × 54 mm), one per page"),
    "a4-a6": _l("A4 sheets of 4 A6 badges, with cut lines"),
    "a4-cr80": _l("A4 sheets of 10 cards, with cut lines"),
}
STATE_LABELS = {"never": _l("Never printed"), "outdated": _l("Outdated"), "printed": _l("Printed")}
STATE_STYLES = {"never": "secondary", "outdated": "warning", "printed": "success"}
# The colour band of each role on the badge: (background, text). Distinct at a glance and in
# greyscale print, dark enough for white text.
ROLE_COLOURS = {
    "head": ("#9b1c1c", "#ffffff"),
    "deputy": ("#c2410c", "#ffffff"),
    "member": ("#1d4ed8", "#ffffff"),
    "interpreter": ("#047857", "#ffffff"),
    "staff": ("#4b5563", "#ffffff"),
    "press": ("#6d28d9", "#ffffff"),
}

if (set(FORMAT_LABELS) != set(BADGE_FORMATS) or set(STATE_LABELS) != set(BADGE_STATES)
        or set(STATE_STYLES) != set(BADGE_STATES) or set(ROLE_COLOURS) != set(DELEGATE_ROLES)):
    raise RuntimeError("every badge format, state and role needs its label and colour")
