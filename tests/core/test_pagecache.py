"""Pages kept rendered (eventsite/core/pagecache.py): a kept page costs one statement (the versions
of what it shows); each write a kept page shows is on the next read, in another process too; a
write elsewhere leaves the page kept; never shared between readers, never kept for what must not
be."""
from __future__ import annotations

import contextlib
import functools
import os
import uuid

import cachelib.simple
import pytest
import sqlalchemy as sa

from eventsite.core import pagecache
from eventsite.delegations.services import save_delegation
from eventsite.events import services
from eventsite.events.models import AgendaSession, Event
from eventsite.events.services import agenda
from eventsite.extensions import cache, db
from eventsite.invitations.services import answers
from eventsite.members.models import MemberUnit
from eventsite.members.services import update_unit

from ..conftest import count_statements, csrf_token
from ..delegations.helpers import rows
from ..factories import make_delegation, make_event, make_invitation, make_session, make_unit, make_user


@pytest.fixture
def app_factory(app_factory):
    """Pages kept as in production (the test configuration turns keeping off)."""
    return functools.partial(app_factory, PAGE_CACHE_SECONDS=30)


def _event(app, **fields) -> int:
    with app.app_context():
        event_id = make_event(**fields).id
        db.session.commit()
    return event_id


def _get(app, client, path: str, **kwargs):
    """(response, SQL statements it took, on the app's engine and the versions' own)."""
    with app.app_context(), contextlib.ExitStack() as stack:
        seen = [stack.enter_context(count_statements(engine))
                for engine in {db.engine, pagecache.versions_engine()}]
        response = client.get(path, **kwargs)
    return response, sum(map(len, seen))


def _in(app, write, *args, **kwargs):
    """Run a service in `app` (another app object on the same database: another process)."""
    def load(value):
        return db.session.get(*value) if isinstance(value, tuple) else value

    with app.app_context():
        return write(*map(load, args), **{name: load(value) for name, value in kwargs.items()})


PUBLIC = ("/events/", "/events/archive", "/", "/alliance/members", "/calendar/alliance.ics")


@pytest.mark.both_dbs
def test_a_kept_page_takes_one_statement_and_is_the_same_page(app, client):
    event_id = _event(app, title_en="Kept Forum")
    for path in (*PUBLIC, f"/events/{event_id}", f"/events/{event_id}/calendar.ics"):
        first, built = _get(app, client, path)
        second, kept = _get(app, client, path)
        assert first.status_code == second.status_code == 200, path
        assert built > 1 and kept == 1, (path, built, kept)  # the versions, nothing else
        assert second.get_data() == first.get_data()
        for name in ("Content-Type", "Content-Disposition", "X-Robots-Tag", "Cache-Control", "ETag"):
            assert second.headers.get(name) == first.headers.get(name), (path, name)
        assert "Accept-Language" in second.headers["Vary"]
        assert second.headers["Content-Security-Policy"]  # the response hooks still run


@pytest.mark.both_dbs
def test_event_writes_show_at_once_in_another_process(app, app_factory, client):
    event_id = _event(app, title_en="Before")
    draft_id = _event(app, title_en="Draft Forum", status="draft")
    other = app_factory(create_tables=False)
    paths = (f"/events/{event_id}", "/events/", "/", "/calendar/alliance.ics",
             f"/events/{event_id}/calendar.ics")
    for path in paths:
        assert b"Before" in client.get(path).data, path
    _in(other, services.update_event, (Event, event_id), {"title_en": "After the edit"})
    for path in paths:
        response, statements = _get(app, client, path)
        assert b"After the edit" in response.data and b"Before" not in response.data, path
        assert statements > 1

    assert client.get(f"/events/{draft_id}").status_code == 404
    _in(other, services.publish, (Event, draft_id))
    assert b"Draft Forum" in client.get("/events/").data
    assert client.get(f"/events/{draft_id}").status_code == 200

    _in(other, services.cancel, (Event, event_id), "Flooded venue", "")
    assert b"Flooded venue" in client.get(f"/events/{event_id}").data
    assert b"STATUS:CANCELLED" in client.get(f"/events/{event_id}/calendar.ics").data


