"""Feeds: our builder making a 1,000-event feed, against bare icalendar serializing the same
events with the same properties (the library's own cost: the floor for any builder on it)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from eventsite.calendar import builder, feeds
from eventsite.extensions import db, now_utc
from tests.factories import make_event

from . import database

EVENTS, ROUNDS = 1000, 3


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def bare(events) -> bytes:
    stamp = now_utc()
    calendar = Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    for event in events:
        vevent = VEvent()
        vevent.add("uid", event.uid)
        vevent.add("sequence", event.sequence or 0)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", _utc(event.starts_at))
        vevent.add("dtend", _utc(event.ends_at))
        vevent.add("summary", event.title_en)
        vevent.add("description", event.summary_en)
        vevent.add("location", event.city_en)
        vevent.add("url", f"https://example.org/events/{event.id}")
        vevent.add("organizer", vCalAddress("mailto:secretariat@example.org"))
        vevent.add("status", "CONFIRMED")
        vevent.add("created", _utc(event.created_at))
        vevent.add("last-modified", _utc(event.updated_at))
        calendar.add_component(vevent)
    return calendar.to_ical()


def _best(fn) -> float:
    """The fastest of a few rounds: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def run(work: Path) -> dict:
    app = database.fresh_app(f"sqlite:///{work / 'feeds.sqlite'}", str(work / "instance"))
    with app.app_context():
        now = now_utc()
        for e in range(EVENTS):
            make_event(starts_at=(now + timedelta(days=e % 360, hours=e % 24)).replace(microsecond=0),
                       summary_en=f"A forum on topic {e}.")
        db.session.commit()
        with app.test_request_context():
            events = list(db.session.scalars(feeds.public_events_query()))
            ours = _best(lambda: builder.feed_ics(events, name="City Alliance Events", language="en"))
            plain = _best(lambda: bare(events))
            size = len(builder.feed_ics(events, name="City Alliance Events", language="en"))
    return {"events": len(events), "ours_ms": round(ours * 1000, 1), "bare_ms": round(plain * 1000, 1),
            "ratio": round(plain / ours, 3), "bytes": size}
