"""Translated labels for the codes of events and sessions (kinds, statuses, phases, modes)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import EVENT_KINDS, REGISTRATION_MODES, SESSION_KINDS

EVENT_KIND_LABELS = {
    "forum": _l("Forum"),
    "seminar": _l("Seminar"),
    "exposition": _l("Exposition"),
    "study_tour": _l("Investigation and survey trip"),
    "training": _l("Training"),
    "meeting": _l("Meeting"),
}
SESSION_KIND_LABELS = {
    "plenary": _l("Plenary"),
    "parallel": _l("Parallel track"),
    "site_visit": _l("Site visit"),
    "break": _l("Break"),
    "reception": _l("Reception"),
}
PHASE_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "cancelled": _l("Cancelled"),
    "past": _l("Past"),
}
REGISTRATION_MODE_LABELS = {
    "all_members": _l("All member units"),
    "invited_only": _l("Invited units only"),
}
REGISTRATION_STATE_LABELS = {
    "none": _l("Registration dates not set"),
    "not_open": _l("Not open yet"),
    "open": _l("Open"),
    "closed": _l("Closed"),
}
# Explicit checks, not `assert` (removed under python -O): a code without a label fails at import.
if set(EVENT_KIND_LABELS) != set(EVENT_KINDS) or set(SESSION_KIND_LABELS) != set(SESSION_KINDS):
    raise RuntimeError("every event and session kind needs a label")
if set(REGISTRATION_MODE_LABELS) != set(REGISTRATION_MODES):
    raise RuntimeError("every registration mode needs a label")

# What the delegation form may ask each delegate (events/models.DELEGATE_DETAILS).
DELEGATE_DETAIL_LABELS = {
    "title": _l("Title / position"),
    "organization": _l("Organization"),
    "mobile": _l("Mobile phone"),
    "dietary": _l("Dietary needs"),
    "accessibility": _l("Accessibility needs"),
    "travel": _l("Arrival and departure (date, time, flight or train)"),
    "notes": _l("Notes"),
}