@pytest.mark.both_dbs
def test_an_agenda_edit_shows_at_once_in_another_process(app, app_factory, client):
    with app.app_context():
        event = make_event()
        session_id, event_id = make_session(event, title_en="Opening plenary").id, event.id
        db.session.commit()
    other = app_factory(create_tables=False)
    assert b"Opening plenary" in client.get(f"/events/{event_id}").data
    _in(other, agenda.update_session, (AgendaSession, session_id), {"title_en": "Renamed plenary"})
    assert b"Renamed plenary" in client.get(f"/events/{event_id}").data


@pytest.mark.both_dbs
def test_a_delegation_shows_in_the_overview_and_leaves_other_events_kept(
        app, app_factory, client, organizer_client):
    kept_id, busy_id = _event(app, title_en="Quiet Forum"), _event(app, title_en="Busy Forum")
    with app.app_context():
        unit_id = make_unit(name_en="Newly Registered City").id
        db.session.commit()
    other = app_factory(create_tables=False)
    csrf_token(organizer_client, "/account")  # the session has its token before the page is kept
    overview = f"/organizer/events/{busy_id}/delegations"
    organizer_client.get(overview)
    assert _get(app, organizer_client, overview)[1] == 2  # the account, the versions
    paths = (f"/events/{kept_id}", f"/events/{busy_id}", "/events/", f"/events/{kept_id}/calendar.ics")
    for path in paths:
        client.get(path)
    _in(other, save_delegation, (Event, busy_id), (MemberUnit, unit_id), rows(2), as_organizer=True)
    assert b"Newly Registered City" in organizer_client.get(overview).data
    for path in paths:  # the public pages show no delegation: still kept, even the busy event's
        assert _get(app, client, path)[1] == 1, path


@pytest.mark.both_dbs
def test_an_invitation_answer_shows_on_the_liaison_page_in_another_process(app, app_factory, login):
    with app.app_context():
        event, unit = make_event(), make_unit()
        liaison = make_user(role="liaison", unit=unit)
        invitation_id = make_invitation(event, unit)[0].id
        db.session.commit()
        client = login(app.test_client(), liaison)
        liaison_id = liaison.id
    other = app_factory(create_tables=False)
    csrf_token(client, "/account")
    client.get("/my/invitations")
    assert _get(app, client, "/my/invitations")[1] == 2  # the account, the versions
    from eventsite.accounts.models import User
    from eventsite.invitations.models import Invitation

    _in(other, answers.decline, (Invitation, invitation_id), "Another engagement", user=(User, liaison_id))
    assert b"Another engagement" in client.get("/my/invitations").data


@pytest.mark.both_dbs
def test_a_member_unit_edit_shows_at_once_in_another_process(app, app_factory, client):
    with app.app_context():
        unit_id = make_unit(name_en="Old Name City").id
        db.session.commit()
    other = app_factory(create_tables=False)
    assert b"Old Name City" in client.get("/alliance/members").data
    _in(other, update_unit, (MemberUnit, unit_id), {"name_en": "New Name City"})
    page = client.get("/alliance/members").data
    assert b"New Name City" in page and b"Old Name City" not in page


def test_readers_languages_and_zones_get_their_own_pages(app, client):
    event_id = _event(app, title_en="Forum in English", title_zh="中文论坛")
    path = f"/events/{event_id}"
    english = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    chinese = client.get(path, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Forum in English" in english and "中文论坛" in chinese
    assert "中文论坛" in client.get(path, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    with client.session_transaction() as session:
        session["viewer_tz"] = "America/New_York"
    chosen = 'data-current="America/New_York"'
    assert chosen in client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    other = client.application.test_client()
    assert chosen not in other.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
    for _round in range(2):  # the feed: a kept file and validator per language
        zh = client.get("/calendar/alliance.ics", headers={"Accept-Language": "zh-CN"})
        en = client.get("/calendar/alliance.ics", headers={"Accept-Language": "en"})
        assert "中文论坛".encode() in zh.data and b"Forum in English" in en.data
        assert zh.headers["ETag"] != en.headers["ETag"]


def test_a_page_with_a_message_to_show_is_not_kept_and_shows_it(app, client):
    client.get("/events/")
    response = client.post("/language", data={"lang": "zh", "next": "/events/"})  # no token: anonymous
    assert response.status_code == 302
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "A message for this reader only")]
    assert b"A message for this reader only" in client.get("/events/").data
    assert b"A message for this reader only" not in client.get("/events/").data


