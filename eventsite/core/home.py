"""What the home page shows every visitor: the next published events as cards, and the alliance's
calendar feed. One statement for the events, whatever their number."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ..calendar.links import FeedLinks, feed_links
from ..events.models import Event
from ..events.presenters import EventCard, event_card
from ..extensions import db, now_utc
from .urls import external_url

UPCOMING = 6


def upcoming_cards(language: str, viewer_zone: str, now: datetime | None = None,
                   limit: int = UPCOMING) -> list[EventCard]:
    """Published events that have not ended, soonest first: never drafts, cancelled or past ones."""
    now = now or now_utc()
    events = db.session.scalars(
        db.select(Event)
        .where(Event.status == "published", Event.ends_at > now)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return [event_card(event, language, viewer_zone) for event in events]


def public_feed(language: str) -> FeedLinks:
    return feed_links(external_url("calendar.public_feed", lang=language), _("City Alliance Events"))
