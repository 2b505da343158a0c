"""The viewer's time zone: detected by the browser or chosen in the form, remembered in the
session and on the account, refused when unknown, and only with a CSRF token."""
from __future__ import annotations

from bs4 import BeautifulSoup

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db

from .. import factories
from ..conftest import csrf_token


def zone_form(client, url="/events/"):
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return soup.select_one("#viewer-zone-form")


def test_form_and_script_are_on_the_pages(app, client):
    with app.app_context():
        event_id = factories.make_event().id
        db.session.commit()
    for url in ("/events/", "/events/archive", f"/events/{event_id}"):
        soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
        form = soup.select_one("#viewer-zone-form")
        assert form["data-remembered"] == "0" and form["data-current"] == "Asia/Shanghai"
        assert form.select_one("input[name=timezone]")["list"] == "viewer-zone-list"
        assert "Europe/Brussels" in {o["value"] for o in soup.select("#viewer-zone-list option")}
        assert soup.select_one('script[src="/static/js/viewer_timezone.js"]')


def test_chosen_zone_is_remembered_in_the_session(app, client):
    token = csrf_token(client, "/events/")
    response = client.post("/viewer-timezone", data={"csrf_token": token, "timezone": "Europe/Brussels",
                                                     "next": "/events/archive?kind=forum"})
    assert response.status_code == 302 and response.headers["Location"] == "/events/archive?kind=forum"
    with client.session_transaction() as session:
        assert session["viewer_tz"] == "Europe/Brussels"
    form = zone_form(client)
    assert form["data-remembered"] == "1" and form["data-current"] == "Europe/Brussels"


def test_detected_zone_answers_204(app, client):
    token = csrf_token(client, "/events/")
    response = client.post("/viewer-timezone", data={"csrf_token": token, "timezone": "America/New_York",
                                                     "auto": "1"})
    assert response.status_code == 204
    assert zone_form(client)["data-current"] == "America/New_York"


def test_logged_in_viewer_zone_goes_on_the_account(app, client, login):
    with app.app_context():
        user = factories.make_user(role="liaison", unit=factories.make_unit())
        db.session.commit()
        user_id = user.id
        login(client, user)
    form = zone_form(client)
    assert form["data-remembered"] == "0"  # still the default zone: detect once
    token = csrf_token(client, "/events/")
    assert client.post("/viewer-timezone", data={"csrf_token": token, "timezone": "Europe/Berlin",
                                                 "auto": "1"}).status_code == 204
    with app.app_context():
        assert db.session.get(User, user_id).timezone == "Europe/Berlin"
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="user.update", target_id=user_id))
        assert entry.details["changes"]["timezone"] == {"old": "Asia/Shanghai", "new": "Europe/Berlin"}
    # A new browser session: the account's zone is used and counts as remembered.
    fresh = app.test_client()
    with app.app_context():
        login(fresh, db.session.get(User, user_id))
    form = zone_form(fresh)
    assert form["data-current"] == "Europe/Berlin" and form["data-remembered"] == "1"


def test_unknown_zones_are_refused_and_nothing_is_stored(app, client, login):
    with app.app_context():
        user = factories.make_user(role="organizer", timezone="Asia/Tokyo")
        db.session.commit()
        user_id = user.id
        login(client, user)
    token = csrf_token(client, "/events/")
    for bad in ("Mars/Olympus", "", "x" * 5000, "Europe/\r\nBrussels", "Europe/Brussels\x00", "../../etc/passwd", "<script>"):
        response = client.post("/viewer-timezone", data={"csrf_token": token, "timezone": bad, "auto": "1"})
        assert response.status_code == 400, bad
        response = client.post("/viewer-timezone", data={"csrf_token": token, "timezone": bad, "next": "/events/"})
        assert response.status_code == 302
        assert "Unknown time zone" in client.get("/events/").get_data(as_text=True)
    with client.session_transaction() as session:
        assert "viewer_tz" not in session
    with app.app_context():
        assert db.session.get(User, user_id).timezone == "Asia/Tokyo"


def test_csrf_token_is_needed_when_the_zone_goes_on_an_account(app, organizer_client):
    """Anonymous, the choice only touches the browser's own session (no token, so public pages
    can be kept rendered: tests/core/test_pagecache.py); logged in, it changes the account."""
    response = organizer_client.post("/viewer-timezone", data={"timezone": "Europe/Brussels", "auto": "1"})
    assert response.status_code == 400
    with organizer_client.session_transaction() as session:
        assert "viewer_tz" not in session
    with app.app_context():
        assert db.session.get(User, organizer_client.user_id).timezone != "Europe/Brussels"


def test_foreign_next_is_not_followed(app, client):
    token = csrf_token(client, "/events/")
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.post("/viewer-timezone", data={"csrf_token": token, "timezone": "UTC", "next": target})
        assert response.headers["Location"] == "/events/"
