"""SQL statements per page do not grow with the data (issue 9): the public feed (and its 304
path) and the liaison's invitations page, at one size and ten times it. The event list, event
page and delegation overview have theirs beside their other tests (grep "statements")."""
from __future__ import annotations

import pytest

from eventsite.extensions import db

from .conftest import count_statements
from .factories import make_delegation, make_event, make_invitation, make_session, make_unit


@pytest.fixture
def app(app_factory):
    """These count the statements of *building* a page: pages kept rendered (which take one,
    tests/core/test_pagecache.py) are turned off."""
    return app_factory(PAGE_CACHE_SECONDS=0)


def _grow(unit_id: int, events: int) -> None:
    """`events` more events, each with an agenda, an invitation to the liaison's unit and a
    delegation from it and from another unit."""
    from eventsite.members.models import MemberUnit

    mine = db.session.get(MemberUnit, unit_id)
    for _ in range(events):
        event = make_event()
        make_session(event)
        invitation, _raw = make_invitation(event, mine, state="accepted")
        make_delegation(event, mine, invitation=invitation, people=2)
        make_delegation(event, make_unit(), people=1)
    db.session.commit()


def _statements(app, client, path: str, headers: dict | None = None) -> int:
    with app.app_context(), count_statements() as seen:
        response = client.get(path, headers=headers or {})
    assert response.status_code in (200, 304), response.status_code
    return len(seen)


@pytest.mark.both_dbs
def test_public_feed_statements_do_not_grow(app, client):
    with app.app_context():
        unit_id = make_unit().id
        db.session.commit()
    counts = []
    for events in (3, 27):  # 3, then 30 in all
        with app.app_context():
            _grow(unit_id, events)
        full = _statements(app, client, "/calendar/alliance.ics")
        tag = client.get("/calendar/alliance.ics").headers["ETag"]
        cached = _statements(app, client, "/calendar/alliance.ics", {"If-None-Match": tag})
        counts.append((full, cached))
    assert counts[0] == counts[1], counts


@pytest.mark.both_dbs
def test_liaison_page_statements_do_not_grow(app, liaison_client):
    from eventsite.accounts.models import User

    with app.app_context():
        unit_id = db.session.get(User, liaison_client.user_id).unit_id
    counts = []
    for events in (2, 18):  # 2, then 20 invitations on the page
        with app.app_context():
            _grow(unit_id, events)
        counts.append(_statements(app, liaison_client, "/my/invitations"))
    assert counts[0] == counts[1], counts


@pytest.mark.both_dbs
def test_cached_feed_follows_an_edited_event(app, client):
    """The feed body is kept per validator: an edit changes the validator, so the next
    request shows the edit, never the kept copy."""
    from eventsite.events.models import Event

    with app.app_context():
        event_id = make_event(title_en="Before").id
        db.session.commit()
    assert b"Before" in client.get("/calendar/alliance.ics").data
    assert b"Before" in client.get("/calendar/alliance.ics").data  # served from the cache
    with app.app_context():
        db.session.get(Event, event_id).title_en = "After"
        db.session.commit()
    body = client.get("/calendar/alliance.ics").data
    assert b"After" in body and b"Before" not in body
