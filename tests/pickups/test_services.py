"""Pickup runs: their rules, seats, one run per direction, and what delegates are told."""
from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.extensions import db
from eventsite.pickups import services
from eventsite.pickups.models import PickupPassenger, PickupRun

from .helpers import BRU, event_with_arrivals, local, make_run, run_values


def test_a_run_shows_every_problem_at_once(app_ctx):
    event, organizer, _people = event_with_arrivals()
    with pytest.raises(DomainError) as caught:
        services.create_run(event, run_values(direction="sideways", starts_at=None, capacity=0,
                                              meeting_point_en="", meeting_point_zh="",
                                              vehicle="x\ny", place="p" * 101), organizer)
    assert set(caught.value.problems) == {"direction", "starts_at", "capacity", "meeting_point_en",
                                          "vehicle", "place"}
    assert db.session.scalar(sa.select(sa.func.count(PickupRun.id))) == 0


def test_a_time_the_clocks_skip_is_refused(app_ctx):
    event, organizer, _people = event_with_arrivals()
    with pytest.raises(DomainError) as caught:
        make_run(event, organizer, starts_at=datetime(2030, 3, 31, 2, 30))  # Brussels springs forward
    assert caught.value.field == "starts_at"


def test_the_run_time_is_entered_on_the_events_clock(app_ctx):
    event, organizer, _people = event_with_arrivals()
    run = make_run(event, organizer)
    assert run.starts_at == local("2030-06-01 10:30") and run.starts_at.hour == 8  # CEST = UTC+2
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.target_type == "pickup_run")) \
        == "pickup.create_run"


def test_capacity_is_never_exceeded_and_all_or_none_are_added(app_ctx, outbox):
    event, organizer, people = event_with_arrivals()
    run = make_run(event, organizer, capacity=2)
    with pytest.raises(DomainError) as caught:
        services.add_passengers(run, [p.id for p in people], organizer)
    assert "2 left" in str(caught.value.message)
    db.session.rollback()
    assert db.session.get(PickupRun, run.id).seats_taken == 0
    assert services.add_passengers(run, [people[0].id, people[1].id], organizer) == people[:2]
    assert db.session.get(PickupRun, run.id).seats_taken == 2
    with pytest.raises(DomainError):
        services.add_passengers(run, [people[2].id], organizer)
    db.session.rollback()
    # The database refuses it too, whatever a caller does.
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.update(PickupRun).where(PickupRun.id == run.id).values(seats_taken=3))
        db.session.flush()
    db.session.rollback()
    mails = outbox(kind="pickup_notice")
    assert [m.to_addr for m in mails] == [people[0].email, people[1].email]
    assert "Exit 3, arrivals hall" in mails[0].body_text and "Minibus B-123" in mails[0].body_text


def test_one_run_per_direction_and_capacity_not_below_the_people_on_it(app_ctx):
    event, organizer, people = event_with_arrivals()
    first = make_run(event, organizer)
    second = make_run(event, organizer, starts_at=datetime(2030, 6, 1, 11, 30))
    services.add_passengers(first, [people[0].id, people[1].id], organizer)
    with pytest.raises(DomainError) as caught:
        services.add_passengers(second, [people[0].id], organizer)
    assert "already on another arrival run" in str(caught.value.message)
    db.session.rollback()
    departure = make_run(event, organizer, direction="departure", starts_at=datetime(2030, 6, 2, 18, 0))
    services.add_passengers(departure, [people[0].id], organizer)  # the other direction is free
    with pytest.raises(DomainError) as caught:
        services.update_run(first, run_values(capacity=1), organizer)
    assert caught.value.field == "capacity"
    db.session.rollback()
    services.update_run(first, run_values(capacity=2), organizer)
    assert db.session.get(PickupRun, first.id).capacity == 2


def test_people_not_taking_part_or_of_another_event_cannot_be_added(app_ctx):
    event, organizer, people = event_with_arrivals()
    other_event, _organizer, strangers = event_with_arrivals()
    run = make_run(event, organizer)
    people[0].status = "declined"
    db.session.commit()
    for ids in ([people[0].id], [strangers[0].id]):
        with pytest.raises(DomainError):
            services.add_passengers(run, ids, organizer)
        db.session.rollback()


def test_changes_raise_the_sequence_and_taking_off_cancels(app_ctx, outbox):
    event, organizer, people = event_with_arrivals()
    run = make_run(event, organizer)
    services.add_passengers(run, [people[0].id, people[1].id], organizer)
    passenger = db.session.scalar(sa.select(PickupPassenger).where(PickupPassenger.delegate_id == people[0].id))
    uid = passenger.uid
    assert passenger.sequence == 0
    services.update_run(run, run_values(notes="internal only"), organizer)  # nothing people see
    assert db.session.get(PickupPassenger, passenger.id).sequence == 0
    services.update_run(run, run_values(starts_at=datetime(2030, 6, 1, 11, 0)), organizer)
    passenger = db.session.get(PickupPassenger, passenger.id)
    assert (passenger.sequence, passenger.starts_at) == (1, local("2030-06-01 11:00"))
    services.remove_passenger(run, passenger, organizer)
    passenger = db.session.get(PickupPassenger, passenger.id)
    assert (passenger.run_id, passenger.sequence, passenger.uid) == (None, 2, uid)
    assert db.session.get(PickupRun, run.id).seats_taken == 1
    services.add_passengers(run, [people[0].id], organizer)  # back on: the same entry, higher again
    passenger = db.session.get(PickupPassenger, passenger.id)
    assert (passenger.run_id, passenger.sequence, passenger.uid) == (run.id, 3, uid)
    notices = [m.refs["notice"] for m in outbox(kind="pickup_notice", to_addr=people[0].email)]
    assert notices == ["new", "changed", "cancelled", "new"]


def test_deleting_a_run_cancels_everyones_entry(app_ctx, outbox):
    event, organizer, people = event_with_arrivals()
    run = make_run(event, organizer)
    services.add_passengers(run, [p.id for p in people], organizer)
    assert services.delete_run(db.session.get(PickupRun, run.id), organizer) == 3
    rows = db.session.scalars(sa.select(PickupPassenger)).all()
    assert len(rows) == 3 and all(r.run_id is None and r.sequence == 1 and r.place == BRU for r in rows)
    assert len(outbox(kind="pickup_notice")) == 6
    assert db.session.scalar(sa.select(AuditEntry.details).where(AuditEntry.action == "pickup.delete_run")) \
        == {"passengers": 3}


def test_a_delegate_who_leaves_gives_back_their_seat(app_ctx, outbox):
    from eventsite.delegations.services import selfservice

    event, organizer, people = event_with_arrivals()
    run = make_run(event, organizer)
    services.add_passengers(run, [people[1].id, people[2].id], organizer)
    selfservice.decline(people[1])
    passenger = db.session.scalar(sa.select(PickupPassenger).where(PickupPassenger.delegate_id == people[1].id))
    assert (passenger.run_id, passenger.sequence) == (None, 1)
    assert db.session.get(PickupRun, run.id).seats_taken == 1
    # Their decline notice tells them they are out; no separate pickup mail.
    assert [m.refs["notice"] for m in outbox(kind="pickup_notice", to_addr=people[1].email)] == ["new"]
