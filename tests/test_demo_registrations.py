"""`flask demo load` also plays demo invitations and delegations: every status shows up, the seat
counts hold, and the printed liaison sees their unit's invitation and delegation."""
from __future__ import annotations

import re

import pytest

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.delegations.models import DELEGATE_STATUSES, Delegate, Delegation
from eventsite.demo.registrations import FLAGSHIP, STUDY_TOUR, UN_MEETING, WORKSHOP
from eventsite.events.models import Event
from eventsite.extensions import db, now_utc
from eventsite.invitations.models import Invitation
from eventsite.invitations.queries import STATUSES, rows_for
from eventsite.mail.models import OutboxMessage

from .conftest import csrf_token

pytestmark = pytest.mark.both_dbs
PASSWORD = "demo-pass-123"


@pytest.fixture
def loaded(app, runner):
    """The output of `flask demo load` on an empty database."""
    result = runner.invoke(args=["demo", "load", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    return result.output


def _events() -> dict[str, Event]:
    return {e.title_en: e for e in db.session.scalars(db.select(Event))}


def _count(query) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))


def test_every_invitation_status_occurs(app, loaded):
    with app.app_context():
        now, events = now_utc(), _events()
        statuses = {e.title_en: [r.status for r in rows_for(e, now)] for e in events.values()}
        assert {s for per_event in statuses.values() for s in per_event} == set(STATUSES)
        forum = events[FLAGSHIP]
        assert forum.registration_mode == "invited_only" and forum.approval_required
        assert forum.starts_at > now and forum.registration_opens_at < now < forum.registration_closes_at
        assert 35 <= len(statuses[FLAGSHIP]) <= 45
        assert {"invited", "accepted", "registered", "declined", "no_address", "mail_failed",
                "revoked"} <= set(statuses[FLAGSHIP])
        # "No reply" comes from an event whose registration closed, never from an open one.
        tour = events[STUDY_TOUR]
        assert tour.registration_closes_at < now and "no_reply" in statuses[STUDY_TOUR]
        assert all("no_reply" not in statuses[e.title_en] for e in events.values()
                   if e.registration_closes_at and e.registration_closes_at > now)
        assert set(statuses[UN_MEETING]) >= {"invited", "registered"}
        declined = db.session.scalars(db.select(Invitation).filter_by(state="declined")).all()
        assert declined and all(i.decline_reason and i.responded_by_label for i in declined)
        failed = db.session.scalars(db.select(OutboxMessage).filter_by(state="failed")).all()
        assert failed and all("550" in m.last_error for m in failed)
        assert all(m.to_addr.endswith("@demo.example.org")
                   for m in db.session.scalars(db.select(OutboxMessage)))
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"invitation.issue", "invitation.accept", "invitation.decline", "invitation.revoke",
                "delegation.submit", "delegation.approve", "delegation.reject",
                "delegation.withdraw", "delegate.decline", "delegate.auto_promote"} <= actions
    assert "Demo invitations: invited" in loaded and "no reply" in loaded


def test_delegations_in_every_state_and_seats_hold(app, loaded):
    with app.app_context():
        events = _events()
        delegations = db.session.scalars(db.select(Delegation)).all()
        assert {"submitted", "confirmed", "rejected", "withdrawn"} <= {d.status for d in delegations}
        assert {d.status for d in db.session.scalars(db.select(Delegate))} == set(DELEGATE_STATUSES)
        for event in events.values():
            confirmed = _count(db.select(Delegate).filter_by(event_id=event.id, status="confirmed"))
            assert event.seats_taken == confirmed
            assert event.capacity is None or confirmed <= event.capacity
        forum = events[FLAGSHIP]
        assert forum.seats_taken == forum.capacity
        waiting = db.session.scalars(db.select(Delegate).filter_by(event_id=forum.id, status="waitlisted")).all()
        assert waiting and all(d.delegation.status == "confirmed" for d in waiting)
        rejected = next(d for d in delegations if d.status == "rejected")
        assert rejected.event_id == forum.id and rejected.reject_reason
        assert {p.status for p in rejected.delegates} == {"removed"}
        withdrawn = next(d for d in delegations if d.status == "withdrawn")
        assert withdrawn.event_id == events[WORKSHOP].id and events[WORKSHOP].registration_mode == "all_members"
        assert any(d.status == "declined" for d in db.session.scalars(
            db.select(Delegate).filter_by(event_id=events[WORKSHOP].id)))

        people = db.session.scalars(db.select(Delegate).filter_by(event_id=forum.id)).all()
        live = [d for d in delegations if d.event_id == forum.id and d.status != "rejected"]
        assert all(2 <= len(d.delegates) <= 5 and d.delegates[0].role == "head" for d in live)
        assert {"head", "deputy", "interpreter"} <= {p.role for p in people}
        assert any(p.title.startswith("市长 / Mayor") for p in people)
        assert any(p.title.startswith("外事办主任") for p in people)
        assert any(p.name_zh and p.family_name for p in people)
        assert any(p.family_name and not p.name_zh for p in people)  # European delegates
        assert {"无", "清真 / halal"} <= {p.dietary for p in people}
        assert all(p.email.endswith("@demo.example.org") for p in db.session.scalars(db.select(Delegate)))
        flown = [p for p in people if p.arrival_at]
        assert flown and all(p.arrival_details and p.arrival_at < forum.starts_at for p in flown)
        assert all(forum.ends_at < p.departure_at for p in flown if p.departure_at)


