"""The personal feed with pickups, read by every independent parser available here (icalendar,
vobject, ical.js, node-ical, libical; tests/interop/parsers.py): each pickup's UID, SEQUENCE,
STATUS and start instant, on the day Brussels changes its clocks, with text to escape."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest

from eventsite.calendar.links import delegate_feed_url
from eventsite.extensions import db
from eventsite.pickups import services
from eventsite.pickups.models import PickupPassenger

from ..interop import parsers
from .helpers import event_with_arrivals, local, make_run


def test_every_parser_reads_confirmed_and_cancelled_pickups(app, client):
    with app.app_context():
        event, organizer, people = event_with_arrivals(starts_at=local("2030-10-27 09:00"),
                                                       ends_at=local("2030-10-28 18:00"))
        # 02:30 on 27 October 2030 happens twice in Brussels; 03:30 once (CET, UTC+1).
        run = make_run(event, organizer, starts_at=datetime(2030, 10, 27, 3, 30),
                       meeting_point_en="Exit 3, level 0; follow \\ signs, then left", meeting_point_zh="出口；三号")
        gone = make_run(event, organizer, starts_at=datetime(2030, 10, 27, 1, 15))
        services.add_passengers(run, [people[0].id], organizer)
        services.add_passengers(gone, [people[1].id], organizer)
        feed_0 = urlsplit(delegate_feed_url(people[0])).path
        services.remove_passenger(gone, db.session.scalar(db.select(PickupPassenger).where(
            PickupPassenger.delegate_id == people[1].id)), organizer)
        rides = {p.uid: (p.sequence, p.run_id) for p in db.session.scalars(db.select(PickupPassenger))}
        feeds = {"with-pickup": feed_0,
                 "cancelled": urlsplit(delegate_feed_url(people[1])).path}
    files = {name: client.get(url + "?lang=en").data for name, url in feeds.items()}
    read = parsers.read_all(files)
    missing = parsers.unavailable()
    assert {"icalendar", "vobject"} <= set(read)
    for parser, by_file in read.items():
        confirmed = [e for e in by_file["with-pickup"]["events"] if e["uid"] in rides]
        cancelled = [e for e in by_file["cancelled"]["events"] if e["uid"] in rides]
        assert [(e["status"], int(e["sequence"]), e["start"]) for e in confirmed] == [
            ("CONFIRMED", 0, "2030-10-27T02:30:00Z")], parser
        assert "follow \\ signs" in confirmed[0]["location"], parser
        assert [(e["status"], int(e["sequence"]), e["start"]) for e in cancelled] == [
            ("CANCELLED", 1, "2030-10-26T23:15:00Z")], parser
    if missing:
        pytest.skip(f"some parsers missing: {missing}")  # what ran passed; say what did not run
