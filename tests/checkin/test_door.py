"""The organizers' door (checkin/door.py and its pages): check-in by hand and its undo, walk-ins
and substitutes under the registration rules with an audited override, who may use the pages."""
from __future__ import annotations

import pytest

from eventsite.checkin import door
from eventsite.core.domain import DomainError
from eventsite.delegations.models import Delegate
from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from ..races import at_once
from .helpers import actions, check_ins, door_event, walker


@pytest.mark.both_dbs
def test_manual_check_in_once_audited_and_undo_needs_a_reason(app):
    with app.app_context():
        event, _unit, head, organizer = door_event()
        first = door.manual_check_in(event, head, organizer)
        again = door.manual_check_in(event, head, organizer)
        assert first.created and not again.created
        [row] = check_ins(event.id)
        assert row.method == "manual" and row.by_id == organizer.id
        assert len(actions("checkin.manual")) == 1
        with pytest.raises(DomainError) as refused:
            door.undo_check_in(event, row, "  ", organizer)
        assert refused.value.field == "reason"
        assert len(check_ins(event.id)) == 1
        door.undo_check_in(event, row, "Scanned the wrong badge", organizer)
        assert check_ins(event.id) == []
        [entry] = actions("checkin.undone")
        assert entry.details["reason"] == "Scanned the wrong badge"


def test_a_removed_person_is_not_checked_in(app):
    with app.app_context():
        event, _unit, head, organizer = door_event()
        head.status = "removed"
        db.session.commit()
        with pytest.raises(DomainError):
            door.manual_check_in(event, head, organizer)
        assert check_ins(event.id) == []


@pytest.mark.both_dbs
def test_walk_in_joins_the_delegation_and_is_checked_in(app):
    with app.app_context():
        event, unit, _head, organizer = door_event(capacity=10, quota=3)
        delegate = door.walk_in(event, unit, walker(1), organizer)
        assert delegate.status == "confirmed" and delegate.delegation.unit_id == unit.id
        [row] = check_ins(event.id)
        assert (row.delegate_id, row.method) == (delegate.id, "walk_in")
        assert db.session.get(Event, event.id).seats_taken == 3
        assert len(actions("checkin.walk_in")) == 1 and actions("checkin.override") == []


def test_walk_in_beyond_quota_and_capacity_shows_every_problem_then_override(app):
    with app.app_context():
        event, unit, _head, organizer = door_event(capacity=2, quota=2)
        with pytest.raises(DomainError) as refused:
            door.walk_in(event, unit, walker(1, email="not an address"), organizer)
        problems = refused.value.problems
        texts = " ".join(str(m) for messages in problems.values() for m in messages)
        assert "quota" in texts and "full" in texts and "override" in problems
        assert any("email" in (field or "") for field in problems)
        with pytest.raises(DomainError) as no_reason:
            door.walk_in(event, unit, walker(1), organizer, override=True)
        assert "reason" in no_reason.value.problems
        assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 2 and check_ins(event.id) == []

        delegate = door.walk_in(event, unit, walker(1), organizer, override=True, reason="Minister's guest")
        assert delegate.status == "confirmed"
        event = db.session.get(Event, event.id)
        assert (event.capacity, event.seats_taken) == (3, 3)
        [entry] = actions("checkin.override")
        assert entry.details["reason"] == "Minister's guest" and entry.details["capacity_raised"] is True
        assert len(entry.details["refused"]) == 2


def test_walk_in_of_a_new_unit_is_its_head(app):
    with app.app_context():
        event, _unit, _head, organizer = door_event()
        other = factories.make_unit(name_en="Unit B", name_zh="乙市")
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            door.walk_in(event, other, walker(2, role="member"), organizer)
        assert "people-0-role" in refused.value.problems
        delegate = door.walk_in(event, other, walker(2, role="head"), organizer)
        assert delegate.delegation.unit_id == other.id and delegate.status == "confirmed"


@pytest.mark.both_dbs
def test_substitute_takes_the_seat_and_is_checked_in(app, outbox):
    with app.app_context():
        event, _unit, head, organizer = door_event(capacity=2, people=2)
        member = next(d for d in head.delegation.delegates if d.role == "member")
        newcomer = door.substitute(event, member, walker(3, role="interpreter"), organizer)
        assert newcomer.status == "confirmed" and newcomer.substitute_for_id == member.id
        assert db.session.get(Delegate, member.id).status == "removed"
        assert db.session.get(Event, event.id).seats_taken == 2
        [row] = check_ins(event.id)
        assert (row.delegate_id, row.method) == (newcomer.id, "walk_in")
        assert len(actions("checkin.substitute")) == 1


