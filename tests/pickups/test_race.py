"""Two organizers filling the last seats of a run at the same moment, through two app instances
and real threads: the run never holds more people than its capacity, on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.core.domain import DomainError
from eventsite.extensions import db
from eventsite.pickups import services
from eventsite.pickups.models import PickupPassenger, PickupRun

from .helpers import arriving, event_with_arrivals, make_run

pytestmark = pytest.mark.both_dbs

ROUNDS = 3


def _add_at_once(apps, run_id, organizer_id, groups):
    barrier = threading.Barrier(len(groups))
    outcomes, errors = [], []

    def add(app, ids):
        with app.app_context():
            try:
                run, organizer = db.session.get(PickupRun, run_id), db.session.get(User, organizer_id)
                barrier.wait(timeout=30)
                services.add_passengers(run, ids, organizer)
                outcomes.append("added")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add, args=(apps[n % 2], ids)) for n, ids in enumerate(groups)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return outcomes


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
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def add(app, run_id):
        with app.app_context():
            try:
                run, organizer = db.session.get(PickupRun, run_id), db.session.get(User, ids[2])
                barrier.wait(timeout=30)
                services.add_passengers(run, [ids[3]], organizer)
                outcomes.append("added")
            except DomainError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as exc:  # pragma: no cover
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=add, args=(apps[n], ids[n])) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(outcomes) == ["added", "refused"]
    with apps[1].app_context():
        taken = db.session.scalars(sa.select(PickupRun.seats_taken).where(PickupRun.id.in_(ids[:2]))).all()
        assert sorted(taken) == [0, 1]