def test_conditional_requests_are_answered_from_the_kept_page(app, client):
    event_id = _event(app)
    for path in ("/events/", "/calendar/alliance.ics", f"/events/{event_id}/calendar.ics"):
        first = client.get(path)
        response, statements = _get(app, client, path, headers={"If-None-Match": first.headers["ETag"]})
        assert response.status_code == 304 and statements == 1 and not response.data, path
        assert response.headers["ETag"] == first.headers["ETag"]
    assert client.get("/calendar/alliance.ics").headers["ETag"].startswith("W/")  # the feed's own


def test_a_first_conditional_request_still_gets_its_304(app, app_factory, client):
    """A calendar app's poll arrives with the ETag of an earlier build (another process)."""
    _event(app)
    etag = app_factory(create_tables=False).test_client().get("/calendar/alliance.ics").headers["ETag"]
    assert client.get("/calendar/alliance.ics", headers={"If-None-Match": etag}).status_code == 304
    assert _get(app, client, "/calendar/alliance.ics")[1] == 1  # and the full file was kept


def test_no_page_is_kept_with_page_cache_seconds_0(app_factory):
    app = app_factory(PAGE_CACHE_SECONDS=0)
    _event(app)
    client = app.test_client()
    client.get("/events/")
    built = _get(app, client, "/events/")[1]
    assert built > 1 and _get(app, client, "/events/")[1] == built
    etag = client.get("/calendar/alliance.ics").headers["ETag"]  # the feed's 304 without the cache
    assert client.get("/calendar/alliance.ics", headers={"If-None-Match": etag}).status_code == 304


def test_kept_pages_expire(app, client, monkeypatch):
    """What no write announces (an event ending) shows after PAGE_CACHE_SECONDS."""
    _event(app)
    now = [1_000_000.0]
    monkeypatch.setattr(cachelib.simple, "time", lambda: now[0])
    client.get("/events/")
    now[0] += app.config["PAGE_CACHE_SECONDS"] - 1
    assert _get(app, client, "/events/")[1] == 1
    now[0] += 2
    assert _get(app, client, "/events/")[1] > 1


def test_logged_in_readers_never_get_a_public_kept_page(app, client, organizer_client):
    event_id = _event(app)
    client.get(f"/events/{event_id}")
    response, statements = _get(app, organizer_client, f"/events/{event_id}")
    assert statements > 2 and b"Log out" in response.data
    assert b"Log out" not in client.get(f"/events/{event_id}").data


def test_personal_pages_are_kept_per_reader_and_their_forms_still_work(app, login):
    with app.app_context():
        event, units = make_event(), [make_unit(), make_unit()]
        users = [make_user(role="liaison", unit=u) for u in units]
        for unit in units:
            make_invitation(event, unit)
        db.session.commit()
        event_id, names = event.id, [u.name or u.email for u in users]
        clients = [login(app.test_client(), u) for u in users]
    pages = []
    for c in clients:
        csrf_token(c, "/account")  # the session has its token before the page is kept
        c.get("/my/invitations")
        response, statements = _get(app, c, "/my/invitations")
        assert response.status_code == 200 and statements == 2  # the account, the versions
        pages.append(response.get_data(as_text=True))
    assert pages[0] != pages[1]
    assert names[0] in pages[0] and names[1] not in pages[0]
    token = csrf_token(clients[0], "/my/invitations")  # read from the kept page
    with app.app_context():
        invitation_id = db.session.scalar(sa.text(
            "SELECT id FROM invitation WHERE event_id = :e AND unit_id = :u"),
            {"e": event_id, "u": users[0].unit_id})
    response = clients[0].post(f"/my/invitations/{invitation_id}/decline",
                               data={"csrf_token": token, "reason": "Another engagement"})
    assert response.status_code == 302
    after = clients[0].get("/my/invitations", follow_redirects=True).get_data(as_text=True)
    assert "Another engagement" in after or "Declined" in after


