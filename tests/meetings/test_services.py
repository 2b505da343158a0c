"""Requests, answers, proposals and cancellations; the rules (deadline, clashes with own meetings
and chosen sessions); the calendar messages they write (parsed back with icalendar)."""
from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest

from eventsite.core.domain import DomainError
from eventsite.extensions import db, now_utc
from eventsite.meetings import queries, services
from eventsite.meetings.models import MeetingBooking

from .. import factories
from .helpers import forum, values


def _event_of(ics: bytes):
    calendar = icalendar.Calendar.from_ical(ics)
    return calendar, next(c for c in calendar.walk("VEVENT"))


def test_request_accept_reschedule_cancel_with_calendar_messages(app_ctx, outbox):
    event, _org, sides, slots, tables = forum()
    (_ua, a, head_a, liaison_a), (_ub, b, head_b, liaison_b) = sides
    meeting = services.request_meeting(event, a, values(b, slots[0]), liaison_a)
    assert meeting.status == "requested" and meeting.proposed_by_id == a.id
    assert [m.to_addr for m in outbox(kind="meeting_notice")] == [liaison_b.email]
    with pytest.raises(DomainError):
        services.accept(meeting, a, liaison_a)  # the requester does not answer its own request
    db.session.rollback()
    services.accept(meeting, b, liaison_b)
    assert meeting.status == "accepted" and meeting.slot_id == slots[0].id and meeting.table_id == tables[0].id
    calendars = outbox(kind="meeting_calendar")
    assert len(calendars) == 4  # two people on each side
    assert {m.language for m in calendars} == {"zh"}
    calendar, vevent = _event_of(calendars[0].calendar_ics)
    assert calendar["METHOD"] == "REQUEST" and str(vevent["UID"]) == meeting.uid and vevent["SEQUENCE"] == 0
    uid = meeting.uid

    services.propose(meeting, a, slots[1].id, liaison_a)  # reschedule
    assert meeting.status == "accepted" and meeting.proposed_slot_id == slots[1].id
    services.accept(meeting, b, liaison_b)
    assert meeting.slot_id == slots[1].id and meeting.sequence == 1
    calendar, vevent = _event_of(outbox(kind="meeting_calendar")[-1].calendar_ics)
    assert str(vevent["UID"]) == uid and vevent["SEQUENCE"] == 1 and calendar["METHOD"] == "REQUEST"

    services.cancel(meeting, b, liaison_b)
    assert meeting.status == "cancelled" and meeting.slot_id is None
    assert db.session.query(MeetingBooking).count() == 0
    calendar, vevent = _event_of(outbox(kind="meeting_calendar")[-1].calendar_ics)
    assert calendar["METHOD"] == "CANCEL" and str(vevent["UID"]) == uid and vevent["SEQUENCE"] == 2
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_mails_follow_each_persons_language(app_ctx, outbox):
    event, _org, sides, slots, _tables = forum()
    (_ua, a, head_a, liaison_a), (_ub, b, head_b, liaison_b) = sides
    head_a.language = "en"
    meeting = services.request_meeting(event, a, values(b, slots[0]), liaison_a)
    services.accept(meeting, b, liaison_b)
    by_person = {m.to_addr: m for m in outbox(kind="meeting_calendar")}
    assert by_person[head_a.email].language == "en" and "confirmed" in by_person[head_a.email].subject
    assert by_person[head_b.email].language == "zh" and "Meeting" not in by_person[head_b.email].subject


def test_counter_proposal_then_accept_and_decline(app_ctx, outbox):
    event, _org, sides, slots, _tables = forum()
    (_ua, a, _ha, liaison_a), (_ub, b, _hb, liaison_b) = sides
    meeting = services.request_meeting(event, a, values(b, slots[0]), liaison_a)
    services.propose(meeting, b, slots[1].id, liaison_b)
    assert meeting.status == "proposed"
    with pytest.raises(DomainError):
        services.accept(meeting, b, liaison_b)
    db.session.rollback()
    services.accept(meeting, a, liaison_a)
    assert meeting.slot_id == slots[1].id
    other = services.request_meeting(event, b, values(a, slots[0]), liaison_b)
    services.decline(other, a, liaison_a)
    assert other.status == "declined"


def test_deadline_and_closed_matchmaking_refuse_requests(app_ctx):
    event, _org, sides, slots, _tables = forum()
    (_ua, a, _ha, liaison_a), (_ub, b, _hb, _lb) = sides
    settings = queries.settings_for(event.id)
    settings.request_deadline = now_utc() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(DomainError) as error:
        services.request_meeting(event, a, {**values(b, slots[0]), "slot": 0, "invitee": a.id}, liaison_a)
    assert set(error.value.problems) == {None, "invitee", "slot"}  # every problem at once
    db.session.rollback()
    settings = queries.settings_for(event.id)
    settings.request_deadline, settings.is_open = None, False
    db.session.commit()
    with pytest.raises(DomainError, match="not open"):
        services.request_meeting(event, a, values(b, slots[0]), liaison_a)


