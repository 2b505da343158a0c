"""Erasing an event's personal data takes the pickups' personal parts too: who rode which run, the
drivers' names and contacts and the runs' notes; the runs themselves stay."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from eventsite.extensions import db, now_utc
from eventsite.pickups import services
from eventsite.pickups.models import PickupPassenger, PickupRun
from eventsite.privacy import erasure

from .helpers import event_with_arrivals, make_run


@pytest.mark.both_dbs
def test_erasure_takes_the_pickups_personal_parts(app_ctx):
    start = now_utc() - timedelta(days=10)
    event, organizer, people = event_with_arrivals(starts_at=start, ends_at=start + timedelta(days=1))
    other, _organizer, others = event_with_arrivals()
    run = make_run(event, organizer, starts_at=datetime(2030, 6, 1, 10, 30), notes="Mr Peeters' own car")
    kept = make_run(other, organizer)
    services.add_passengers(run, [p.id for p in people], organizer)
    services.add_passengers(kept, [others[0].id], organizer)
    erasure.erase_event(event)
    run = db.session.get(PickupRun, run.id)
    assert (run.driver_name, run.driver_contact, run.notes, run.seats_taken) == ("", "", "", 0)
    assert run.vehicle == "Minibus B-123"  # not about a person
    riders = db.session.scalars(sa.select(PickupPassenger.event_id)).all()
    assert riders == [other.id]  # the other event's pickups are untouched
    assert db.session.get(PickupRun, kept.id).driver_name == "Jan Peeters"


def test_a_persons_export_lists_their_pickups(app_ctx):
    from eventsite.privacy.services import personal_data

    event, organizer, people = event_with_arrivals()
    run = make_run(event, organizer)
    services.add_passengers(run, [people[0].id], organizer)
    [record] = personal_data(people[0].email)["delegate_records"]
    assert record["pickups"] == [{
        "direction": "arrival", "starts_at": "2030-06-01T08:30:00+00:00", "place": "Brussels Airport (BRU)",
        "cancelled": False, "vehicle": "Minibus B-123", "meeting_point_en": "Exit 3, arrivals hall",
        "meeting_point_zh": "到达大厅3号出口"}]
