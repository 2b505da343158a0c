"""Two organizers filling the last seats of a run at the same moment, through two app instances
and real threads: the run never holds more people than its capacity, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.extensions import db
from eventsite.pickups import services
from eventsite.pickups.models import PickupPassenger, PickupRun

from ..races import at_once
from .helpers import arriving, event_with_arrivals, make_run

pytestmark = pytest.mark.both_dbs

ROUNDS = 3


def _add_at_once(apps, run_id, organizer_id, groups):
    """Each group of delegate ids boarded onto the run by its own organizer, at the same moment."""
    return at_once(apps, [(run_id, organizer_id, ids) for ids in groups], load=_load_run, act=_board)


def _load_run(run_id, user_id, ids):
    return db.session.get(PickupRun, run_id), db.session.get(User, user_id), ids


def _board(run, organizer, ids):
    services.add_passengers(run, ids, organizer)
    return "added"


def test_two_organizers_never_overfill_a_run(app_factory):
    apps = [app_factory(), app_factory()]
    for _round in range(ROUNDS):
        with apps[0].app_context():
            event, organizer, people = event_with_arrivals()
            more = arriving(event, people=3)
            run = make_run(event, organizer, capacity=4)
            groups = [[p.id for p in people], [p.id for p in more]]  # 3 + 3 for 4 seats
            run_id, organizer_id = run.id, organizer.id
            db.session.commit()
        outcomes = _add_at_once(apps, run_id, organizer_id, groups)
        assert sorted(outcomes) == ["added", "refused"]
        with apps[1].app_context():
            run = db.session.get(PickupRun, run_id)
            on_run = db.session.scalar(sa.select(sa.func.count(PickupPassenger.id))
                                       .where(PickupPassenger.run_id == run_id))
            assert run.seats_taken == on_run == 3


def test_the_same_person_boarded_twice_at_once_gets_one_seat(app_factory):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, organizer, people = event_with_arrivals()
        first, second = make_run(event, organizer), make_run(event, organizer)
        ids = (first.id, second.id, organizer.id, people[0].id)
        db.session.commit()
    # The same person onto two runs: each organizer's own run, one person.
    outcomes = at_once(apps, [(ids[0], ids[2], [ids[3]]), (ids[1], ids[2], [ids[3]])],
                       load=_load_run, act=_board)
    assert sorted(outcomes) == ["added", "refused"]
    with apps[1].app_context():
        taken = db.session.scalars(sa.select(PickupRun.seats_taken).where(PickupRun.id.in_(ids[:2]))).all()
        assert sorted(taken) == [0, 1]
