"""Feeds: the alliance's public feed and the secret, revocable unit and delegate feeds; the
calendar links on pages (webcal, Google, Outlook)."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from eventsite.audit.models import AuditEntry
from eventsite.calendar import feeds
from eventsite.calendar.links import delegate_feed_url, unit_feed_url
from eventsite.delegations.models import Delegate
from eventsite.extensions import db, now_utc
from eventsite.members.audience import Audience

from .. import factories
from ..conftest import csrf_token
from .helpers import read_both


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def events(app):
    """Events made in their own app context: requests must not share the test's session."""
    with app.app_context():
        published = factories.make_event(title_en="Open Forum", title_zh="开放论坛")
        cancelled = factories.make_event(title_en="Called Off", status="cancelled")
        draft = factories.make_event(title_en="Secret Draft", status="draft")
        old = factories.make_event(title_en="Long Ago", starts_at=now_utc() - timedelta(days=800),
                                   ends_at=now_utc() - timedelta(days=799))
        db.session.commit()
        made = (published, cancelled, draft, old)
        for event in made:
            db.session.refresh(event)
        db.session.expunge_all()
    return made


@pytest.mark.both_dbs
def test_public_feed_lists_published_and_cancelled_events_only(client, events):
    published, cancelled, _draft, _old = events
    response = client.get("/calendar/alliance.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    seen = {e.uid: e for e in read_both(response.data)}
    assert set(seen) == {published.uid, cancelled.uid}
    assert seen[cancelled.uid].status == "CANCELLED"
    assert b"METHOD:PUBLISH" in response.data and b"ATTENDEE" not in response.data
    chinese = read_both(client.get("/calendar/alliance.ics?lang=zh").data)
    assert "开放论坛" in {e.summary for e in chinese}


def test_public_feed_answers_conditional_requests(app, client, events):
    first = client.get("/calendar/alliance.ics")
    tag = first.headers["ETag"]
    again = client.get("/calendar/alliance.ics", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    with app.app_context():
        event = db.session.get(type(events[0]), events[0].id)
        event.venue_name_en = "New venue"
        event.sequence += 1
        db.session.commit()
    changed = client.get("/calendar/alliance.ics", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    other_language = client.get("/calendar/alliance.ics?lang=zh", headers={"If-None-Match": tag})
    assert other_language.status_code == 200


@pytest.mark.both_dbs
def test_unit_feed_is_secret_and_rotates(app, client, login, events):
    published, cancelled, draft, _old = events
    with app.app_context():
        unit, other = factories.make_unit(), factories.make_unit()
        factories.make_invitation(db.session.get(type(published), published.id), unit)
        factories.make_delegation(db.session.get(type(cancelled), cancelled.id), unit)
        factories.make_invitation(db.session.get(type(draft), draft.id), unit)
        factories.make_invitation(db.session.get(type(published), published.id), other,
                                  state="declined")
        liaison = factories.make_user("liaison", unit=unit)
        db.session.commit()
        url = _path(unit_feed_url(unit))
        other_url = _path(unit_feed_url(other))
        unit_id, other_id, liaison_id = unit.id, other.id, liaison.id
    response = client.get(url)
    assert response.status_code == 200 and "private" in response.headers["Cache-Control"]
    assert {e.uid for e in read_both(response.data)} == {published.uid, cancelled.uid}
    assert read_both(client.get(other_url).data) == []  # declined: nothing to show
    token = url.rsplit("/", 1)[1]
    assert client.get(f"/calendar/units/{other_id}/{token}").status_code == 404
    assert client.get(url.replace(token[:5], "AAAAA")).status_code == 404
    assert client.get(f"/calendar/units/{unit_id}/short.ics").status_code == 404

    with app.app_context():
        login(client, db.session.get(factories.User, liaison_id))
    page = client.get(f"/directory/{unit_id}").get_data(as_text=True)
    assert url in page and "webcal://" in page
    done = client.post("/my/unit/calendar/new-address",
                       data={"csrf_token": csrf_token(client, "/account")})
    assert done.status_code == 302
    assert client.get(url).status_code == 404  # the old address is dead
    with app.app_context():
        unit = db.session.get(factories.MemberUnit, unit_id)
        assert client.get(_path(unit_feed_url(unit))).status_code == 200
        assert db.session.scalar(sa.select(AuditEntry.action).where(
            AuditEntry.action == "calendar.rotate_feed")) == "calendar.rotate_feed"


def test_only_a_liaison_renews_their_unit_feed(app, organizer_client, client):
    token = csrf_token(organizer_client, "/account")
    assert organizer_client.post("/my/unit/calendar/new-address",
                                 data={"csrf_token": token}).status_code == 403
    assert client.post("/my/unit/calendar/new-address").status_code in (302, 400)


def test_staff_do_not_see_a_units_feed_address(app, organizer_client):
    with app.app_context():
        unit = factories.make_unit()
        db.session.commit()
        url, unit_id = _path(unit_feed_url(unit)), unit.id
    page = organizer_client.get(f"/directory/{unit_id}").get_data(as_text=True)
    assert url not in page


@pytest.mark.both_dbs
def test_delegate_feed_shows_their_event_and_chosen_sessions(app, client, events):
    published = events[0]
    with app.app_context():
        event = db.session.get(type(published), published.id)
        plenary = factories.make_session(event, title_en="Plenary")
        chosen = factories.make_session(event, title_en="Track A", delegates_choose=True)
        skipped = factories.make_session(event, title_en="Track B", delegates_choose=True)
        _delegation, delegate = factories.make_delegation(event, factories.make_unit())
        delegate.sessions = [chosen]
        db.session.commit()
        url = _path(delegate_feed_url(delegate))
        uids = {event.uid, f"session-{plenary.id}-{event.uid}", f"session-{chosen.id}-{event.uid}"}
        skipped_uid = f"session-{skipped.id}-{event.uid}"
        delegate_id = delegate.id
    seen = {e.uid for e in read_both(client.get(url).data)}
    assert seen == uids and skipped_uid not in seen
    tag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    with app.app_context():
        delegate = db.session.get(Delegate, delegate_id)
        delegate.status = "declined"
        db.session.commit()
    assert read_both(client.get(url, headers={"If-None-Match": tag}).data) == []
    with app.app_context():
        feeds.rotate(db.session.get(Delegate, delegate_id))
        db.session.commit()
    assert client.get(url).status_code == 404


def test_event_page_offers_every_way_into_a_calendar(client, events):
    published = events[0]
    html = client.get(f"/events/{published.id}").get_data(as_text=True)
    assert f"/events/{published.id}/calendar.ics" in html
    google = next(part for part in html.split('"') if part.startswith("https://calendar.google.com"))
    query = parse_qs(urlsplit(google.replace("&amp;", "&")).query)
    start, end = published.starts_at, published.ends_at
    assert query["dates"] == [f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"]
    assert "outlook.live.com" in html and "outlook.office.com" in html
    listing = client.get("/events/").get_data(as_text=True)
    assert "webcal://eventsite.test/calendar/alliance.ics" in listing


def test_delegate_page_offers_their_personal_feed(app, client, events):
    from eventsite.delegations.notifications import issue_link

    with app.app_context():
        event = db.session.get(type(events[0]), events[0].id)
        _delegation, delegate = factories.make_delegation(event, factories.make_unit())
        _raw, page_url = issue_link(delegate)
        db.session.commit()
        feed_url = delegate_feed_url(delegate)
    html = client.get(_path(page_url)).get_data(as_text=True)
    assert feed_url in html and "webcal://" in html


def test_invitation_mails_carry_short_add_to_calendar_links(app, outbox):
    """The long service addresses are built when the short link is clicked (test_add_links.py)."""
    from eventsite.invitations.services import issuing
    from eventsite.mail.services import Content

    with app.app_context():
        event = factories.make_event()
        unit = factories.make_unit()
        factories.make_contact(unit, language="en")
        organizer = factories.make_user("organizer")
        db.session.commit()
        issuing.issue(event, Audience(unit_ids=[unit.id]),
                      Content(subject_en="Invitation: {event}", body_en="{unit}: {link}"), organizer)
        [message] = outbox(kind="invitation")
        for body in (message.body_text, message.body_html):
            for service in ("google", "outlook", "office365"):
                assert f"http://eventsite.test/events/{event.id}/add/{service}?lang=en" in body
            assert "calendar.google.com" not in body and "outlook.live.com" not in body


def test_a_new_personal_link_also_renews_the_delegate_feed(app, client, events):
    from eventsite.delegations.services import selfservice

    with app.app_context():
        event = db.session.get(type(events[0]), events[0].id)
        _delegation, delegate = factories.make_delegation(event, factories.make_unit())
        db.session.commit()
        old = _path(delegate_feed_url(delegate))
        assert client.get(old).status_code == 200
        selfservice.rotate_link(delegate)
        new = _path(delegate_feed_url(delegate))
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
