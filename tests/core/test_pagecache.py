"""Pages kept rendered (eventsite/core/pagecache.py): served without a statement while nothing
changed, rebuilt as soon as any process commits a change, never shared between readers,
languages or zones, and never kept for what must not be."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.events.models import Event
from eventsite.extensions import db
from eventsite.mail.models import OutboxMessage

from ..conftest import count_statements, csrf_token
from ..factories import make_delegation, make_event, make_invitation, make_unit, make_user


def _event(app, **fields) -> int:
    with app.app_context():
        event_id = make_event(**fields).id
        db.session.commit()
    return event_id


def _get(app, client, path: str, **kwargs):
    """(response, SQL statements it took)."""
    with app.app_context(), count_statements() as seen:
        response = client.get(path, **kwargs)
    return response, len(seen)


def _rename(app, event_id: int, title: str) -> None:
    with app.app_context():
        db.session.get(Event, event_id).title_en = title
        db.session.commit()


@pytest.mark.both_dbs
def test_a_kept_page_takes_no_statement_and_is_the_same_page(app, client):
    event_id = _event(app, title_en="Kept Forum")
    for path in ("/events/", f"/events/{event_id}", "/calendar/alliance.ics", "/", "/alliance/members"):
        first, built = _get(app, client, path)
        second, kept = _get(app, client, path)
        assert first.status_code == second.status_code == 200, path
        assert built > 0 and kept == 0, (path, built, kept)
        assert second.get_data() == first.get_data()
        for name in ("Content-Type", "Content-Disposition", "X-Robots-Tag", "Cache-Control"):
            assert second.headers.get(name) == first.headers.get(name), (path, name)
        assert second.headers["Content-Security-Policy"]  # the response hooks still run


@pytest.mark.both_dbs
def test_a_change_committed_by_another_process_shows_at_once(app, app_factory, client):
    """Another app object has its own engine and connections: on PostgreSQL the change reaches
    this one by NOTIFY, on SQLite through data_version."""
    event_id = _event(app, title_en="Before")
    other = app_factory(create_tables=False)
    assert b"Before" in client.get(f"/events/{event_id}").data
    assert b"Before" in client.get("/events/").data
    _rename(other, event_id, "After the change")
    for path in (f"/events/{event_id}", "/events/"):
        response, statements = _get(app, client, path)
        assert b"After the change" in response.data and b"Before" not in response.data, path
        assert statements > 0


@pytest.mark.both_dbs
def test_changes_without_a_flush_count_too(app, client):
    """The seat counter and other conditional UPDATEs go around the ORM's flush."""
    event_id = _event(app, title_en="Seats Forum")
    client.get(f"/events/{event_id}")
    with app.app_context():
        db.session.execute(sa.update(Event).where(Event.id == event_id).values(title_en="Bulk renamed"))
        db.session.commit()
    assert b"Bulk renamed" in client.get(f"/events/{event_id}").data


@pytest.mark.postgres_only
def test_mail_and_audit_writes_keep_the_pages_and_rollbacks_announce_nothing(app, client, db_backend):
    event_id = _event(app)
    client.get(f"/events/{event_id}")
    with app.app_context():
        db.session.execute(sa.update(OutboxMessage).values(attempts=OutboxMessage.attempts + 1))
        db.session.commit()
        db.session.get(Event, event_id).title_en = "Never saved"
        db.session.flush()
        db.session.rollback()
    response, statements = _get(app, client, f"/events/{event_id}")
    assert statements == 0 and b"Never saved" not in response.data


@pytest.mark.postgres_only
def test_nothing_is_kept_while_the_listening_connection_is_lost(app, app_factory, client, db_backend):
    event_id = _event(app, title_en="Listening")
    client.get(f"/events/{event_id}")
    listener = app.extensions["pagecache"].source
    with app.app_context():
        db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": listener.conn.info.backend_pid})
        db.session.commit()
    _rename(app_factory(create_tables=False), event_id, "Changed while deaf")
    listener.retry_at = float("inf")  # the database stays unreachable for the listener
    response, statements = _get(app, client, f"/events/{event_id}")
    assert b"Changed while deaf" in response.data and statements > 0
    assert _get(app, client, f"/events/{event_id}")[1] > 0  # still built each time
    listener.retry_at = 0.0  # reachable again: listening resumes, pages are kept again
    _get(app, client, f"/events/{event_id}")
    assert _get(app, client, f"/events/{event_id}")[1] == 0


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


