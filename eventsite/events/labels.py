"""Translated labels for the codes of events and sessions (kinds, statuses, phases, modes), and
the lines "what changed" that every notice of a changed event shows (`describe`)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, get_locale

from ..core.gettext import lazy_gettext as _l
from ..core.gettext import ngettext
from ..core.timefmt import local_time, shift_text
from ..members.labels import country_name
from .models import CALENDAR_FIELDS, EVENT_KINDS, REGISTRATION_MODES, SESSION_KINDS, Event

EVENT_KIND_LABELS = {"forum": _l("Forum"), "seminar": _l("Seminar"), "exposition": _l("Exposition"),
                     "study_tour": _l("Investigation and survey trip"), "training": _l("Training"),
                     "meeting": _l("Meeting")}
SESSION_KIND_LABELS = {"plenary": _l("Plenary"), "parallel": _l("Parallel track"),
                       "site_visit": _l("Site visit"), "break": _l("Break"), "reception": _l("Reception")}
PHASE_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "cancelled": _l("Cancelled"),
                "past": _l("Past")}
# The organizer dashboard's filters: every phase, or all events, or those not ended.
DASHBOARD_FILTER_LABELS = {"": _l("All events"), "upcoming": _l("Upcoming (not ended)"), **PHASE_LABELS}
REGISTRATION_MODE_LABELS = {"all_members": _l("All member units"), "invited_only": _l("Invited units only")}
REGISTRATION_STATE_LABELS = {"none": _l("Registration dates not set"), "not_open": _l("Not open yet"),
                             "open": _l("Open"), "closed": _l("Closed")}
# Explicit checks, not `assert` (removed under python -O): a code without a label fails at import.
if set(EVENT_KIND_LABELS) != set(EVENT_KINDS) or set(SESSION_KIND_LABELS) != set(SESSION_KINDS):
    raise RuntimeError("every event and session kind needs a label")
if set(REGISTRATION_MODE_LABELS) != set(REGISTRATION_MODES):
    raise RuntimeError("every registration mode needs a label")

# What the delegation form may ask each delegate (events/models.DELEGATE_DETAILS).
DELEGATE_DETAIL_LABELS = {"title": _l("Title / position"), "organization": _l("Organization"),
                          "mobile": _l("Mobile phone"), "dietary": _l("Dietary needs"),
                          "accessibility": _l("Accessibility needs"),
                          "travel": _l("Arrival and departure (date, time, flight or train number, airport or station)"),
                          "passport": _l("Travel documents (for visa invitation letters)"),
                          "notes": _l("Notes")}
# What a calendar shows of an event (CALENDAR_FIELDS), named in the lines "what changed".
FIELD_LABELS = {"title_en": _l("Title (English)"), "title_zh": _l("Title (Chinese)"),
                "starts_at": _l("Starts"), "ends_at": _l("Ends"), "timezone": _l("Time zone"),
                "venue_name_en": _l("Venue (English)"), "venue_name_zh": _l("Venue (Chinese)"),
                "venue_address_en": _l("Address (English)"), "venue_address_zh": _l("Address (Chinese)"),
                "city_en": _l("City (English)"), "city_zh": _l("City (Chinese)"),
                "country": _l("Country"), "status": _l("Status")}
# A reader's notice names each bilingual field once, in the reader's language (`describe(reader=True)`).
READER_FIELD_LABELS = {"title": _l("Event title"), "venue_name": _l("Venue"),
                       "venue_address": _l("Address"), "city": _l("City")}
EVENT_STATUS_LABELS = {"draft": _l("not yet published"), "published": _l("takes place"),
                       "cancelled": _l("cancelled")}


@dataclass(frozen=True)
class Change:
    """One line of "what changed", already in the reader's language."""

    label: str
    old: str
    new: str


def describe(event: Event, changes: dict[str, Any], language: str | None = None, *,
             reader: bool = False) -> list[Change]:
    """`changes` ({field: (old, new)}) as lines in `language`; old times in the old zone, new ones
    in the new zone (works before and after the values are applied). The organizer's preview
    (`reader=False`) lists each language of a title or place; a delegate's or liaison's notice
    (`reader=True`) names it once, as the reader sees it (their language, else the other), so a
    change only in the other language is no line for them."""
    if language is not None:
        with force_locale(language):
            return describe(event, changes, reader=reader)
    lang = str(get_locale() or "en")[:2]
    old_zone, new_zone = changes.get("timezone", (event.timezone, event.timezone))
    lines, named = [], set()
    for field in (f for f in CALENDAR_FIELDS if f in changes):
        old, new = changes[field]
        label = FIELD_LABELS[field]
        if reader and field[:-3] in READER_FIELD_LABELS:
            base = field[:-3]
            if base in named:
                continue
            named.add(base)
            label = READER_FIELD_LABELS[base]
            old, new = (_as_read(event, changes, base, lang, side) for side in (0, 1))
            if old == new:
                continue
        elif field in ("starts_at", "ends_at"):
            old, new = local_time(old, old_zone), local_time(new, new_zone)
        elif field == "country":
            old, new = (country_name(c, lang) if c else "" for c in (old, new))
        elif field == "status":
            old, new = (str(EVENT_STATUS_LABELS.get(s, s)) for s in (old, new))
        lines.append(Change(str(label), str(old or "—"), str(new or "—")))
    return lines


def _as_read(event: Event, changes: dict[str, Any], base: str, lang: str, side: int) -> str:
    """A bilingual field before (side 0) or after (side 1) the change, in `lang` or else the
    other language; an unchanged half reads the same on both sides, so the event holds it."""
    def value(field: str) -> str:
        return (changes[field][side] if field in changes else getattr(event, field)) or ""
    other = "zh" if lang == "en" else "en"
    return value(f"{base}_{lang}") or value(f"{base}_{other}")


def agenda_text(agenda: dict[str, Any] | None, language: str) -> str:
    """The "Agenda" line of an update mail: whether the sessions moved with a new start, in
    `language` ("" when the event's times did not move). `agenda`: {"moved", "sessions", "by"}
    as update_event sends it with the change."""
    if not agenda or not agenda.get("sessions"):
        return ""
    count = agenda["sessions"]
    with force_locale(language):
        if agenda.get("moved"):
            return ngettext("The %(num)d session moved with the event: %(shift)s.",
                            "The %(num)d sessions moved with the event: %(shift)s.", count,
                            shift=shift_text(agenda["by"]))
        return ngettext("The session kept its time.", "The sessions kept their times.", count)