def test_a_write_without_a_bump_shows_only_after_page_cache_seconds(app, organizer_client):
    """Explicit versions: a service that changes a kept page must bump (the factories do not)."""
    event_id = _event(app)
    csrf_token(organizer_client, "/account")
    path = f"/organizer/events/{event_id}/delegations"
    organizer_client.get(path)
    with app.app_context():
        make_delegation(db.session.get(Event, event_id), make_unit(name_en="Silent City"), people=1)
        db.session.commit()
    assert b"Silent City" not in organizer_client.get(path).data
    with app.app_context():
        cache.clear()  # as when the kept page expires
    assert b"Silent City" in organizer_client.get(path).data


def test_display_preferences_need_no_token_only_when_anonymous(app, client, organizer_client):
    assert client.post("/language", data={"lang": "zh", "next": "/"}).status_code == 302
    with client.session_transaction() as session:
        assert session["lang"] == "zh"
    assert client.post("/viewer-timezone", data={"timezone": "Europe/Brussels", "auto": "1"}).status_code == 204
    assert organizer_client.post("/language", data={"lang": "zh", "next": "/"}).status_code == 400
    assert organizer_client.post("/viewer-timezone", data={"timezone": "Europe/Brussels"}).status_code == 400


@pytest.mark.both_dbs
def test_an_account_closed_by_another_process_is_logged_out_at_once(app, app_factory, organizer_client):
    """Each logged-in request reads the account (one primary-key read): deactivating it anywhere
    (which rotates its session token) ends its session on the next request."""
    from eventsite.accounts.models import User

    organizer_client.get("/organizer/events/")
    assert _get(app, organizer_client, "/account")[0].status_code == 200
    other = app_factory(create_tables=False)
    with other.app_context():
        user = db.session.get(User, organizer_client.user_id)
        user.is_active_flag = False
        db.session.commit()
    assert organizer_client.get("/account").status_code == 302
    assert organizer_client.get(f"/organizer/events/{_event(app)}/delegations").status_code in (302, 403)


@pytest.mark.postgres_only
def test_a_lost_versions_connection_builds_the_page_and_the_next_read_keeps_it(app, client):
    """The versions' pool pings nothing: when the server drops its connection (a restart), that
    one reader gets the page built (never an error) and the next reads are kept again."""
    event_id = _event(app, title_en="Survivor Forum")
    path = f"/events/{event_id}"
    assert _get(app, client, path)[0].status_code == 200
    with app.app_context():
        with pagecache.versions_engine().connect() as connection:
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
    response, statements = _get(app, client, path)
    assert response.status_code == 200 and "Survivor Forum" in response.get_data(as_text=True)
    assert statements > 1  # built
    response, statements = _get(app, client, path)
    assert response.status_code == 200 and statements == 1  # kept again, on a new connection


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the machine's Redis, removed afterwards."""
    redis = pytest.importorskip("redis")
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (TEST_REDIS_URL)")
    prefix = f"eventsite-test-{uuid.uuid4().hex}:"
    yield prefix, server
    for key in server.scan_iter(prefix + "*"):
        server.delete(key)


@pytest.mark.both_dbs
def test_pages_kept_in_redis_are_shared_by_processes_and_follow_writes(app_factory, redis_prefix):
    """CACHE_REDIS_URL: a page one process built is served by another, and a write in either
    shows at once in both."""
    prefix, server = redis_prefix
    config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    one = app_factory(**config)
    two = app_factory(create_tables=False, **config)
    event_id = _event(one, title_en="Shared Forum")
    path = f"/events/{event_id}"
    first, built = _get(one, one.test_client(), path)
    assert first.status_code == 200 and built > 1
    assert list(server.scan_iter(prefix + "*"))  # it went to Redis
    second, kept = _get(two, two.test_client(), path)
    assert kept == 1 and second.get_data() == first.get_data()  # built once, served by both

    _in(two, services.update_event, (Event, event_id), {"title_en": "Renamed Forum"})
    for app in (one, two):
        response, statements = _get(app, app.test_client(), path)
        assert b"Renamed Forum" in response.data and b"Shared Forum" not in response.data
    assert statements == 1  # the second process read the page the first one rebuilt