def test_a_page_with_a_message_to_show_is_not_kept_and_shows_it(app, client):
    client.get("/events/")
    response = client.post("/language", data={"lang": "zh", "next": "/events/"})  # no token: anonymous
    assert response.status_code == 302
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "A message for this reader only")]
    assert b"A message for this reader only" in client.get("/events/").data
    assert b"A message for this reader only" not in client.get("/events/").data


def test_conditional_requests_are_answered_from_the_kept_page(app, client):
    _event(app)
    first = client.get("/events/")
    response, statements = _get(app, client, "/events/", headers={"If-None-Match": first.headers["ETag"]})
    assert response.status_code == 304 and statements == 0 and not response.data
    feed = client.get("/calendar/alliance.ics")
    assert feed.headers["ETag"].startswith("W/")  # the feed's own validator is kept
    response, statements = _get(app, client, "/calendar/alliance.ics",
                                headers={"If-None-Match": feed.headers["ETag"]})
    assert response.status_code == 304 and statements == 0


def test_a_first_conditional_request_still_gets_its_304(app, app_factory, client):
    """A calendar app's poll arrives with the ETag of an earlier build (another process)."""
    _event(app)
    etag = app_factory(create_tables=False).test_client().get("/calendar/alliance.ics").headers["ETag"]
    assert client.get("/calendar/alliance.ics", headers={"If-None-Match": etag}).status_code == 304


def test_kept_pages_expire(app, client):
    """What no transaction announces (an event ending) shows after PAGE_CACHE_SECONDS."""
    _event(app)
    cache = app.extensions["pagecache"]
    now = [1000.0]
    cache.clock = lambda: now[0]
    client.get("/events/")
    now[0] += app.config["PAGE_CACHE_SECONDS"] - 1
    assert _get(app, client, "/events/")[1] == 0
    now[0] += 2
    assert _get(app, client, "/events/")[1] > 0


def test_logged_in_readers_never_get_a_public_kept_page(app, client, organizer_client):
    event_id = _event(app)
    client.get(f"/events/{event_id}")
    response, statements = _get(app, organizer_client, f"/events/{event_id}")
    assert statements > 0 and b"Log out" in response.data
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
        assert response.status_code == 200 and statements == 0  # the account is known too
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


def test_the_organizer_overview_follows_new_delegations(app, organizer_client):
    with app.app_context():
        event = make_event()
        db.session.commit()
        event_id = event.id
    csrf_token(organizer_client, "/account")
    path = f"/organizer/events/{event_id}/delegations"
    organizer_client.get(path)
    assert _get(app, organizer_client, path)[1] == 0
    with app.app_context():
        unit = make_unit(name_en="Newly Registered City")
        make_delegation(db.session.get(Event, event_id), unit, people=2)
        db.session.commit()
    assert b"Newly Registered City" in organizer_client.get(path).data


def test_display_preferences_need_no_token_only_when_anonymous(app, client, organizer_client):
    assert client.post("/language", data={"lang": "zh", "next": "/"}).status_code == 302
    with client.session_transaction() as session:
        assert session["lang"] == "zh"
    assert client.post("/viewer-timezone", data={"timezone": "Europe/Brussels", "auto": "1"}).status_code == 204
    assert organizer_client.post("/language", data={"lang": "zh", "next": "/"}).status_code == 400
    assert organizer_client.post("/viewer-timezone", data={"timezone": "Europe/Brussels"}).status_code == 400


@pytest.mark.both_dbs
def test_an_account_closed_by_another_process_is_logged_out_at_once(app, app_factory, organizer_client):
    """Logged-in requests reuse the account read before while nothing changed; deactivating it
    (which rotates its session token) anywhere ends its session on the next request."""
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
