"""The organizer's arrivals overview: by day and hour on the event's clock, across a daylight-saving
change and in a zone far from UTC; departures too; only staff see it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from eventsite.core.timezones import to_utc
from eventsite.extensions import db
from eventsite.pickups import queries, services

from ..factories import make_delegation, make_event, make_unit, make_user
from .helpers import make_run

UTC = timezone.utc


def _people_at(event, instants):
    delegation, _head = make_delegation(event, make_unit(), people=len(instants))
    for delegate, instant in zip(delegation.delegates, instants):
        delegate.arrival_at = instant
        delegate.arrival_details, delegate.arrival_place = "LH 1010", "BRU"
    db.session.commit()
    return list(delegation.delegates)


def test_the_hour_a_dst_end_repeats_is_two_hours(app_ctx):
    """Brussels, 27 October 2030: 02:00-03:00 happens twice (CEST, then CET)."""
    event = make_event(timezone="Europe/Brussels", starts_at=datetime(2030, 10, 27, 8, tzinfo=UTC))
    first_0230 = datetime(2030, 10, 27, 0, 30, tzinfo=UTC)   # 02:30 CEST
    second_0230 = datetime(2030, 10, 27, 1, 30, tzinfo=UTC)  # 02:30 CET
    before = datetime(2030, 10, 26, 21, 59, tzinfo=UTC)      # 23:59 CEST, the day before
    _people_at(event, [second_0230, first_0230, before, second_0230 + timedelta(minutes=10)])
    days = queries.overview(event, "arrival", "en")
    assert [d.day for d in days] == [date(2030, 10, 26), date(2030, 10, 27)]
    hours = days[1].hours
    assert [(h.hour.strftime("%H:%M"), h.hour.utcoffset(), len(h.people)) for h in hours] == [
        ("02:00", timedelta(hours=2), 1), ("02:00", timedelta(hours=1), 2)]
    assert [t.at.strftime("%H:%M") for t in hours[1].people] == ["02:30", "02:40"]
    assert days[0].count == 1 and days[1].count == 3


def test_days_are_the_events_days_far_from_utc(app_ctx):
    """Kiritimati is UTC+14: 11:00 UTC on 1 June is 01:00 on 2 June there."""
    event = make_event(timezone="Pacific/Kiritimati", starts_at=datetime(2030, 6, 2, 0, tzinfo=UTC))
    _people_at(event, [datetime(2030, 6, 1, 11, 0, tzinfo=UTC), datetime(2030, 6, 1, 9, 59, tzinfo=UTC)])
    days = queries.overview(event, "arrival", "en")
    assert [(d.day, [h.hour.hour for h in d.hours]) for d in days] == [
        (date(2030, 6, 1), [23]), (date(2030, 6, 2), [1])]


@pytest.mark.both_dbs
def test_the_page_lists_arrivals_with_their_run_and_filters_departures(app, organizer_client):
    with app.app_context():
        zone = "Asia/Shanghai"
        event = make_event(timezone=zone, starts_at=to_utc(datetime(2030, 6, 1, 14), zone)[0])
        people = _people_at(event, [to_utc(datetime(2030, 6, 1, 9, 5), zone)[0],
                                    to_utc(datetime(2030, 6, 1, 9, 40), zone)[0]])
        people[0].departure_at = to_utc(datetime(2030, 6, 3, 17, 0), zone)[0]
        people[0].departure_details, people[0].departure_place = "CA 1234", "PVG T2"
        organizer = make_user(role="organizer")
        run = make_run(event, organizer, starts_at=datetime(2030, 6, 1, 10, 0), place="BRU",
                       vehicle="Van 7")
        services.add_passengers(run, [people[0].id], organizer)
        event_id, name = event.id, people[0].display_name("en")
    html = organizer_client.get(f"/organizer/events/{event_id}/arrivals").get_data(as_text=True)
    assert "09:00" in html and "2 people" in html and name in html and "Van 7" in html
    assert "09:05" in html and "09:40" in html and "PVG T2" not in html
    html = organizer_client.get(f"/organizer/events/{event_id}/arrivals?direction=departure").get_data(as_text=True)
    assert "PVG T2" in html and "CA 1234" in html and "17:00" in html and "1 person" in html


def test_only_staff_see_the_pickup_pages(app, client, liaison_client, organizer_client):
    with app.app_context():
        event = make_event()
        organizer = make_user(role="organizer")
        run = make_run(event, organizer)
        event_id, run_id = event.id, run.id
    pages = [f"/organizer/events/{event_id}/arrivals", f"/organizer/events/{event_id}/pickups",
             f"/organizer/events/{event_id}/pickups/new", f"/organizer/events/{event_id}/pickups/{run_id}",
             f"/organizer/events/{event_id}/pickups/{run_id}/edit",
             f"/organizer/events/{event_id}/pickups/{run_id}/manifest",
             f"/organizer/events/{event_id}/pickups/{run_id}/manifest.xlsx"]
    for page in pages:
        assert liaison_client.get(page).status_code == 403, page
        assert client.get(page).status_code in (302, 401), page
        assert organizer_client.get(page).status_code == 200, page
    # A run reached through another event is not found.
    assert organizer_client.get(f"/organizer/events/{event_id + 999}/pickups/{run_id}").status_code == 404
