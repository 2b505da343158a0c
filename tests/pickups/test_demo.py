"""`flask demo load` gives the flagship forum's delegates structured travel and two pickup runs
with people on them, within their capacity."""
from __future__ import annotations

import pytest

from eventsite.delegations.models import Delegate
from eventsite.demo.registrations import FLAGSHIP
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.pickups.models import PickupPassenger, PickupRun


@pytest.mark.both_dbs
def test_demo_has_arrivals_and_two_pickup_runs(app, runner):
    result = runner.invoke(args=["demo", "load", "--password", "demo-pass-123"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        forum = db.session.scalar(db.select(Event).where(Event.title_en == FLAGSHIP))
        people = db.session.scalars(db.select(Delegate).where(Delegate.event_id == forum.id,
                                                              Delegate.arrival_at.is_not(None))).all()
        assert people and all(p.arrival_place and p.arrival_details == p.arrival_details.upper() for p in people)
        runs = db.session.scalars(db.select(PickupRun).where(PickupRun.event_id == forum.id)).all()
        assert sorted(r.direction for r in runs) == ["arrival", "departure"]
        for run in runs:
            riders = db.session.scalar(db.select(db.func.count(PickupPassenger.id))
                                       .where(PickupPassenger.run_id == run.id))
            assert 0 < riders == run.seats_taken <= run.capacity
