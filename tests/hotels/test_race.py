"""Two organizers assigning the last room at once, through two app instances and real threads,
on SQLite and on PostgreSQL: one gets it, the other is told no room is free; the block is never
overfilled and a shared room never takes a third guest."""
from __future__ import annotations

import pytest

from eventsite.accounts.models import User
from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.hotels import services
from eventsite.hotels.models import RoomAssignment, RoomBlock

from ..races import at_once
from .helpers import setup

pytestmark = pytest.mark.both_dbs


def _at_once(apps, jobs):
    """Each job (event_id, organizer_id, [Change]) in its own thread and app, released together."""
    def assign(event, organizer, changes):
        services.assign(event, changes, organizer)
        return "assigned"

    return at_once(
        apps, jobs,
        load=lambda event_id, user_id, changes: (db.session.get(Event, event_id),
                                                 db.session.get(User, user_id), changes),
        act=assign, refused=lambda error: str(error.message))


def test_two_organizers_assign_the_last_room_at_once(app_factory):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, hotel, block, people, organizer = setup(people=2, rooms=1, beds=1)
        ids = (event.id, organizer.id, block.id, [p.id for p in people])
    event_id, organizer_id, block_id, (a, b) = ids
    jobs = [(event_id, organizer_id, [services.Change(a, block_id)]),
            (event_id, organizer_id, [services.Change(b, block_id)])]
    outcomes = _at_once(apps, jobs)
    assert sorted(outcomes) == ["No room is free in this block.", "assigned"]
    with apps[1].app_context():
        assert db.session.get(RoomBlock, block_id).rooms_used == 1
        assert db.session.scalar(db.select(db.func.count(RoomAssignment.id))) == 1


def test_two_organizers_fill_the_last_bed_of_a_shared_room_at_once(app_factory):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, hotel, block, people, organizer = setup(people=3, rooms=1, beds=2)
        services.assign(event, [services.Change(people[0].id, block.id)], organizer)
        ids = (event.id, organizer.id, block.id, [p.id for p in people])
    event_id, organizer_id, block_id, (first, b, c) = ids
    jobs = [(event_id, organizer_id, [services.Change(b, block_id, mate_id=first)]),
            (event_id, organizer_id, [services.Change(c, block_id, mate_id=first)])]
    outcomes = _at_once(apps, jobs)
    assert sorted(outcomes) == ["That room already has two guests.", "assigned"]
    with apps[1].app_context():
        beds = db.session.scalars(db.select(RoomAssignment.bed).where(RoomAssignment.room_no == 1)).all()
        assert sorted(beds) == [1, 2]
        assert db.session.get(RoomBlock, block_id).rooms_used == 1