def test_no_clash_with_own_meetings_or_chosen_sessions(app_ctx):
    event, _org, sides, slots, _tables = forum(units=3)
    (_ua, a, head_a, liaison_a), (_ub, b, _hb, liaison_b), (_uc, c, _hc, liaison_c) = sides
    first = services.request_meeting(event, a, values(b, slots[0]), liaison_a)
    services.accept(first, b, liaison_b)
    second = services.request_meeting(event, c, values(a, slots[0]), liaison_c)
    with pytest.raises(DomainError, match="already has a meeting"):
        services.accept(second, a, liaison_a)
    db.session.rollback()
    session = factories.make_session(event, starts_at=slots[1].starts_at, delegates_choose=True)
    head_a.sessions.append(session)
    db.session.flush()
    second = db.session.merge(second)
    with pytest.raises(DomainError, match="attends a session"):
        services.propose(second, a, slots[1].id, liaison_a)


def test_no_table_left(app_ctx):
    event, _org, sides, slots, _tables = forum(tables=1, units=4)
    (_ua, a, _ha, la), (_ub, b, _hb, lb), (_uc, c, _hc, lc), (_ud, d, _hd, ld) = sides
    services.accept(services.request_meeting(event, a, values(b, slots[0]), la), b, lb)
    meeting = services.request_meeting(event, c, values(d, slots[0]), lc)
    with pytest.raises(DomainError, match="No table"):
        services.accept(meeting, d, ld)


def test_feed_and_ranking(app_ctx, client, monkeypatch):
    from eventsite.calendar.feeds import feed_token

    event, _org, sides, slots, _tables = forum(units=3)
    (ua, a, head_a, la), (ub, b, _hb, lb), (uc, c, _hc, _lc) = sides
    monkeypatch.setattr(queries, "_topics", lambda ids: {
        ua.id: ({"energy"}, {"water"}), uc.id: ({"water"}, {"energy", "x"}), ub.id: (set(), {"y"})})
    ranked = queries.participants(event.id, a, "en")
    assert [p.delegation.id for p in ranked] == [c.id, b.id] and ranked[0].score == 2
    meeting = services.request_meeting(event, a, values(b, slots[0]), la)
    services.accept(meeting, b, lb)
    body = client.get(f"/calendar/delegates/{head_a.id}/{feed_token('delegate', head_a.id, 0)}.ics").data
    calendar = icalendar.Calendar.from_ical(body)
    assert meeting.uid in [str(v["UID"]) for v in calendar.walk("VEVENT")]


def test_demo_has_meetings(app, runner):
    from eventsite.meetings.models import Meeting

    assert runner.invoke(args=["demo", "load", "--password", "demo-pass-123"]).exit_code == 0
    with app.app_context():
        statuses = db.session.scalars(db.select(Meeting.status)).all()
        assert "accepted" in statuses and "requested" in statuses


def test_unit_feed_carries_the_meeting_and_its_cancellation(app_ctx, client):
    from eventsite.calendar.feeds import feed_token

    event, _org, sides, slots, _tables = forum()
    (ua, a, _ha, la), (_ub, b, _hb, lb) = sides
    meeting = services.request_meeting(event, a, values(b, slots[0]), la)
    url = f"/calendar/units/{ua.id}/{feed_token('unit', ua.id, 0)}.ics"
    assert meeting.uid.encode() not in client.get(url).data  # not accepted yet
    services.accept(meeting, b, lb)
    calendar = icalendar.Calendar.from_ical(client.get(url).data)
    found = {str(v["UID"]): v for v in calendar.walk("VEVENT")}
    assert str(found[meeting.uid]["STATUS"]) == "CONFIRMED"
    services.cancel(meeting, a, la)
    calendar = icalendar.Calendar.from_ical(client.get(url).data)
    found = {str(v["UID"]): v for v in calendar.walk("VEVENT")}
    assert str(found[meeting.uid]["STATUS"]) == "CANCELLED" and found[meeting.uid]["SEQUENCE"] == 1


def test_calendar_messages_read_by_vobject_too(app_ctx, outbox):
    import vobject

    event, _org, sides, slots, _tables = forum()
    (_ua, a, _ha, la), (_ub, b, _hb, lb) = sides
    meeting = services.request_meeting(event, a, values(b, slots[0]), la)
    services.accept(meeting, b, lb)
    services.cancel(meeting, a, la)
    methods = []
    for message in outbox(kind="meeting_calendar"):
        parsed = vobject.readOne(message.calendar_ics.decode())
        assert parsed.vevent.uid.value == meeting.uid
        assert parsed.vevent.attendee.value.lower() == f"mailto:{message.to_addr}".lower()
        methods.append(parsed.method.value)
    assert methods == ["REQUEST"] * 4 + ["CANCEL"] * 4


def test_a_withdrawn_delegation_cancels_its_meetings(app_ctx, outbox):
    from eventsite.delegations.services import withdraw

    event, _org, sides, slots, _tables = forum()
    (_ua, a, _ha, la), (_ub, b, head_b, lb) = sides
    meeting = services.request_meeting(event, a, values(b, slots[0]), la)
    services.accept(meeting, b, lb)
    withdraw(a, actor=la)
    assert meeting.status == "cancelled" and meeting.slot_id is None
    cancels = [m for m in outbox(kind="meeting_calendar") if m.calendar_method == "CANCEL"]
    assert [m.to_addr for m in cancels] == [p.email for p in queries.people(b.id)]
