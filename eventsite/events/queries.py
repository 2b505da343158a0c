"""Read-only queries of the public event pages: the upcoming list, the archive, one event; an
event as a card in a list (other features show cards too); and who a notice of the event reaches.

Filters arrive as plain, already-cleaned values; anything unknown is simply not applied. Each
page issues a fixed number of statements whatever the number of events or sessions: the list
(count + page), the filter choices (one DISTINCT), and for an event its sessions in one more.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..core.dates import FIRST_DAY, LAST_DAY
from ..core.i18n import Text, localized
from ..core.timefmt import Clock, clock
from ..core.timezones import is_valid_zone, zone
from ..delegations.models import LIVE_DELEGATION_STATUSES, Delegate, Delegation
from ..extensions import db, now_utc
from .labels import EVENT_KIND_LABELS
from .models import EVENT_KINDS, Event

MONTH_PATTERN = re.compile(r"^([0-9]{4})-([0-9]{2})$")
PUBLIC_STATUSES = ("published", "cancelled")


@dataclass
class EventFilters:
    kind: str = ""
    country: str = ""
    city: str = ""
    month: str = ""  # YYYY-MM

    def cleaned(self, countries: frozenset[str]) -> EventFilters:
        """The same filters with every unknown value dropped."""
        return EventFilters(
            kind=self.kind if self.kind in EVENT_KINDS else "",
            country=self.country.upper() if self.country.upper() in countries else "",
            city=self.city,
            month=self.month if parse_month(self.month) else "",
        )


def parse_month(value: str) -> tuple[int, int] | None:
    """(year, month) from 'YYYY-MM', or None."""
    match = MONTH_PATTERN.match(value or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if FIRST_DAY.year <= year <= LAST_DAY.year and 1 <= month <= 12 else None


def _phase_condition(archive: bool, now: datetime) -> sa.ColumnElement[bool]:
    """Upcoming: published or cancelled, not ended. Archive: published and ended.

    A cancelled event stays in the upcoming list until its date (with a badge), so whoever saw
    it learns it is off; it never enters the archive. Drafts are never public.
    """
    if archive:
        return sa.and_(Event.status == "published", Event.ends_at <= now)
    return sa.and_(Event.status.in_(PUBLIC_STATUSES), Event.ends_at > now)


def _month_condition(year: int, month: int, zones: list[str]) -> sa.ColumnElement[bool]:
    """Events that take place (at least partly) in that month, in the event's own zone.

    The month's bounds differ per zone, so there is one bound pair per zone in use.
    """
    first = datetime(year, month, 1)
    after = datetime(year + (month == 12), month % 12 + 1, 1)
    parts = []
    for name in zones:
        if not is_valid_zone(name):
            continue
        # Midnight read on the zone's clock (never refused: the month after December 2999 is
        # past the years anyone may type, but it still bounds that month).
        start = first.replace(tzinfo=zone(name)).astimezone(timezone.utc)
        end = after.replace(tzinfo=zone(name)).astimezone(timezone.utc)
        parts.append(sa.and_(Event.timezone == name, Event.starts_at < end, Event.ends_at > start))
    return sa.or_(*parts) if parts else sa.false()


def place_rows(archive: bool, now: datetime | None = None) -> list[tuple[str, str, str]]:
    """Distinct (country, city, timezone) of the events a list may show: its filter choices."""
    now = now or now_utc()
    query = (
        db.select(Event.country, Event.city, Event.timezone)
        .where(_phase_condition(archive, now))
        .distinct()
    )
    return [tuple(row) for row in db.session.execute(query)]


def list_query(
    filters: EventFilters, archive: bool, zones: list[str], now: datetime | None = None
) -> sa.Select:
    """Upcoming events soonest first, or the archive most recent first, filtered."""
    now = now or now_utc()
    query = db.select(Event).where(_phase_condition(archive, now))
    if filters.kind in EVENT_KINDS:
        query = query.where(Event.kind == filters.kind)
    if filters.country:
        query = query.where(Event.country == filters.country)
    if filters.city:
        query = query.where(sa.func.lower(Event.city) == filters.city.lower())
    month = parse_month(filters.month)
    if month:
        query = query.where(_month_condition(*month, zones))
    if archive:
        return query.order_by(Event.starts_at.desc(), Event.id.desc())
    return query.order_by(Event.starts_at, Event.id)


def public_event(event_id: int) -> Event | None:
    """A published or cancelled event with its agenda (two statements); None for drafts."""
    return db.session.scalar(
        db.select(Event)
        .where(Event.id == event_id, Event.status.in_(PUBLIC_STATUSES))
        .options(selectinload(Event.sessions))
    )


@dataclass(frozen=True)
class Audience:
    """How many people an event-level notice reaches (shown to the organizer before saving)."""

    confirmed: int  # a calendar message (REQUEST / CANCEL)
    waiting: int  # waitlisted or awaiting approval: a plain notice on cancellation
    units: int  # units with a live delegation: their liaisons, on cancellation


def audience(event: Event) -> Audience:
    counts = dict(db.session.execute(
        db.select(Delegate.status, db.func.count(Delegate.id))
        .where(Delegate.event_id == event.id, Delegate.email != "")
        .group_by(Delegate.status)
    ).all())
    units = db.session.scalar(
        db.select(db.func.count(Delegation.id))
        .where(Delegation.event_id == event.id, Delegation.status.in_(LIVE_DELEGATION_STATUSES))
    )
    return Audience(confirmed=counts.get("confirmed", 0),
                    waiting=counts.get("waitlisted", 0) + counts.get("pending", 0), units=units or 0)


# --- events in lists (the public list, the home page, an invitation's answer page) -------------


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
        place=event.place(language),
        when=clock(event.starts_at, event.ends_at, event.timezone, viewer_zone, with_date=True),
    )
