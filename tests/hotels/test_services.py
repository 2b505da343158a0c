"""Hotels, blocks and assignments through the services: the rules, shared rooms, overfill, the
emails and the audit entries."""
from __future__ import annotations

from datetime import date

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.core.domain import DomainError
from eventsite.extensions import db
from eventsite.hotels import services
from eventsite.hotels.models import RoomAssignment, RoomBlock

from .helpers import CHECK_IN, CHECK_OUT, block_values, change, hotel_values, make_block, setup


def _assignments():
    return db.session.scalars(db.select(RoomAssignment).order_by(RoomAssignment.id)).all()


def _actions():
    return [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]


def test_hotel_and_block_rules_show_every_problem_at_once(app_ctx):
    event, hotel, block, people, organizer = setup()
    with pytest.raises(DomainError) as caught:
        services.save_hotel(event, None, hotel_values(name_en="", name_zh="", list_language="fr"), organizer)
    assert set(caught.value.problems) == {"name_en", "list_language"}
    with pytest.raises(DomainError) as caught:
        services.save_block(hotel, None, block_values(room_type_en="", room_type_zh="", beds=3,
                                                      check_out=CHECK_IN, rooms=-1), organizer)
    assert set(caught.value.problems) == {"room_type_en", "beds", "check_out", "rooms"}
    saved = services.save_hotel(event, None, hotel_values(name_zh="", list_language="en"), organizer)
    assert saved.name_en == "Grand Hotel" and "hotel.create" in _actions()


def test_a_block_never_shrinks_below_its_guests(app_ctx):
    event, hotel, block, people, organizer = setup()
    services.assign(event, [change(people[0], block), change(people[1], block)], organizer)
    with pytest.raises(DomainError) as caught:
        services.save_block(hotel, block, block_values(rooms=1), organizer)
    assert "rooms" in caught.value.problems
    with pytest.raises(DomainError):
        services.delete_block(block, organizer)
    with pytest.raises(DomainError):
        services.delete_hotel(hotel, organizer)
    services.save_block(hotel, block, block_values(rooms=5), organizer)
    assert db.session.get(RoomBlock, block.id).rooms == 5


def test_assigning_sends_one_mail_per_person_and_audits(app_ctx, outbox):
    event, hotel, block, people, organizer = setup(people=20, rooms=20, beds=1)
    counts = services.assign(event, [change(p, block) for p in people], organizer)
    assert counts["assigned"] == 20
    mails = outbox(kind="room_notice")
    assert len(mails) == 20 and {m.delegate_id for m in mails} == {p.id for p in people}
    # In the delegate's language (zh): the hotel's Chinese name.
    assert "大酒店" in mails[0].body_text and mails[0].language == "zh"
    assert _actions().count("room.assign") == 20
    assert db.session.get(RoomBlock, block.id).rooms_used == 20
    # Saving the same again changes nothing and mails nobody.
    services.assign(event, [change(p, block) for p in people], organizer)
    assert len(outbox(kind="room_notice")) == 20


def test_a_block_is_never_overfilled(app_ctx, outbox):
    event, hotel, block, people, organizer = setup(people=3, rooms=2, beds=1)
    with pytest.raises(DomainError) as caught:
        services.assign(event, [change(p, block) for p in people], organizer)
    assert "rows-2-block" in caught.value.problems
    assert _assignments() == [] and not outbox(kind="room_notice")  # all or nothing
    assert db.session.get(RoomBlock, block.id).rooms_used == 0


def test_shared_rooms_hold_two_never_three(app_ctx):
    event, hotel, block, people, organizer = setup(people=3, rooms=2)
    a, b, c = people
    services.assign(event, [change(a, block, mate=b), change(b, block, mate=a)], organizer)
    first, second = _assignments()
    assert (first.room_no, second.room_no) == (1, 1) and {first.bed, second.bed} == {1, 2}
    assert db.session.get(RoomBlock, block.id).rooms_used == 1
    with pytest.raises(DomainError) as caught:
        services.assign(event, [change(c, block, mate=a)], organizer)
    assert "rows-0-mate" in caught.value.problems
    services.assign(event, [change(c, block)], organizer)  # a room of their own
    assert db.session.get(RoomBlock, block.id).rooms_used == 2


