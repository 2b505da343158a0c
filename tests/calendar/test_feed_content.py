"""Feeds follow their content and their owners: the ETag is the file's own hash (so an agenda
session moved, or anything else that changes a byte, changes it), a session's SEQUENCE rises
when its time, room or title changes, personal feeds speak their owner's language, the public
feed says what it varies on, and ORGANIZER's name is in the file's language."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from eventsite.calendar import builder
from eventsite.calendar.links import delegate_feed_url, unit_feed_url
from eventsite.events.models import AgendaSession, Event
from eventsite.events.services import agenda
from eventsite.extensions import db

from .. import factories
from .helpers import read_both, with_icalendar


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def forum(app):
    """A published event with one session and a confirmed Chinese-speaking delegate of a unit
    whose liaison reads Chinese; ids and the two personal feed paths."""
    with app.app_context():
        event = factories.make_event(title_en="Open Forum", title_zh="开放论坛")
        session = factories.make_session(event, title_en="Plenary", title_zh="全体会议")
        unit = factories.make_unit(name_zh="成都市", name_en="Chengdu")
        factories.make_user("liaison", unit=unit, locale="zh")
        factories.make_invitation(event, unit)
        _delegation, delegate = factories.make_delegation(event, unit)
        delegate.language = "zh"
        db.session.commit()
        return {"event": event.id, "session": session.id, "uid": event.uid,
                "delegate_feed": _path(delegate_feed_url(delegate)),
                "unit_feed": _path(unit_feed_url(unit))}


def _session_entry(data: bytes, session_id: int):
    _cal, seen = with_icalendar(data)
    return next(s for s in seen if s.uid.startswith(f"session-{session_id}-"))


@pytest.mark.both_dbs
def test_moving_a_session_changes_the_delegate_feed_and_its_sequence(app, client, forum):
    url = forum["delegate_feed"]
    first = client.get(url)
    tag = first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    before = _session_entry(first.data, forum["session"])
    with app.app_context():
        session = db.session.get(AgendaSession, forum["session"])
        agenda.update_session(session, {"starts_at": session.starts_at + timedelta(hours=1),
                                        "ends_at": session.ends_at + timedelta(hours=1)})
        assert session.sequence == 1 and db.session.get(Event, forum["event"]).sequence == 0
    moved = client.get(url, headers={"If-None-Match": tag})
    assert moved.status_code == 200 and moved.headers["ETag"] != tag
    after = _session_entry(moved.data, forum["session"])
    assert after.start == before.start + timedelta(hours=1)
    assert after.sequence == before.sequence + 1
    # A change no calendar shows of the session leaves its SEQUENCE alone.
    with app.app_context():
        agenda.update_session(db.session.get(AgendaSession, forum["session"]), {"speakers": "Li"})
    again = client.get(url)
    assert _session_entry(again.data, forum["session"]).sequence == after.sequence
    assert again.headers["ETag"] != moved.headers["ETag"]  # the description did change


@pytest.mark.parametrize("path", ["delegate_feed", "unit_feed", "public"])
def test_every_feed_tag_is_the_hash_of_its_content(app, client, forum, path):
    url = "/calendar/alliance.ics" if path == "public" else forum[path]
    response = client.get(url)
    assert response.headers["ETag"] == f'W/"{builder.content_tag(response.data)}"'
    with app.app_context():  # a change the event rows do not show: a session renamed
        db.session.get(AgendaSession, forum["session"]).room_en = "Hall B"
        db.session.commit()
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    if again.status_code == 304:
        assert path != "delegate_feed"  # only the delegate feed shows sessions
    else:
        assert again.headers["ETag"] == f'W/"{builder.content_tag(again.data)}"'


def test_personal_feeds_speak_their_owners_language(app, client, forum):
    for path in ("delegate_feed", "unit_feed"):
        response = client.get(forum[path], headers={"Accept-Language": "en"})
        (seen, *_rest) = read_both(response.data)
        assert seen.summary == "开放论坛", path
        cal, _seen = with_icalendar(response.data)
        assert cal.walk("VEVENT")[0]["ORGANIZER"].params["CN"] == "联盟秘书处"
        assert "Accept-Language" not in response.headers.get("Vary", "")
        english = read_both(client.get(forum[path] + "?lang=en").data)[0]
        assert english.summary == "Open Forum"  # the address may still name a language
    assert "成都市".encode() in client.get(forum["unit_feed"]).data  # the calendar's name too


def test_a_unit_without_accounts_reads_its_contacts_language(app, client):
    with app.app_context():
        event = factories.make_event(title_en="Open Forum", title_zh="开放论坛")
        unit = factories.make_unit()
        factories.make_contact(unit, language="en", email="en@example.org")
        factories.make_invitation(event, unit)
        db.session.commit()
        url = _path(unit_feed_url(unit))
    assert read_both(client.get(url).data)[0].summary == "Open Forum"


def test_public_feed_says_it_varies_by_language(app_factory):
    app = app_factory(PAGE_CACHE_SECONDS=0)  # as served when no page is kept
    with app.app_context():
        factories.make_event(title_en="Open Forum", title_zh="开放论坛")
        db.session.commit()
    client = app.test_client()
    zh = client.get("/calendar/alliance.ics", headers={"Accept-Language": "zh-CN"})
    en = client.get("/calendar/alliance.ics", headers={"Accept-Language": "en"})
    assert read_both(zh.data)[0].summary == "开放论坛" and read_both(en.data)[0].summary == "Open Forum"
    for response in (zh, en):
        assert {"Accept-Language", "Cookie"} <= set(response.vary)
    assert zh.headers["ETag"] != en.headers["ETag"]


def test_kept_public_feed_keeps_the_languages_apart(client, forum):
    """Each language gets its own file and validator (kept: tests/core/test_pagecache.py)."""
    for _round in range(2):
        zh = client.get("/calendar/alliance.ics", headers={"Accept-Language": "zh-CN"})
        en = client.get("/calendar/alliance.ics", headers={"Accept-Language": "en"})
        assert read_both(zh.data)[0].summary == "开放论坛"
        assert read_both(en.data)[0].summary == "Open Forum"
        assert "Accept-Language" in zh.vary and zh.headers["ETag"] != en.headers["ETag"]
    stale = client.get("/calendar/alliance.ics", headers={"Accept-Language": "en",
                                                          "If-None-Match": zh.headers["ETag"]})
    assert stale.status_code == 200


def test_organizer_name_follows_the_file_language(app):
    with app.app_context():
        event = factories.make_event()
        for language, name in (("en", "Alliance Secretariat"), ("zh", "联盟秘书处")):
            cal, _seen = with_icalendar(builder.event_ics(event, language=language))
            assert cal.walk("VEVENT")[0]["ORGANIZER"].params["CN"] == name
            feed, _seen = with_icalendar(builder.feed_ics([event], name="x", language=language))
            assert feed.walk("VEVENT")[0]["ORGANIZER"].params["CN"] == name