def _log_in(client, email):
    reply = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": email,
                                        "password": PASSWORD})
    assert reply.status_code == 302, reply.get_data(as_text=True)


def test_printed_liaison_sees_an_open_invitation_and_a_delegation(app, loaded):
    email = re.search(r"Log in as (\S+@demo\.example\.org)", loaded).group(1)
    assert re.search(rf"^\s+{re.escape(email)}\s+liaison\s+{PASSWORD}$", loaded, re.M)
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        events = _events()
        forum, un = events[FLAGSHIP], events[UN_MEETING]
        head = db.session.scalar(db.select(Delegate).join(Delegation).where(
            Delegation.unit_id == user.unit_id, Delegation.event_id == forum.id, Delegate.role == "head"))
        open_invitation = db.session.scalar(db.select(Invitation).filter_by(unit_id=user.unit_id, event_id=un.id))
        assert open_invitation.state == "pending" and head.status == "confirmed"
        forum_id, head_name = forum.id, head.family_name
    client = app.test_client()
    _log_in(client, email)
    mine = client.get("/my/invitations")
    assert mine.status_code == 200
    page = mine.get_data(as_text=True)
    assert "联合国边会" in page or "Side meeting at the UN" in page
    registration = client.get(f"/events/{forum_id}/delegation")
    assert registration.status_code == 200 and head_name in registration.get_data(as_text=True)


def test_organizer_pages_render_for_every_demo_event(app, loaded):
    with app.app_context():
        ids = [e.id for e in db.session.scalars(db.select(Event))]
    client = app.test_client()
    _log_in(client, "organizer1@demo.example.org")
    for event_id in ids:
        for page in ("invitations", "delegations"):
            reply = client.get(f"/organizer/events/{event_id}/{page}")
            assert reply.status_code == 200, (event_id, page)


def test_the_meetings_abroad_ask_for_travel_documents(app, loaded):
    """The UN side meeting and the Brussels forum (US and Schengen visas need an invitation letter)
    ask for them; their Chinese delegates have them filled in, valid beyond the event; European
    delegates (no visa) and every other event have none."""
    with app.app_context():
        events = _events()
        asking = {e.id: e for e in events.values() if e.collects("passport")}
        assert {e.title_en for e in asking.values()} == {UN_MEETING, FLAGSHIP}
        people = db.session.scalars(db.select(Delegate).where(Delegate.event_id.in_(asking))).all()
        chinese = [p for p in people if p.delegation.unit.country == "CN"]
        assert len(chinese) >= 2 and len(people) > len(chinese)
        for person in chinese:
            assert re.fullmatch(r"E\d{8}", person.passport_number) and person.nationality == "CN"
            assert person.passport_name == person.passport_name.upper() and person.birth_date
            assert person.passport_expiry > asking[person.event_id].ends_at.date()
        assert not any(p.passport_number for p in people if p.delegation.unit.country != "CN")
        assert not db.session.scalar(db.select(db.func.count(Delegate.id)).where(
            Delegate.event_id.not_in(asking), Delegate.passport_number != ""))