def test_someone_already_checked_in_is_not_replaced(app):
    with app.app_context():
        event, _unit, head, organizer = door_event()
        door.manual_check_in(event, head, organizer)
        with pytest.raises(DomainError):
            door.substitute(event, head, walker(4, role="head"), organizer)
        assert db.session.get(Delegate, head.id).status == "confirmed"


def test_pages_walk_in_with_override_and_undo(app, organizer_client):
    with app.app_context():
        event, unit, head, _organizer = door_event(capacity=2, quota=2)
        event_id, unit_id, head_id = event.id, unit.id, head.id
    url = f"/organizer/events/{event_id}/checkin/walk-in"
    token = csrf_token(organizer_client, url)
    data = {"csrf_token": token, "unit_id": unit_id, **walker(5)}
    refused = organizer_client.post(url, data=data)
    assert refused.status_code == 200
    assert "quota" in refused.get_data(as_text=True)
    done = organizer_client.post(url, data=data | {"override": "y", "reason": "VIP"})
    assert done.status_code == 302
    response = organizer_client.post(f"/organizer/events/{event_id}/checkin/people/{head_id}/check-in",
                                     data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        rows = check_ins(event_id)
        assert sorted(r.method for r in rows) == ["manual", "walk_in"]
        manual = next(r for r in rows if r.method == "manual")
    undo = f"/organizer/events/{event_id}/checkin/{manual.id}/undo"
    assert organizer_client.post(undo, data={"csrf_token": token, "reason": ""}).status_code == 200
    assert organizer_client.post(undo, data={"csrf_token": token, "reason": "wrong person"}).status_code == 302
    with app.app_context():
        assert [r.method for r in check_ins(event_id)] == ["walk_in"]


def test_substitute_page(app, organizer_client):
    with app.app_context():
        event, _unit, head, _organizer = door_event()
        member = next(d for d in head.delegation.delegates if d.role == "member")
        event_id, member_id = event.id, member.id
    url = f"/organizer/events/{event_id}/checkin/people/{member_id}/substitute"
    page = organizer_client.get(url)
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(organizer_client, url), **walker(6)}
    assert organizer_client.post(url, data=data | {"family_name": "", "given_name": "", "name_zh": ""}).status_code == 200
    assert organizer_client.post(url, data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Delegate, member_id).status == "removed"


@pytest.mark.parametrize("role", ["liaison", "checkin"])
def test_liaisons_and_check_in_staff_are_refused(app, login, role):
    with app.app_context():
        event, _unit, head, _organizer = door_event()
        unit = factories.make_unit() if role == "liaison" else None
        user = factories.make_user(role, unit=unit)
        if role == "checkin":
            from eventsite.checkin.models import CheckinAssignment

            db.session.add(CheckinAssignment(user_id=user.id, event_id=event.id))
        db.session.commit()
        client = login(app.test_client(), user)
        event_id, head_id = event.id, head.id
    for path in ("checkin", "checkin/live.json", "checkin/walk-in", "checkin/staff", "checkin/attendance.xlsx",
                 f"checkin/people/{head_id}/substitute"):
        assert client.get(f"/organizer/events/{event_id}/{path}").status_code == 403, path
    token = csrf_token(client, "/account")
    response = client.post(f"/organizer/events/{event_id}/checkin/people/{head_id}/check-in",
                           data={"csrf_token": token})
    assert response.status_code == 403
    with app.app_context():
        assert check_ins(event_id) == []


@pytest.mark.both_dbs
def test_two_organizers_walk_in_the_last_seat_at_once(app_factory):
    apps = [app_factory(), app_factory()]
    with apps[0].app_context():
        event, unit, _head, organizer = door_event(capacity=3, quota=10)
        ids = (event.id, unit.id, organizer.id)

    def load(n):
        from eventsite.accounts.models import User
        from eventsite.members.models import MemberUnit

        return (db.session.get(Event, ids[0]), db.session.get(MemberUnit, ids[1]),
                db.session.get(User, ids[2]), n)

    def walk(event, unit, actor, n):
        door.walk_in(event, unit, walker(10 + n), actor)
        return "in"

    results = at_once(apps, [(0,), (1,)], load=load, act=walk)
    assert sorted(results) == ["in", "refused"]
    with apps[1].app_context():
        event = db.session.get(Event, ids[0])
        assert (event.seats_taken, event.capacity) == (3, 3)
        assert len(check_ins(ids[0])) == 1
        assert db.session.scalar(db.select(db.func.count(Delegate.id)).where(Delegate.status != "removed")) == 3
