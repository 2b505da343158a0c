"""Events and sessions turned into what the public pages show: texts in the reader's language
(with a note when another language stands in), and every time in the event's zone with its label
and, beside it, in the viewer's zone.

Times use Babel's locale data (`format_skeleton`) with the zone given explicitly, never the
process's or the request's zone: "09:30 CEST (UTC+2)" beside "15:30 CST (UTC+8)".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import groupby

from babel import Locale
from babel.dates import format_date, format_skeleton
from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..core.i18n import HTML_LANG
from ..core.markdown import render_markdown
from ..members.choices import country_name, language_label
from .dashboard import local_time
from .labels import EVENT_KIND_LABELS, REGISTRATION_MODE_LABELS, SESSION_KIND_LABELS
from .models import AgendaSession, Event
from .timezones import to_local, zone_label

# --- texts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A bilingual field in the reader's language, or the other one with a note saying so."""

    value: str
    lang: str  # the value of the content's `lang` attribute
    fallback: bool = False
    note: str = ""  # "Shown in English: no Chinese version yet."
    short_note: str = ""  # "English only" (for session titles)

    def __bool__(self) -> bool:
        return bool(self.value)


def localized(obj, field_name: str, language: str) -> Text:
    value, shown = obj.text(field_name, language)
    if shown is None:
        return Text(value, HTML_LANG.get(language, language))
    return Text(
        value, HTML_LANG.get(shown, shown), True,
        _("Shown in %(shown)s: no %(missing)s version yet.",
          shown=language_label(shown), missing=language_label(language)),
        _("%(language)s only", language=language_label(shown)),
    )


# --- times --------------------------------------------------------------------------------------


def _locale() -> str:
    return str(get_locale() or "en")


# The formatting below is a pure function of (instants, zone, locale), and Babel's skeleton
# matching is slow (it was 40% of the event list): results are kept per process. The keys are
# small and the number of distinct times shown is bounded by the events, so the caches stay small.


def clock_time(instant: datetime, zone_name: str) -> str:
    """'09:30' in `zone_name`, in the reader's locale."""
    return _clock_time(instant, zone_name, _locale())


@lru_cache(maxsize=4096)
def _clock_time(instant: datetime, zone_name: str, locale: str) -> str:
    return format_skeleton("Hm", instant, tzinfo=to_local(instant, zone_name).tzinfo, locale=locale)


def short_date(day: date, with_year: bool = True) -> str:
    """'Sun, Mar 29, 2026' / '2026年3月29日周日' (without the year: 'Sun, Mar 29')."""
    return _short_date(day, with_year, _locale())


@lru_cache(maxsize=4096)
def _short_date(day: date, with_year: bool, locale: str) -> str:
    return format_skeleton("yMMMEd" if with_year else "MMMEd", day, locale=locale)


def long_date(day: date) -> str:
    """'Sunday, March 29, 2026' / '2026年3月29日星期日' (agenda day headings)."""
    return _long_date(day, _locale())


@lru_cache(maxsize=1024)
def _long_date(day: date, locale: str) -> str:
    return format_date(day, "full", locale=locale)


@lru_cache(maxsize=8)
def _date_time_pattern(locale: str) -> str:
    return str(Locale.parse(locale).datetime_formats.get("medium", "{1} {0}"))


def span_text(start: datetime, end: datetime, zone_name: str, *, date_first: bool, year: bool = True) -> str:
    """A time range in one zone, each side labelled only when the label changes between them.

    Same day: '[date, ]09:30 – 11:00 CEST (UTC+2)'. Across days: the end carries its date.
    Across a daylight-saving change: '01:30 CET (UTC+1) – 03:30 CEST (UTC+2)'.
    """
    return _span_text(start, end, zone_name, date_first, year, _locale())


@lru_cache(maxsize=4096)
def _span_text(start: datetime, end: datetime, zone_name: str, date_first: bool, year: bool,
               locale: str) -> str:
    local_start, local_end = to_local(start, zone_name), to_local(end, zone_name)
    first_label, last_label = zone_label(start, zone_name), zone_label(end, zone_name)
    head = _clock_time(start, zone_name, locale)
    if first_label != last_label:
        head = f"{head} {first_label}"
    pattern = _date_time_pattern(locale)
    if date_first:
        head = pattern.replace("{1}", _short_date(local_start.date(), year, locale)).replace("{0}", head)
    tail = _clock_time(end, zone_name, locale)
    if local_end.date() != local_start.date():
        tail = pattern.replace("{1}", _short_date(local_end.date(), year, locale)).replace("{0}", tail)
    return f"{head} – {tail} {last_label}"


@dataclass(frozen=True)
class Clock:
    """A time range in the event's zone and, when it reads differently, in the viewer's."""

    event: str
    viewer: str = ""
    viewer_zone: str = ""


def clock(start: datetime, end: datetime, event_zone: str, viewer_zone: str, *, with_date: bool) -> Clock:
    """With `with_date` False (agenda rows under a day heading), the viewer's side still carries
    its date when that day differs from the event's."""
    event_text = span_text(start, end, event_zone, date_first=with_date)
    other_day = to_local(start, viewer_zone).date() != to_local(start, event_zone).date()
    viewer_text = span_text(start, end, viewer_zone, date_first=with_date or other_day, year=with_date)
    if viewer_text == event_text:
        return Clock(event_text)
    return Clock(event_text, viewer_text, viewer_zone)


# --- events in lists ----------------------------------------------------------------------------


def place_text(event: Event, language: str) -> str:
    parts = [event.city, country_name(event.country, language)]
    return ", ".join(p for p in parts if p)


@dataclass
class EventCard:
    id: int
    title: Text
    summary: Text
    kind: str
    cancelled: bool
    place: str
    when: Clock


def event_card(event: Event, language: str, viewer_zone: str) -> EventCard:
    return EventCard(
        id=event.id,
        title=localized(event, "title", language),
        summary=localized(event, "summary", language),
        kind=str(EVENT_KIND_LABELS.get(event.kind, event.kind)),
        cancelled=event.status == "cancelled",
        place=place_text(event, language),
        when=clock(event.starts_at, event.ends_at, event.timezone, viewer_zone, with_date=True),
    )


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
