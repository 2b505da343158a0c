"""The agenda editor, as an organizer builds a two-day, three-track forum in Brussels."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from eventsite.audit.models import AuditEntry
from eventsite.events.models import AgendaSession, Event
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token
from .test_admin_views import BASE, XSS, assert_harmless, event_form, snapshot

UTC = timezone.utc


def session_form(**fields):
    return {"kind": "plenary", "track": "", "title_en": "Opening plenary", "title_zh": "开幕全体会议",
            "starts_at": "2027-03-25T09:00", "ends_at": "2027-03-25T10:30", "room_en": "Grand Hall",
            "speakers": "", "description_en": "", "description_zh": "", "capacity": "", **fields}


@pytest.fixture
def forum(app, organizer_client):
    token = csrf_token(organizer_client, f"{BASE}/new")
    response = organizer_client.post(f"{BASE}/new", data=event_form(csrf_token=token))
    return int(response.headers["Location"].split("/")[-1]), token


def sessions(app, event_id):
    with app.app_context():
        event = db.session.get(Event, event_id)
        return [(s.title_en, s.track, s.starts_at, s.position) for s in event.sessions]


def session_ids(app, event_id):
    with app.app_context():
        return [s.id for s in db.session.get(Event, event_id).sessions]


@pytest.mark.both_dbs
def test_build_a_two_day_three_track_forum(app, organizer_client, forum):
    event_id, token = forum
    agenda = f"{BASE}/{event_id}/agenda"
    post = lambda **f: organizer_client.post(agenda, data=session_form(csrf_token=token, **f))  # noqa: E731
    assert post().status_code == 302
    # The add form now starts where the last session ends.
    html = organizer_client.get(agenda).get_data(as_text=True)
    assert re.search(r'id="starts_at"[^>]*value="2027-03-25T10:30"', html)
    assert re.search(r'id="ends_at"[^>]*value="2027-03-25T11:30"', html)
    post(kind="parallel", track="A", title_en="Track A: smart cities", title_zh="",
         starts_at="2027-03-25T11:00", ends_at="2027-03-25T12:30", room_en="Room A", delegates_choose="y",
         capacity="60")
    track_a = session_ids(app, event_id)[-1]
    for _ in range(2):  # tracks B and C from track A
        organizer_client.post(f"{BASE}/{event_id}/sessions/{track_a}/duplicate", data={"csrf_token": token})
    _, b, c = session_ids(app, event_id)[1:]
    for sid, letter in ((b, "B"), (c, "C")):
        response = organizer_client.post(f"{BASE}/{event_id}/sessions/{sid}/edit", data=session_form(
            csrf_token=token, kind="parallel", track=letter, title_en=f"Track {letter}", title_zh="",
            starts_at="2027-03-25T11:00", ends_at="2027-03-25T12:30", room_en=f"Room {letter}",
            delegates_choose="y"))
        assert response.status_code == 302
    post(kind="site_visit", title_en="Visit to the port of Antwerp", starts_at="2027-03-26T09:00",
         ends_at="2027-03-26T13:00", room_en="Antwerp")
    assert [s[:2] for s in sessions(app, event_id)] == [
        ("Opening plenary", ""), ("Track A: smart cities", "A"), ("Track B", "B"), ("Track C", "C"),
        ("Visit to the port of Antwerp", "")]
    # Reorder: C before B.
    organizer_client.post(f"{BASE}/{event_id}/sessions/{c}/move", data={"csrf_token": token, "direction": "up"})
    assert [s[1] for s in sessions(app, event_id)][1:4] == ["A", "C", "B"]
    # The page groups sessions by Brussels day, with local times.
    html = organizer_client.get(agenda).get_data(as_text=True)
    assert "2027-03-25" in html and "2027-03-26" in html and "CET (UTC+1)" in html
    assert html.index("Track C") < html.index("Track B") < html.index("Antwerp")
    # Publish; agenda changes never raise the sequence.
    organizer_client.post(f"{BASE}/{event_id}/publish", data={"csrf_token": token})
    organizer_client.post(f"{BASE}/{event_id}/sessions/{b}/delete", data={"csrf_token": token})
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event.sequence == 1 and len(event.sessions) == 4
        assert event.sessions[0].starts_at == datetime(2027, 3, 25, 8, tzinfo=UTC)
        actions = [e.action for e in db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["event.create", "event.session_add", "event.session_add", "event.session_duplicate",
                       "event.session_duplicate", "event.session_update", "event.session_update",
                       "event.session_add", "event.session_move", "event.publish", "event.session_delete"]


def test_session_outside_the_event_days_is_saved_with_a_warning(app, organizer_client, forum):
    event_id, token = forum
    page = organizer_client.post(f"{BASE}/{event_id}/agenda", follow_redirects=True, data=session_form(
        csrf_token=token, starts_at="2027-03-27T10:00", ends_at="2027-03-27T11:00")).get_data(as_text=True)
    assert "outside the event&#39;s days" in page or "outside the event's days" in page
    assert len(sessions(app, event_id)) == 1


@pytest.mark.parametrize("fields, message", [
    ({"ends_at": "2027-03-25T08:00"}, "The end must be after the start."),
    ({"title_en": "", "title_zh": ""}, "Give an English or a Chinese title."),
    ({"kind": "banquet"}, "Not a valid choice."),
    ({"capacity": "-2"}, "Number must be between 0 and"),
    ({"starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"}, "does not exist in Europe/Brussels"),
    ({"room_en": "a\nb"}, "Line breaks and control characters are not allowed here."),
    ({"speakers": "x\x00"}, "Control characters are not allowed here."),
    ({"track": "t" * 101}, "Field cannot be longer than 100 characters."),
    ({"starts_at": "2027-13-45T99:00"}, "Not a valid datetime value."),
])
def test_bad_session_input(app, organizer_client, forum, fields, message):
    event_id, token = forum
    before = snapshot(app)
    response = organizer_client.post(f"{BASE}/{event_id}/agenda", data=session_form(csrf_token=token, **fields))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_session_of_another_event_and_bad_direction(app, organizer_client, forum):
    event_id, token = forum
    with app.app_context():
        other = factories.make_event()
        foreign = factories.make_session(other)
        db.session.commit()
        foreign_id = foreign.id
    before = snapshot(app)
    for action in ("edit", "delete", "duplicate", "move"):
        response = organizer_client.post(f"{BASE}/{event_id}/sessions/{foreign_id}/{action}",
                                         data={"csrf_token": token, "direction": "up"})
        assert response.status_code == 404, action
    organizer_client.post(f"{BASE}/{event_id}/agenda", data=session_form(csrf_token=token))
    own = session_ids(app, event_id)[0]
    before = snapshot(app)
    response = organizer_client.post(f"{BASE}/{event_id}/sessions/{own}/move",
                                     data={"csrf_token": token, "direction": "sideways"})
    assert response.status_code == 400 and snapshot(app) == before


@pytest.mark.both_dbs
def test_xss_in_every_session_field_is_neutralized(app, organizer_client, forum):
    event_id, token = forum
    for payload in XSS:
        texts = {f: payload for f in ("track", "title_en", "title_zh", "room_en", "speakers", "description_en",
                                      "description_zh")}
        response = organizer_client.post(f"{BASE}/{event_id}/agenda", data=session_form(csrf_token=token, **texts))
        assert response.status_code == 302
    for sid in session_ids(app, event_id):
        assert_harmless(organizer_client.get(f"{BASE}/{event_id}/sessions/{sid}/edit").get_data(as_text=True), sid)
    assert_harmless(organizer_client.get(f"{BASE}/{event_id}/agenda").get_data(as_text=True), "agenda")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(AgendaSession.id))) == len(XSS)
