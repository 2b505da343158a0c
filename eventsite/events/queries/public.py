"""The public event pages' read side: the upcoming list, the archive, one event with its agenda
(texts in the reader's language, times in the event's zone and the viewer's), event cards. A
fixed number of statements whatever the number of events or sessions."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import groupby

import sqlalchemy as sa
from flask import current_app, url_for
from markupsafe import Markup

from ...core.collation import sort_key
from ...core.dates import FIRST_DAY, LAST_DAY
from ...core.gettext import gettext as _
from ...core.i18n import Text, localized
from ...core.markdown import render_markdown
from ...core.timefmt import Clock, clock, local_time, long_date
from ...core.timezones import is_valid_zone, to_local, zone
from ...extensions import db, now_utc
from ..labels import EVENT_KIND_LABELS, REGISTRATION_MODE_LABELS, SESSION_KIND_LABELS
from ..models import EVENT_KINDS, PUBLIC_STATUSES, AgendaSession, Event

MONTH_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})$")


@dataclass
class EventFilters:
    kind: str = ""
    country: str = ""
    city: str = ""
    month: str = ""  # YYYY-MM

    def cleaned(self, countries: frozenset[str]) -> EventFilters:
        """The same filters with every unknown value dropped."""
        return EventFilters(self.kind if self.kind in EVENT_KINDS else "",
                            self.country.upper() if self.country.upper() in countries else "",
                            self.city, self.month if parse_month(self.month) else "")


def parse_month(value: str) -> tuple[int, int] | None:
    """(year, month) from 'YYYY-MM', or None."""
    match = MONTH_PATTERN.match(value or "")
    year, month = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    return (year, month) if FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= month <= 12 else None


def _phase_condition(archive: bool, now: datetime) -> sa.ColumnElement[bool]:
    """Upcoming: published or cancelled, not ended (whoever saw a cancelled event learns it is
    off). Archive: published and ended."""
    if archive:
        return sa.and_(Event.status == "published", Event.ends_at <= now)
    return sa.and_(Event.status.in_(PUBLIC_STATUSES), Event.ends_at > now)


def _month_condition(year: int, month: int, zones: list[str]) -> sa.ColumnElement[bool]:
    """Events that take place (at least partly) in that month on their own zone's clock: one
    pair of bounds per zone in use."""
    first = datetime(year, month, 1)
    after = datetime(year + (month == 12), month % 12 + 1, 1)
    parts = []
    for name in filter(is_valid_zone, zones):
        # Midnight read on the zone's clock (never refused: the month after December 2999 is
        # past the years anyone may type, but it still bounds that month).
        start = first.replace(tzinfo=zone(name)).astimezone(timezone.utc)
        end = after.replace(tzinfo=zone(name)).astimezone(timezone.utc)
        parts.append(sa.and_(Event.timezone == name, Event.starts_at < end, Event.ends_at > start))
    return sa.or_(*parts) if parts else sa.false()


def place_rows(archive: bool, now: datetime | None = None) -> list[tuple[str, str, str, str]]:
    """Distinct (country, city_en, city_zh, timezone) of the events a list may show: its filter
    choices."""
    query = db.select(Event.country, Event.city_en, Event.city_zh, Event.timezone).where(
        _phase_condition(archive, now or now_utc())).distinct()
    return [tuple(row) for row in db.session.execute(query)]


def city_choices(places: list[tuple[str, str, str, str]], language: str) -> list[str]:
    """The cities of `places` named in `language` (else in the other one), in the reader's order."""
    names = {(zh or en) if language == "zh" else (en or zh) for _country, en, zh, _zone in places}
    return sorted((n for n in names if n), key=lambda n: (sort_key(n, language), n))


def list_query(filters: EventFilters, archive: bool, zones: list[str]) -> sa.Select:
    """Upcoming events soonest first, or the archive most recent first, filtered."""
    query = db.select(Event).where(_phase_condition(archive, now_utc()))
    if filters.kind in EVENT_KINDS:
        query = query.where(Event.kind == filters.kind)
    if filters.country:
        query = query.where(Event.country == filters.country)
    if filters.city:
        # Either language's name: a link shared by a reader of the other language still works.
        city = filters.city.lower()
        query = query.where(sa.or_(sa.func.lower(Event.city_en) == city, sa.func.lower(Event.city_zh) == city))
    month = parse_month(filters.month)
    if month:
        query = query.where(_month_condition(*month, zones))
    if archive:
        return query.order_by(Event.starts_at.desc(), Event.id.desc())
    return query.order_by(Event.starts_at, Event.id)


def public_event_or_404(event_id: int) -> Event:
    """A published or cancelled event; 404 for drafts. Its agenda loads when first read (one more
    statement, as with selectinload, whose machinery took as much CPU as rendering the page)."""
    return db.first_or_404(db.select(Event).where(Event.id == event_id, Event.status.in_(PUBLIC_STATUSES)))


# --- events in lists (the public list, the home page, an invitation's answer page) -------------


@dataclass
class EventCard:
    id: int
    title: Text
    summary: Text
    kind: str
    cancelled: bool
    place: str  # city and country
    when: Clock
    venue: Text
    address: Text
    cover_url: str | None = None


def event_card(event: Event, language: str, viewer_zone: str) -> EventCard:
    return EventCard(event.id, localized(event, "title", language), localized(event, "summary", language),
                     str(EVENT_KIND_LABELS.get(event.kind, event.kind)), event.status == "cancelled",
                     event.place(language),
                     clock(event.starts_at, event.ends_at, event.timezone, viewer_zone, with_date=True),
                     localized(event, "venue_name", language), localized(event, "venue_address", language),
                     _cover_url(event))


# --- one event and its agenda -------------------------------------------------------------------


@dataclass
class SessionRow:
    """What the agenda shows of `session` beyond its plain columns."""

    session: AgendaSession
    title: Text
    description: Markup
    description_lang: str
    kind: str
    when: Clock
    room: Text


@dataclass
class Day:
    heading: str
    slots: list[list[SessionRow]] = field(default_factory=list)  # sessions that start together


def session_row(item: AgendaSession, event_zone: str, language: str, viewer_zone: str) -> SessionRow:
    description = localized(item, "description", language)
    return SessionRow(item, localized(item, "title", language), render_markdown(description.value),
                      description.lang, str(SESSION_KIND_LABELS.get(item.kind, item.kind)),
                      clock(item.starts_at, item.ends_at, event_zone, viewer_zone, with_date=False),
                      localized(item, "room", language))


def agenda_days(event: Event, language: str, viewer_zone: str) -> list[Day]:
    """Sessions grouped by day in the event's zone, then by start time (one slot per start)."""
    zone_name = event.timezone
    items = sorted(event.sessions, key=lambda s: (s.starts_at, s.position, s.id))
    days = []
    for day, day_items in groupby(items, key=lambda s: to_local(s.starts_at, zone_name).date()):
        slots = [[session_row(s, zone_name, language, viewer_zone) for s in slot_items]
                 for _start, slot_items in groupby(day_items, key=lambda s: s.starts_at)]
        days.append(Day(long_date(day), slots))
    return days


@dataclass
class EventPage:
    """What the event page shows of `record` beyond its plain columns."""

    record: Event
    card: EventCard
    description: Markup
    description_lang: str
    description_note: str
    cancel_reason: Text | None
    cover_url: str | None
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
    return EventPage(event, event_card(event, language, viewer_zone), render_markdown(description.value),
                     description.lang, description.note, reason, _cover_url(event),
                     agenda_days(event, language, viewer_zone), _registration_text(event))
