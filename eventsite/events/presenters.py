"""Events and sessions turned into what the public pages show: texts in the reader's language
(core/i18n.py `localized`), and every time in the event's zone with its label and, beside it, in
the viewer's zone (core/timefmt.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from flask import current_app, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from ..core.i18n import Text, localized
from ..core.markdown import render_markdown
from ..core.timefmt import Clock, clock, local_time, long_date
from ..core.timezones import to_local
from .labels import REGISTRATION_MODE_LABELS, SESSION_KIND_LABELS
from .models import AgendaSession, Event
from .queries import EventCard, event_card

# --- one event and its agenda -------------------------------------------------------------------


@dataclass
class SessionRow:
    title: Text
    description: Markup
    description_lang: str
    kind: str
    kind_code: str
    track: str
    room: str
    speakers: str
    capacity: int | None
    delegates_choose: bool
    when: Clock


@dataclass
class Slot:
    """Sessions that start together: parallel tracks side by side."""

    sessions: list[SessionRow]

    @property
    def parallel(self) -> bool:
        return len(self.sessions) > 1


@dataclass
class Day:
    heading: str
    slots: list[Slot] = field(default_factory=list)


def session_row(item: AgendaSession, event_zone: str, language: str, viewer_zone: str) -> SessionRow:
    description = localized(item, "description", language)
    return SessionRow(
        title=localized(item, "title", language),
        description=render_markdown(description.value),
        description_lang=description.lang,
        kind=str(SESSION_KIND_LABELS.get(item.kind, item.kind)),
        kind_code=item.kind,
        track=item.track,
        room=item.room,
        speakers=item.speakers,
        capacity=item.capacity,
        delegates_choose=item.delegates_choose,
        when=clock(item.starts_at, item.ends_at, event_zone, viewer_zone, with_date=False),
    )


def agenda_days(event: Event, language: str, viewer_zone: str) -> list[Day]:
    """Sessions grouped by day in the event's zone, then by start time (one slot per start)."""
    zone_name = event.timezone
    items = sorted(event.sessions, key=lambda s: (s.starts_at, s.position, s.id))
    days = []
    for day, day_items in groupby(items, key=lambda s: to_local(s.starts_at, zone_name).date()):
        slots = [
            Slot([session_row(s, zone_name, language, viewer_zone) for s in slot_items])
            for _start, slot_items in groupby(day_items, key=lambda s: s.starts_at)
        ]
        days.append(Day(long_date(day), slots))
    return days


@dataclass
class EventPage:
    card: EventCard
    description: Markup
    description_lang: str
    description_note: str
    cancel_reason: Text | None
    venue_name: str
    venue_address: str
    contact_name: str
    contact_email: str
    contact_phone: str
    cover_url: str | None
    zone_name: str
    days: list[Day]
    registration: str


def _cover_url(event: Event) -> str | None:
    # The organizer pages serve covers of published events; link only when that route exists.
    if not event.cover_file or "event_admin.cover" not in current_app.view_functions:
        return None
    return url_for("event_admin.cover", event_id=event.id)


def _registration_text(event: Event) -> str:
    """Who may register and, when set, from when until when (on the event's own clock)."""
    parts = [str(REGISTRATION_MODE_LABELS.get(event.registration_mode, event.registration_mode))]
    if event.registration_opens_at:
        parts.append(_("opens %(when)s", when=local_time(event.registration_opens_at, event.timezone)))
    if event.registration_closes_at:
        parts.append(_("closes %(when)s", when=local_time(event.registration_closes_at, event.timezone)))
    return " · ".join(parts)


def event_page(event: Event, language: str, viewer_zone: str) -> EventPage:
    description = localized(event, "description", language)
    reason = localized(event, "cancel_reason", language) if event.status == "cancelled" else None
    return EventPage(
        card=event_card(event, language, viewer_zone),
        description=render_markdown(description.value),
        description_lang=description.lang,
        description_note=description.note,
        cancel_reason=reason,
        venue_name=event.venue_name,
        venue_address=event.venue_address,
        contact_name=event.contact_name,
        contact_email=event.contact_email,
        contact_phone=event.contact_phone,
        cover_url=_cover_url(event),
        zone_name=event.timezone,
        days=agenda_days(event, language, viewer_zone),
        registration=_registration_text(event),
    )
