"""The organizer dashboard: every event with its phase, registration state and next action.

One query for the page (plus the pagination count), whatever the number of events: rows are built
from the event's own columns only, never from its relationships.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_date, format_datetime, format_skeleton
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import case

from ..extensions import db, now_utc
from ..members.choices import country_name
from .models import Event
from .services import registration_state
from .timezones import to_local, zone, zone_label

FILTERS = ("", "upcoming", "draft", "published", "cancelled", "past")


def dashboard_query(status: str, now: datetime | None = None):
    """Events for the filter, upcoming first (soonest first), then the ended ones (latest first)."""
    now = now or now_utc()
    query = db.select(Event)
    if status == "upcoming":
        query = query.where(Event.ends_at > now)
    elif status == "draft" or status == "cancelled":
        query = query.where(Event.status == status)
    elif status == "published":
        query = query.where(Event.status == "published", Event.ends_at > now)
    elif status == "past":
        query = query.where(Event.status == "published", Event.ends_at <= now)
    ended = case((Event.ends_at <= now, 1), else_=0)
    return query.order_by(ended, case((Event.ends_at > now, Event.starts_at)),
                          Event.starts_at.desc(), Event.id)


def local_time(instant: datetime | None, zone_name: str, fmt: str = "medium") -> str:
    """'Mar 26, 2026 09:00 CET (UTC+1)': an instant on the event's own clock ("short": the
    locale's short date and time)."""
    if instant is None:
        return "—"
    local = to_local(instant, zone_name)
    if fmt == "short":
        text = format_datetime(local, "short", tzinfo=zone(zone_name), locale=get_locale())
    else:
        tz, locale = zone(zone_name), get_locale()
        text = (f"{format_skeleton('yMMMd', local, tzinfo=tz, locale=locale)} "
                f"{format_skeleton('Hm', local, tzinfo=tz, locale=locale)}")
    return f"{text} {zone_label(instant, zone_name)}"


def local_date(instant: datetime | None, zone_name: str) -> str:
    if instant is None:
        return "—"
    return format_date(to_local(instant, zone_name).date(), "medium", locale=get_locale())


@dataclass
class Row:
    event: Event
    title: str
    title_language: str | None
    place: str
    starts: str
    ends: str
    phase: str
    registration: str
    next_action: str | None


def next_action(event: Event, phase: str, registration: str) -> str | None:
    if phase == "draft":
        return _("Publish when the agenda is ready")
    if phase == "past":
        return _("Archive")
    if phase != "published":
        return None
    if registration == "not_open":
        return _("Registration opens on %(date)s",
                 date=local_date(event.registration_opens_at, event.timezone))
    if registration == "open" and event.registration_closes_at:
        return _("Registration closes on %(date)s",
                 date=local_date(event.registration_closes_at, event.timezone))
    if registration == "none":
        return _("Set the registration dates")
    return _("Prepare the event")


def rows(events, lang: str, now: datetime | None = None) -> list[Row]:
    now = now or now_utc()
    out = []
    for event in events:
        title, fallback = event.text("title", lang)
        phase = event.phase(now)
        registration = registration_state(event, now)
        place = ", ".join(p for p in (event.city, country_name(event.country, lang)) if p)
        out.append(Row(event, title, fallback, place, local_time(event.starts_at, event.timezone),
                       local_time(event.ends_at, event.timezone), phase, registration,
                       next_action(event, phase, registration)))
    return out
