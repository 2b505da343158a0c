"""Logging in and out through the real form: messages, redirects, session hygiene."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from eventsite import create_app
from eventsite.accounts.models import User
from eventsite.audit.models import AuditEntry
from eventsite.extensions import db

from ..conftest import csrf_token
from ..factories import PASSWORD, make_unit, make_user
from .helpers import client_with_cookie, path_of, post_login, session_cookie

GENERIC = "Wrong email address or password"


@pytest.fixture
def organizer(app):
    with app.app_context():
        user = make_user(role="organizer", email="ann@example.org")
        db.session.commit()
        return user.id


def test_login_lands_staff_on_the_event_dashboard_and_records_it(app, client, organizer):
    response = post_login(client, "  Ann@Example.ORG ")
    assert response.status_code == 302
    assert response.headers["Location"] == path_of(app, "event_admin.dashboard")
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        user = db.session.get(User, organizer)
        assert user.last_login_at is not None
        actions = db.session.scalars(db.select(AuditEntry.action)).all()
        assert "auth.login" in actions
    assert client.get("/account").status_code == 200


def test_liaison_lands_on_their_invitations(app, client):
    with app.app_context():
        make_user(role="liaison", unit=make_unit(), email="li@example.org")
        db.session.commit()
    response = post_login(client, "li@example.org")
    assert response.headers["Location"] == path_of(app, "invitations.mine") == "/my/invitations"
    assert client.get("/my/invitations").status_code == 200


@pytest.mark.parametrize("role", ["admin", "organizer", "liaison"])
def test_a_safe_next_wins_over_the_role_home(app, client, role):
    with app.app_context():
        make_user(role=role, unit=make_unit() if role == "liaison" else None, email="who@example.org")
        db.session.commit()
    response = post_login(client, "who@example.org", next_url="/account?tab=1")
    assert response.headers["Location"] == "/account?tab=1"


def test_an_admin_lands_on_the_event_dashboard(app, client):
    with app.app_context():
        make_user(role="admin", email="boss@example.org")
        db.session.commit()
    response = post_login(client, "boss@example.org")
    assert response.headers["Location"] == path_of(app, "event_admin.dashboard")


@pytest.mark.parametrize("case", ["wrong_password", "unknown", "inactive", "unactivated"])
def test_failed_logins_look_the_same(app, client, case):
    with app.app_context():
        make_user(email="real@example.org")
        make_user(email="off@example.org", is_active_flag=False)
        make_user(email="new@example.org", password=None)
        db.session.commit()
    email, password = {
        "wrong_password": ("real@example.org", "not the password"),
        "unknown": ("nobody@example.org", PASSWORD),
        "inactive": ("off@example.org", PASSWORD),
        "unactivated": ("new@example.org", PASSWORD),
    }[case]
    response = post_login(client, email, password)
    assert response.status_code == 200
    assert GENERIC in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302  # not logged in
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).filter_by(action="auth.login_failed")).one()
        assert entry.details["email"] == email
        assert password not in str(entry.details)


def test_login_form_errors_in_chinese_do_not_crash(client):
    headers = {"Accept-Language": "zh-CN,zh;q=0.9"}
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "email": "x\r\nBcc: a@b.c", "password": ""}, headers=headers
    )
    assert response.status_code == 200
    assert 'lang="zh-Hans"' in response.get_data(as_text=True)
    response = client.post(
        "/login", data={"csrf_token": token, "email": "a" * 5000, "password": "p\0w"}, headers=headers
    )
    assert response.status_code == 200


def test_login_without_csrf_token_is_refused(client, organizer):
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_local_next_is_followed(client, organizer):
    response = post_login(client, "ann@example.org", next_url="/account?tab=1")
    assert response.headers["Location"] == "/account?tab=1"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "http:/x"],
)
def test_foreign_next_is_refused(app, client, organizer, target):
    response = post_login(client, "ann@example.org", next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == path_of(app, "event_admin.dashboard")


def test_login_page_drops_foreign_next_from_the_form(client):
    html = client.get("/login?next=//evil.example").get_data(as_text=True)
    assert 'id="next" name="next" type="hidden" value=""' in html
    html = client.get("/login?next=/account").get_data(as_text=True)
    assert 'id="next" name="next" type="hidden" value="/account"' in html


def test_session_cookie_flags_and_lifetime(app, client, organizer):
    response = post_login(client, "ann@example.org")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("eventsite_session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Expires=" in header  # a permanent session, not a browser-session cookie
    expires = client.get_cookie("eventsite_session", domain="eventsite.test").expires
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert lifetime <= timedelta(hours=24)
    remaining = expires - datetime.now(timezone.utc)
    assert lifetime - timedelta(minutes=5) < remaining <= lifetime
    assert not any(h.startswith("remember_token") for h in response.headers.getlist("Set-Cookie"))


def test_production_cookie_is_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("EVENTSITE_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        "production",
        {
            "SECRET_KEY": "k" * 64,
            "TRUSTED_HOSTS": ["events.example.org"],
            "SERVER_NAME": "events.example.org",
            "PROXY_COUNT": 0,
            "DATA_ENCRYPTION_KEYS": ["k" * 43 + "="],
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        },
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        db.create_all()
        make_user(email="prod@example.org")
        db.session.commit()
    client = app.test_client()
    base = "https://events.example.org"
    html = client.get("/login", base_url=base).get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        base_url=base,
        headers={"Referer": base + "/login"},
        data={"csrf_token": token, "email": "prod@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("eventsite_session="))
    assert "Secure" in header and "HttpOnly" in header
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_login_starts_a_new_session_keeping_the_language(client, organizer):
    with client.session_transaction() as session:
        session["planted"] = "attacker value"
        session["lang"] = "zh"
    post_login(client, "ann@example.org")
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "zh"
        assert session.permanent


def test_logout_kills_the_old_cookie(app, client, organizer):
    post_login(client, "ann@example.org")
    stolen = session_cookie(client)
    assert client_with_cookie(app, stolen).get("/account").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302
    assert client_with_cookie(app, stolen).get("/account").status_code == 302
    with app.app_context():
        assert "auth.logout" in db.session.scalars(db.select(AuditEntry.action)).all()


def test_logout_without_csrf_is_refused(client, organizer):
    post_login(client, "ann@example.org")
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
