"""The public download /events/<id>/calendar.ics: who gets it, headers, conditional GET, the
sessions variant, the reader's language, hostile query strings, and the link on the event page."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from bs4 import BeautifulSoup

from eventsite.events.models import Event
from eventsite.extensions import db

from .. import factories
from .helpers import read_both

UTC = timezone.utc


def url(event_id, **query) -> str:
    tail = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/events/{event_id}/calendar.ics" + (f"?{tail}" if tail else "")


@pytest.fixture
def forum(app):
    """A published forum in Brussels across the spring change, with two sessions."""
    with app.app_context():
        event = factories.make_event(
            title_en="Urbanization forum", title_zh="城镇化论坛", timezone="Europe/Brussels",
            country="BE", city_en="Brussels", starts_at=datetime(2026, 3, 28, 9, tzinfo=UTC),
            ends_at=datetime(2026, 3, 30, 10, tzinfo=UTC),
        )
        for hour in (9, 11):
            factories.make_session(event, starts_at=datetime(2026, 3, 28, hour, tzinfo=UTC))
        db.session.commit()
        return event.id, event.uid


@pytest.mark.both_dbs
def test_download(client, forum):
    event_id, uid = forum
    response = client.get(url(event_id))
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="event-{event_id}.ics"'
    assert response.headers["ETag"].startswith('W/"')
    assert "max-age=300" in response.headers["Cache-Control"]
    assert "Accept-Language" in response.headers["Vary"]
    (seen,) = read_both(response.data)
    assert (seen.uid, seen.summary) == (uid, "Urbanization forum")
    assert (seen.start, seen.end) == (datetime(2026, 3, 28, 9, tzinfo=UTC), datetime(2026, 3, 30, 10, tzinfo=UTC))
    assert b"METHOD:PUBLISH" in response.data and b"ATTENDEE" not in response.data


@pytest.mark.both_dbs
def test_sessions_variant(client, forum):
    event_id, uid = forum
    response = client.get(url(event_id, sessions=1))
    assert response.status_code == 200
    assert f'filename="event-{event_id}-agenda.ics"' in response.headers["Content-Disposition"]
    seen = read_both(response.data)
    assert seen[0].uid == uid
    assert [s.start.hour for s in seen[1:]] == [9, 11]
    assert all(s.uid.startswith("session-") and s.uid.endswith(uid) for s in seen[1:])
    assert response.headers["ETag"] != client.get(url(event_id)).headers["ETag"]


def test_conditional_get(client, forum):
    event_id, _uid = forum
    first = client.get(url(event_id))
    etag = first.headers["ETag"]
    again = client.get(url(event_id), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(url(event_id), headers={"If-None-Match": 'W/"other"'}).status_code == 200
    head = client.head(url(event_id))
    assert head.status_code == 200 and head.headers["ETag"] == etag


def test_a_change_that_matters_changes_the_etag(app, client, forum):
    event_id, _uid = forum
    etag = client.get(url(event_id)).headers["ETag"]
    with app.app_context():
        event = db.session.get(Event, event_id)
        event.venue_name_en = "Egmont Palace"
        event.sequence += 1
        db.session.commit()
    response = client.get(url(event_id), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert b"SEQUENCE:1" in response.data and b"Egmont Palace" in response.data


@pytest.mark.both_dbs
def test_drafts_unknown_and_huge_ids_are_not_found(app, client):
    with app.app_context():
        draft = factories.make_event(status="draft").id
        db.session.commit()
    for path in (url(draft), url(draft + 1000), url(2**31), url(2**70), "/events/-1/calendar.ics",
                 "/events/abc/calendar.ics"):
        assert client.get(path).status_code == 404, path


def test_cancelled_event_is_served_as_cancelled(app, client):
    with app.app_context():
        event = factories.make_event(status="cancelled", cancel_reason_en="Typhoon", sequence=2)
        db.session.commit()
        event_id = event.id
    response = client.get(url(event_id))
    assert response.status_code == 200
    (seen,) = read_both(response.data)
    assert seen.status == "CANCELLED" and seen.sequence == 2 and "Typhoon" in seen.description


def test_language_follows_the_reader(client, forum):
    event_id, _uid = forum
    (zh,) = read_both(client.get(url(event_id), headers={"Accept-Language": "zh-CN,zh;q=0.9"}).data)
    (en,) = read_both(client.get(url(event_id), headers={"Accept-Language": "en"}).data)
    assert (zh.summary, en.summary) == ("城镇化论坛", "Urbanization forum")
    assert "比利时" in zh.location and "Belgium" in en.location


def test_hostile_query_values_never_fail(client, forum):
    event_id, _uid = forum
    for value in ("%00", "1%00"):  # NUL in a query string: refused app-wide (core/security.py)
        assert client.get(f"/events/{event_id}/calendar.ics?sessions={value}").status_code == 400
    for value in ("x" * 5000, "%FF%FE", "0&sessions=1", "true", "-1", "%0d%0aX:1", "1" * 20):
        response = client.get(f"/events/{event_id}/calendar.ics?sessions={value}")
        assert response.status_code == 200, value
        assert len(read_both(response.data)) == 1  # only "1" (the first value) asks for sessions
    response = client.get(url(event_id), headers={"If-None-Match": '"\x7f", W/' + "x" * 3000})
    assert response.status_code == 200


def test_event_page_links_to_the_downloads(app, client, forum):
    event_id, _uid = forum
    with app.app_context():
        lone = factories.make_event(title_en="No agenda").id
        db.session.commit()
    soup = BeautifulSoup(client.get(f"/events/{event_id}").get_data(as_text=True), "html.parser")
    links = [a["href"] for a in soup.select(".event-calendar-links a") if a["href"].startswith("/")]
    assert links == [f"/events/{event_id}/calendar.ics", f"/events/{event_id}/calendar.ics?sessions=1"]
    soup = BeautifulSoup(client.get(f"/events/{lone}").get_data(as_text=True), "html.parser")
    assert [a["href"] for a in soup.select(".event-calendar-links a")
            if a["href"].startswith("/")] == [f"/events/{lone}/calendar.ics"]