def test_nobody_is_in_two_rooms_and_moving_frees_the_room(app_ctx, outbox):
    event, hotel, block, people, organizer = setup(people=2, rooms=1, beds=1)
    other = make_block(hotel, room_type_en="Suite", beds=1, rooms=1)
    db.session.commit()
    a, b = people
    services.assign(event, [change(a, block)], organizer)
    services.assign(event, [change(a, other)], organizer)  # moved: block's room is free again
    assert [x.block_id for x in _assignments()] == [other.id]
    assert db.session.get(RoomBlock, block.id).rooms_used == 0
    services.assign(event, [change(b, block)], organizer)
    assert [m.refs["notice"] for m in outbox(kind="room_notice")] == ["room.assigned", "room.moved", "room.assigned"]
    with pytest.raises(Exception):  # the database refuses a second room for one person
        db.session.add(RoomAssignment(event_id=event.id, delegate_id=a.id, block_id=block.id, room_no=1, bed=2,
                                      check_in=CHECK_IN, check_out=CHECK_OUT))
        db.session.flush()
    db.session.rollback()


def test_own_dates_lie_within_the_block(app_ctx, outbox):
    event, hotel, block, people, organizer = setup(people=1)
    a = people[0]
    with pytest.raises(DomainError) as caught:
        services.assign(event, [change(a, block, check_in=date(2030, 5, 9), check_out=CHECK_OUT)], organizer)
    assert "rows-0-check_in" in caught.value.problems
    services.assign(event, [change(a, block, check_in=date(2030, 5, 11))], organizer)
    assignment = _assignments()[0]
    assert (assignment.check_in, assignment.check_out, assignment.nights) == (date(2030, 5, 11), CHECK_OUT, 2)
    services.assign(event, [change(a, block, check_in=CHECK_IN, check_out=date(2030, 5, 12))], organizer)
    assert outbox(kind="room_notice")[-1].refs["notice"] == "room.dates"
    services.assign(event, [change(a, None)], organizer)
    assert _assignments() == [] and outbox(kind="room_notice")[-1].refs["notice"] == "room.removed"
    assert db.session.get(RoomBlock, block.id).rooms_used == 0


def test_only_seated_delegates_get_rooms(app_ctx):
    event, hotel, block, people, organizer = setup(people=2)
    people[1].status = "waitlisted"
    db.session.commit()
    with pytest.raises(DomainError) as caught:
        services.assign(event, [change(people[1], block)], organizer)
    assert "rows-0-block" in caught.value.problems


def test_a_delegate_who_leaves_frees_the_room(app_ctx):
    from eventsite.delegations.services import decisions

    event, hotel, block, people, organizer = setup(people=3, rooms=2)
    head, a, b = people
    services.assign(event, [change(a, block, mate=b), change(b, block, mate=a)], organizer)
    decisions.remove_delegate(a, organizer, "Cannot travel")
    assert [x.delegate_id for x in _assignments()] == [b.id]
    assert db.session.get(RoomBlock, block.id).rooms_used == 1
    assert "room.release" in _actions()


def test_a_withdrawn_delegation_frees_every_room(app_ctx):
    from eventsite.delegations.services import withdraw

    event, hotel, block, people, organizer = setup(people=2, rooms=2, beds=1)
    services.assign(event, [change(p, block) for p in people], organizer)
    withdraw(people[0].delegation, organizer, as_organizer=True)
    assert _assignments() == [] and db.session.get(RoomBlock, block.id).rooms_used == 0


def test_liaison_requests(app_ctx):
    event, hotel, block, people, organizer = setup(people=3)
    a, b, c = people
    delegation = a.delegation
    with pytest.raises(DomainError) as caught:
        services.save_requests(delegation, [services.Wish(a.id, "share", None), services.Wish(b.id, "share", b.id)],
                               organizer)
    assert set(caught.value.problems) == {"rows-0-share_with", "rows-1-share_with"}
    changed = services.save_requests(delegation, [services.Wish(a.id, "share", b.id, "Non-smoking"),
                                                  services.Wish(b.id, "share", a.id),
                                                  services.Wish(c.id, "none")], organizer)
    assert changed == 3 and "room.request" in _actions()
    assert services.save_requests(delegation, [services.Wish(c.id, "none")], organizer) == 0


def test_a_roommate_assigned_later_joins_without_moving_the_first(app_ctx, outbox):
    event, hotel, block, people, organizer = setup(people=2, rooms=2)
    a, b = people
    services.assign(event, [change(a, block, mate=b)], organizer)  # b has no room yet
    services.assign(event, [change(a, block, mate=b)], organizer)  # saved again: nothing changes
    assert len(outbox(kind="room_notice")) == 1
    services.assign(event, [change(b, block, mate=a)], organizer)
    first, second = _assignments()
    assert first.room_no == second.room_no and db.session.get(RoomBlock, block.id).rooms_used == 1
    assert [m.delegate_id for m in outbox(kind="room_notice")] == [a.id, b.id]
