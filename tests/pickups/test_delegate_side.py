"""What the delegate and their liaison see: the pickup on the personal page (time on the event's
clock, meeting point in the reader's language), in the personal calendar feed (its own UID,
SEQUENCE up on a change, STATUS:CANCELLED once off the run) read by two parsers, and on the
liaison's receipt."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import pytest

from eventsite.calendar.links import delegate_feed_url
from eventsite.core.tokens import new_token
from eventsite.delegations.models import Delegate
from eventsite.extensions import db
from eventsite.pickups import services
from eventsite.pickups.models import PickupPassenger, PickupRun

from ..calendar.helpers import read_both
from ..factories import make_user
from .helpers import event_with_arrivals, local, make_run, run_values

pytestmark = pytest.mark.both_dbs


@pytest.fixture
def seeded(app):
    with app.app_context():
        event, organizer, people = event_with_arrivals()
        run = make_run(event, organizer)
        services.add_passengers(run, [people[0].id], organizer)
        raw, digest = new_token()
        people[0].token_hash = digest
        db.session.commit()
        return {"event": event.id, "event_uid": event.uid, "run": run.id, "organizer": organizer.id,
                "delegate": people[0].id, "token": raw, "feed": urlsplit(delegate_feed_url(people[0])).path,
                "uid": db.session.scalar(db.select(PickupPassenger.uid)), "delegation": people[0].delegation_id,
                "unit": people[0].delegation.unit_id}


def _pickups(client, seeded):
    return [e for e in read_both(client.get(seeded["feed"]).data) if e.uid == seeded["uid"]]


def _organizer(app, seeded):
    from eventsite.accounts.models import User
    return db.session.get(User, seeded["organizer"])


def test_the_feed_carries_the_pickup_and_follows_changes(app, client, seeded):
    [entry] = _pickups(client, seeded)
    assert (entry.sequence, entry.status) == (0, "CONFIRMED")
    assert entry.start == local("2030-06-01 10:30") and "Brussels Airport" in entry.summary
    assert entry.location == "Exit 3, arrivals hall" and "Minibus B-123" in entry.description
    with app.app_context():
        run = db.session.get(PickupRun, seeded["run"])
        services.update_run(run, run_values(starts_at=datetime(2030, 6, 1, 11, 15),
                                            meeting_point_en="Exit 5"), _organizer(app, seeded))
    [entry] = _pickups(client, seeded)
    assert (entry.sequence, entry.status, entry.location) == (1, "CONFIRMED", "Exit 5")
    assert entry.start == local("2030-06-01 11:15")
    with app.app_context():
        run = db.session.get(PickupRun, seeded["run"])
        passenger = db.session.scalar(db.select(PickupPassenger))
        services.remove_passenger(run, passenger, _organizer(app, seeded))
    [entry] = _pickups(client, seeded)
    assert (entry.sequence, entry.status) == (2, "CANCELLED")
    # The event itself is still there, unchanged.
    assert any(e.uid == seeded["event_uid"] and e.status == "CONFIRMED"
               for e in read_both(client.get(seeded["feed"]).data))


def test_a_deleted_run_stays_in_the_feed_as_cancelled(app, client, seeded):
    with app.app_context():
        services.delete_run(db.session.get(PickupRun, seeded["run"]), _organizer(app, seeded))
    [entry] = _pickups(client, seeded)
    assert (entry.sequence, entry.status) == (1, "CANCELLED")
    assert entry.start == local("2030-06-01 10:30")


def test_the_personal_page_shows_the_pickup_in_the_readers_language(app, client, seeded):
    page = f"/events/{seeded['event']}/delegate/{seeded['token']}"
    html = client.get(page, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="my-pickups"' in html and "Exit 3, arrivals hall" in html and "Jan Peeters" in html
    assert "10:30" in html and "Minibus B-123" in html
    with app.app_context():
        db.session.get(Delegate, seeded["delegate"]).language = "zh"
        db.session.commit()
    html = client.get(page, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "到达大厅3号出口" in html


def test_the_liaison_sees_the_pickups_of_their_people(app, client, login, seeded):
    with app.app_context():
        from eventsite.members.models import MemberUnit
        liaison = make_user(role="liaison", unit=db.session.get(MemberUnit, seeded["unit"]), locale="en")
        db.session.commit()
        login(client, liaison)
        name = db.session.get(Delegate, seeded["delegate"]).display_name("en")
    html = client.get(f"/delegations/{seeded['delegation']}/receipt").get_data(as_text=True)
    assert 'id="delegation-pickups"' in html and name in html and "Exit 3, arrivals hall" in html


def test_a_cancelled_event_cancels_its_pickups_in_the_feed(app, client, seeded):
    from eventsite.events import services as event_services
    from eventsite.events.models import Event

    with app.app_context():
        event_services.cancel(db.session.get(Event, seeded["event"]), "Storm", "暴风雨")
    [entry] = _pickups(client, seeded)
    assert (entry.sequence, entry.status) == (1, "CANCELLED")
