"""One's own account page: name, language, time zone, password change."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db

from ..conftest import csrf_token
from ..factories import PASSWORD, make_user
from .helpers import client_with_cookie, post_login, session_cookie


@pytest.fixture
def me(app, client):
    with app.app_context():
        user = make_user(email="me@example.org", name="Me")
        db.session.commit()
        user_id = user.id
    post_login(client, "me@example.org")
    return user_id


def _save(client, **data):
    token = csrf_token(client, "/account")
    return client.post("/account", data={"csrf_token": token, "name": "Me", "locale": "en",
                                         "timezone": "Asia/Shanghai", **data})


def test_anonymous_is_sent_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_profile_page_offers_common_zones(client, me):
    html = client.get("/account").get_data(as_text=True)
    for zone in ("Asia/Shanghai", "Europe/Brussels", "Europe/Berlin", "Europe/Paris", "Europe/London",
                 "UTC", "America/New_York"):
        assert f'<option value="{zone}">' in html


@pytest.mark.parametrize("zone", ["Europe/Brussels", "America/Argentina/Buenos_Aires", "Pacific/Auckland"])
def test_profile_saves_name_language_and_any_valid_zone(app, client, me, zone):
    response = _save(client, name="  Zhang Wei ", locale="zh", timezone=zone)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, me)
        assert (user.name, user.locale, user.timezone) == ("Zhang Wei", "zh", zone)
        entry = db.session.scalars(sa.select(AuditEntry).filter_by(action="user.update")).one()
        assert entry.details["changes"]["locale"] == {"old": None, "new": "zh"}
    page = client.get("/account")
    assert 'lang="zh-Hans"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "data",
    [
        {"timezone": "Mars/Olympus"},
        {"timezone": "../../etc/passwd"},
        {"timezone": "Asia/Shanghai\x00"},
        {"timezone": "x" * 300},
        {"locale": "fr"},
        {"name": "Evil\r\nName"},
        {"name": "n" * 201},
    ],
)
def test_profile_refuses_bad_input(app, client, me, data):
    response = _save(client, **data)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, me)
        assert (user.name, user.locale, user.timezone) == ("Me", None, "Asia/Shanghai")


def _change(client, current=PASSWORD, new="a whole new passphrase", confirm=None, **kwargs):
    token = csrf_token(client, "/account")
    return client.post("/account/password", data={"csrf_token": token, "current_password": current,
                                                  "password": new, "confirm": confirm or new}, **kwargs)


def test_password_change_keeps_this_session_and_ends_others(app, client, me):
    other = app.test_client()
    post_login(other, "me@example.org")
    old_cookie = session_cookie(client)
    response = _change(client, headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on
    assert other.get("/account").status_code == 302  # the other browser is logged out
    assert client_with_cookie(app, old_cookie).get("/account").status_code == 302
    assert post_login(app.test_client(), "me@example.org", "a whole new passphrase").status_code == 302
    with app.app_context():
        assert "user.password_change" in db.session.scalars(sa.select(AuditEntry.action)).all()


@pytest.mark.parametrize(
    "current, new, confirm",
    [
        ("wrong current password", "a whole new passphrase", None),
        (PASSWORD, "short", None),
        (PASSWORD, "a whole new passphrase", "something else entirely"),
        (PASSWORD, "ME@example.org", None),
    ],
)
def test_password_change_refused(app, client, me, current, new, confirm):
    response = _change(client, current, new, confirm)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 200
    assert post_login(app.test_client(), "me@example.org").status_code == 302  # old password still works


def test_password_change_needs_csrf(client, me):
    response = client.post("/account/password", data={"current_password": PASSWORD,
                                                      "password": "x" * 12, "confirm": "x" * 12})
    assert response.status_code == 400
